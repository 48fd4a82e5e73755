"""The register of recognised initiatives (sáng kiến) and which candidate each counts for."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .dossiers import Candidate
from .movements import Movement
from .people import Unit, User
from .types import UTCDateTime, sql_in

INITIATIVE_LEVELS = ("unit", "provincial", "sector", "national")


class Initiative(db.Model):
    """A recognised initiative: its authors, unit, field, recognising decision and scope."""

    __tablename__ = "initiatives"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    authors: Mapped[str] = mapped_column(String(1000))
    field: Mapped[str] = mapped_column(String(200), default="")
    decision_no: Mapped[str] = mapped_column(String(100))
    decision_date: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(sql_in("level", INITIATIVE_LEVELS), name="level_known"),
        CheckConstraint("length(title) > 0", name="title_given"),
    )

    @property
    def author_names(self) -> list[str]:
        """The authors, one name each."""
        return [a.strip() for a in self.authors.split(";") if a.strip()]


class InitiativeClaim(db.Model):
    """An initiative counted for a candidate in a movement (for one only, unless rules share it)."""

    __tablename__ = "initiative_claims"
    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"), index=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    initiative: Mapped[Initiative] = relationship()
    movement: Mapped[Movement] = relationship()
    candidate: Mapped[Candidate] = relationship()

    __table_args__ = (UniqueConstraint("initiative_id", "movement_id", "candidate_id"),)


class AwardRecord(db.Model):
    """A title or award a unit or one of its people received in a year (award history)."""

    __tablename__ = "award_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # Empty for the unit itself; a person is known by name within the unit.
    person_name: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int]
    award_code: Mapped[str] = mapped_column(String(80))
    award_name: Mapped[str] = mapped_column(String(300))
    decision_no: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    issuing_body: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        CheckConstraint("year BETWEEN 1975 AND 2100", name="year_sane"),
        CheckConstraint(sql_in("source", ("import", "decision")), name="source_known"),
    )


class AwardDecision(db.Model):
    """A decision issued on a round's awards: number, date, signer and issuing body."""

    __tablename__ = "award_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    signed_on: Mapped[date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200))
    issuing_body: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("round_id", "number"),)


UNIT_CHANGE_KINDS = ("rename", "merge", "split")


class UnitChange(db.Model):
    """A unit renamed, merged into another or split, effective on a date (one row per pair)."""

    __tablename__ = "unit_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # The predecessor's name on the day of the change (a rename keeps one unit row).
    predecessor_name: Mapped[str] = mapped_column(String(200))
    effective_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    predecessor: Mapped[Unit] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped[Unit] = relationship(foreign_keys=[successor_id])

    __table_args__ = (CheckConstraint(sql_in("kind", UNIT_CHANGE_KINDS), name="kind_known"),)
