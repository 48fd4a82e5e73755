"""Database models; importing this package registers every table."""

from .audit import AuditEvent
from .dossiers import (
    Candidate,
    Dossier,
    DossierVersion,
    EvidenceFile,
    IndicatorValue,
    SelfAssessment,
)
from .movements import Movement, Round
from .people import ROLES, UNIT_ROLES, Cluster, Unit, User
from .review import Adjustment, RankingSnapshot, Review
from .types import UTCDateTime, utcnow

__all__ = [
    "ROLES",
    "UNIT_ROLES",
    "Adjustment",
    "AuditEvent",
    "Candidate",
    "Cluster",
    "Dossier",
    "DossierVersion",
    "EvidenceFile",
    "IndicatorValue",
    "Movement",
    "RankingSnapshot",
    "Review",
    "Round",
    "SelfAssessment",
    "UTCDateTime",
    "Unit",
    "User",
    "utcnow",
]
