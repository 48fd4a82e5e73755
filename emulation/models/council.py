"""Council meeting, attendance, votes on proposed awardees, evidence flags; frozen snapshots."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .dossiers import Dossier
from .movements import Round
from .people import User
from .review import RankingSnapshot, Review
from .types import UTCDateTime, sql_in, utcnow

VOTE_CHOICES = ("agree", "disagree", "abstain")


class CouncilMeeting(db.Model):
    """The council's meeting that votes on a round's proposed awardees (one per round)."""

    __tablename__ = "council_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    members_total: Mapped[int]
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    round: Mapped[Round] = relationship()
    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    attendees: Mapped[list["MeetingAttendee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.id"
    )

    __table_args__ = (CheckConstraint("members_total > 0", name="members_positive"),)

    @property
    def present_ids(self) -> set[int]:
        """Ids of the members recorded as present."""
        return {a.user_id for a in self.attendees}


class MeetingAttendee(db.Model):
    """A council member present at the meeting."""

    __tablename__ = "meeting_attendees"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    meeting: Mapped[CouncilMeeting] = relationship(back_populates="attendees")
    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)


class Vote(db.Model):
    """One member's vote on one proposed awardee and the tier proposed when they voted."""

    __tablename__ = "votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("council_meetings.id"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    award_code: Mapped[str] = mapped_column(String(80))
    choice: Mapped[str] = mapped_column(String(10))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set when the secretariat typed in the member's paper ballot.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dossier: Mapped[Dossier] = relationship()
    member: Mapped[User] = relationship(foreign_keys=[member_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    __table_args__ = (
        UniqueConstraint("meeting_id", "dossier_id", "member_id"),
        CheckConstraint(sql_in("choice", VOTE_CHOICES), name="choice_known"),
    )


class EvidenceFlag(db.Model):
    """A reviewer's finding that a criterion's evidence is insufficient, with a note."""

    __tablename__ = "evidence_flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    criterion_code: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    review: Mapped[Review] = relationship()

    __table_args__ = (
        UniqueConstraint("review_id", "criterion_code"),
        CheckConstraint("length(note) > 0", name="note_given"),
    )


# A frozen snapshot may only gain its reopening (time and reason), once; nothing else changes.
_REOPEN_FIELDS = {"reopened_at", "reopen_reason"}


@event.listens_for(RankingSnapshot, "before_update")
def _refuse_snapshot_change(mapper, connection, target):
    state = inspect(target)
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    history = state.attrs.reopened_at.history
    reopened_before = [*history.deleted, *history.unchanged]
    if changed - _REOPEN_FIELDS or any(v is not None for v in reopened_before):
        raise ValueError("a frozen ranking snapshot is immutable")
