"""Database models; importing this package registers every table."""

from .audit import AuditEvent
from .awards import (
    INITIATIVE_LEVELS,
    UNIT_CHANGE_KINDS,
    AwardDecision,
    AwardRecord,
    Initiative,
    InitiativeClaim,
    UnitChange,
)
from .council import VOTE_CHOICES, CouncilMeeting, EvidenceFlag, MeetingAttendee, Vote
from .dossiers import (
    Candidate,
    CriterionNote,
    DeadlineExtension,
    Dossier,
    DossierVersion,
    EvidenceFile,
    IndicatorValue,
    SelfAssessment,
    SupplementRequest,
)
from .jobs import JOB_STATUSES, Job
from .logins import LoginSession, LoginThrottle
from .movements import Movement, Round
from .people import MAX_HEADCOUNT, ROLES, UNIT_ROLES, Cluster, Unit, User
from .plan import PlanActivity, PlanCoordinator, PlanReport, Registration, RegistrationTarget
from .review import Adjustment, RankingSnapshot, Review
from .tokens import ApiToken, token_digest
from .types import UTCDateTime, utcnow

__all__ = [
    "MAX_HEADCOUNT",
    "ROLES",
    "UNIT_ROLES",
    "VOTE_CHOICES",
    "Adjustment",
    "ApiToken",
    "JOB_STATUSES",
    "Job",
    "AuditEvent",
    "UNIT_CHANGE_KINDS",
    "UnitChange",
    "AwardDecision",
    "AwardRecord",
    "INITIATIVE_LEVELS",
    "Initiative",
    "InitiativeClaim",
    "Candidate",
    "CouncilMeeting",
    "Cluster",
    "CriterionNote",
    "DeadlineExtension",
    "Dossier",
    "DossierVersion",
    "EvidenceFile",
    "EvidenceFlag",
    "IndicatorValue",
    "LoginSession",
    "LoginThrottle",
    "MeetingAttendee",
    "Movement",
    "PlanActivity",
    "PlanCoordinator",
    "PlanReport",
    "RankingSnapshot",
    "Registration",
    "RegistrationTarget",
    "Review",
    "Round",
    "SelfAssessment",
    "SupplementRequest",
    "UTCDateTime",
    "Unit",
    "User",
    "Vote",
    "token_digest",
    "utcnow",
]
