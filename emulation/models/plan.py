"""Emulation registration (đăng ký thi đua) and the movement's activity plan (kế hoạch)."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .movements import Movement
from .people import Unit, User
from .types import UTCDateTime, sql_in, utcnow

REGISTRATION_STATUSES = ("draft", "confirmed", "accepted", "returned")


class Registration(db.Model):
    """A unit's registration in a movement: targets, titles aimed for, and its review."""

    __tablename__ = "registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    titles: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    # When returned: the unit may correct and confirm until then, even after the deadline.
    reopened_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    movement: Mapped[Movement] = relationship()
    unit: Mapped[Unit] = relationship()
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    targets: Mapped[list["RegistrationTarget"]] = relationship(
        back_populates="registration",
        order_by="RegistrationTarget.id",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("movement_id", "unit_id"),
        CheckConstraint(sql_in("status", REGISTRATION_STATUSES), name="status_known"),
    )

    @property
    def counts(self) -> bool:
        """Whether the unit counts as registered: confirmed by its head (or accepted)."""
        return self.status in ("confirmed", "accepted")


class RegistrationTarget(db.Model):
    """The target a unit registers for one registrable indicator."""

    __tablename__ = "registration_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    target: Mapped[float] = mapped_column(Float)
    registration: Mapped[Registration] = relationship(back_populates="targets")

    __table_args__ = (
        UniqueConstraint("registration_id", "indicator_code"),
        CheckConstraint("target >= 0", name="target_not_negative"),
    )


class PlanActivity(db.Model):
    """An activity of the movement's plan: lead unit, coordinating units, due time, output."""

    __tablename__ = "plan_activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"), index=True)
    number: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    starts_on: Mapped[date | None]
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expected_output: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    movement: Mapped[Movement] = relationship()
    lead_unit: Mapped[Unit] = relationship()
    coordinators: Mapped[list["PlanCoordinator"]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )
    reports: Mapped[list["PlanReport"]] = relationship(
        back_populates="activity", order_by="PlanReport.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_given"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
    )

    @property
    def coordinating_units(self) -> list[Unit]:
        """The coordinating units (đơn vị phối hợp), by code."""
        return sorted((c.unit for c in self.coordinators), key=lambda u: u.code)

    def on_time(self) -> bool:
        """Whether the activity was completed by its due time."""
        return self.completed_at is not None and self.completed_at <= self.due_at

    def overdue(self, now: datetime) -> bool:
        """Whether the due time has passed without completion (to the second)."""
        return self.completed_at is None and now.replace(microsecond=0) > self.due_at


class PlanCoordinator(db.Model):
    """A coordinating unit (đơn vị phối hợp) of an activity."""

    __tablename__ = "plan_coordinators"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    activity: Mapped[PlanActivity] = relationship(back_populates="coordinators")
    unit: Mapped[Unit] = relationship()

    __table_args__ = (UniqueConstraint("activity_id", "unit_id"),)


class PlanReport(db.Model):
    """A lead unit's progress report on an activity, with an optional evidence file."""

    __tablename__ = "plan_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    progress: Mapped[int]
    done: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    activity: Mapped[PlanActivity] = relationship(back_populates="reports")
    by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
    )
