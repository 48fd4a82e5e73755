"""Movements (phong trào thi đua) and their rounds (sơ kết / tổng kết)."""

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..scoring.deadline import window_state
from .types import UTCDateTime, sql_in, utcnow

__all__ = ["LATE_POLICIES", "ROUND_KINDS", "Movement", "Round"]

ROUND_KINDS = ("interim", "final")
LATE_POLICIES = ("reject", "accept_flagged")


class Movement(db.Model):
    """An emulation movement run by one organisation over a period."""

    __tablename__ = "movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rounds: Mapped[list["Round"]] = relationship(
        back_populates="movement", order_by="Round.deadline", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("length(code) > 0", name="code_not_empty"),)


class Round(db.Model):
    """A submission round with its deadline, grace window and frozen rule file."""

    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    grace_seconds: Mapped[int] = mapped_column(default=0)
    late_policy: Mapped[str] = mapped_column(String(20), default="reject")
    award_date: Mapped[date | None]
    rules_filename: Mapped[str] = mapped_column(String(300))
    rules_text: Mapped[str] = mapped_column(Text)
    rules_hash: Mapped[str] = mapped_column(String(64))
    movement: Mapped[Movement] = relationship(back_populates="rounds")

    __table_args__ = (
        UniqueConstraint("movement_id", "code"),
        CheckConstraint(sql_in("kind", ROUND_KINDS), name="kind_known"),
        CheckConstraint(sql_in("late_policy", LATE_POLICIES), name="late_policy_known"),
        CheckConstraint("opens_at < deadline", name="opens_before_deadline"),
        CheckConstraint("grace_seconds >= 0", name="grace_not_negative"),
        CheckConstraint("length(rules_hash) = 64", name="rules_hash_sha256"),
    )

    @property
    def grace(self) -> timedelta:
        """The grace window after the deadline."""
        return timedelta(seconds=self.grace_seconds)

    def state(self, now: datetime, *, extended_until: datetime | None = None) -> str:
        """Where `now` falls: not_started, open, grace (late but accepted and flagged) or closed.

        `extended_until` is a later deadline granted to one unit; grace runs after it.
        """
        deadline = max(self.deadline, extended_until) if extended_until else self.deadline
        return window_state(
            now,
            opens_at=self.opens_at,
            deadline=deadline,
            grace=self.grace,
            late_policy=self.late_policy,
        )

    def is_open(self, now: datetime, *, extended_until: datetime | None = None) -> bool:
        """Whether a submission made at `now` is accepted (on time or inside grace)."""
        return self.state(now, extended_until=extended_until) in ("open", "grace")
