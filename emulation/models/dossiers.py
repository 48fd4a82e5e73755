"""Candidates, their dossiers, immutable submitted versions, values and evidence."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .movements import Movement, Round
from .people import Unit, User
from .types import UTCDateTime, sql_in, utcnow

CANDIDATE_KINDS = ("collective", "individual")
DOSSIER_STATES = ("draft", "submitted", "returned", "withdrawn")


class Candidate(db.Model):
    """Who competes in a movement: a unit (collective) or a person it nominates (individual)."""

    __tablename__ = "candidates"
    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movements.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="collective")
    person_name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    # An individual's nomination: the year's rating and a summary of achievements.
    rating: Mapped[str | None] = mapped_column(String(20))
    achievement: Mapped[str | None] = mapped_column(Text)
    nominated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    movement: Mapped[Movement] = relationship()
    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        CheckConstraint(sql_in("kind", CANDIDATE_KINDS), name="kind_known"),
        CheckConstraint(
            "kind = 'collective' OR person_name IS NOT NULL", name="individual_has_name"
        ),
        # A unit competes as a collective at most once per movement.
        Index(
            "uq_candidates_collective_unit",
            "movement_id",
            "unit_id",
            unique=True,
            sqlite_where=text("kind = 'collective'"),
            postgresql_where=text("kind = 'collective'"),
        ),
    )

    @property
    def display_name(self) -> str:
        """The unit's name, or the person's name for an individual."""
        return self.person_name if self.kind == "individual" else self.unit.name


class Dossier(db.Model):
    """The one live dossier of a candidate in a round; drafts are edited here."""

    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The unit head's sign-off: the content hash they confirmed (an edit changes the hash,
    # which voids the sign-off), or their comment when they sent the draft back.
    head_confirmed_hash: Mapped[str | None] = mapped_column(String(64))
    head_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    head_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    head_returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    head_return_comment: Mapped[str | None] = mapped_column(Text)
    round: Mapped[Round] = relationship()
    candidate: Mapped[Candidate] = relationship()
    head_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[head_confirmed_by_id])
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="IndicatorValue.id"
    )
    self_points: Mapped[list["SelfAssessment"]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="SelfAssessment.id"
    )
    notes: Mapped[list["CriterionNote"]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="CriterionNote.id"
    )
    supplements: Mapped[list["SupplementRequest"]] = relationship(
        back_populates="dossier", order_by="SupplementRequest.id"
    )
    versions: Mapped[list["DossierVersion"]] = relationship(
        back_populates="dossier", order_by="DossierVersion.number"
    )
    evidence: Mapped[list["EvidenceFile"]] = relationship(
        back_populates="dossier", order_by="EvidenceFile.id"
    )

    # Optimistic locking: a save based on a stale lock_version fails instead of overwriting.
    # The application bumps it (touch) on every change, even one to a child row only.
    __mapper_args__ = {"version_id_col": lock_version, "version_id_generator": False}
    __table_args__ = (
        UniqueConstraint("round_id", "candidate_id"),
        CheckConstraint(sql_in("status", DOSSIER_STATES), name="status_known"),
    )

    def touch(self, now: datetime) -> None:
        """Mark the dossier changed at `now` (bumps the optimistic lock)."""
        self.updated_at = now
        self.lock_version = (self.lock_version or 0) + 1

    @property
    def open_supplement(self) -> "SupplementRequest | None":
        """The council's unresolved request for supplement, if any."""
        return next((s for s in self.supplements if s.resolved_at is None), None)

    @property
    def latest_version(self) -> "DossierVersion | None":
        """The most recent submitted version, if any."""
        return self.versions[-1] if self.versions else None


class DossierVersion(db.Model):
    """An immutable snapshot of a dossier taken at submission, with its receipt."""

    __tablename__ = "dossier_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    number: Mapped[int]
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    late: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    dossier: Mapped[Dossier] = relationship(back_populates="versions")
    submitted_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("dossier_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("length(content_hash) = 64", name="content_hash_sha256"),
    )


@event.listens_for(DossierVersion, "before_update")
def _refuse_version_update(mapper, connection, target):
    raise ValueError("a submitted dossier version is immutable")


class IndicatorValue(db.Model):
    """One VALUES column of a dossier: a number, or a text for choices (a ratio has two)."""

    __tablename__ = "indicator_values"
    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (dossier_id, column) index begins with it and serves
    # every look-up by dossier, and one index fewer to update speeds the bulk imports.
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    column: Mapped[str] = mapped_column(String(60))
    value: Mapped[float | None] = mapped_column(Float)
    text_value: Mapped[str | None] = mapped_column(String(200))
    dossier: Mapped[Dossier] = relationship(back_populates="values")

    __table_args__ = (UniqueConstraint("dossier_id", "column"),)


class SelfAssessment(db.Model):
    """The unit's own points for one indicator (điểm tự chấm)."""

    __tablename__ = "self_assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    points: Mapped[float] = mapped_column(Float)
    dossier: Mapped[Dossier] = relationship(back_populates="self_points")

    __table_args__ = (
        UniqueConstraint("dossier_id", "indicator_code"),
        CheckConstraint("points >= 0", name="points_not_negative"),
    )


class EvidenceFile(db.Model):
    """An uploaded evidence document; the bytes live in a blob named by their sha256."""

    __tablename__ = "evidence_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    criterion_code: Mapped[str | None] = mapped_column(String(40))
    document_code: Mapped[str | None] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A PDF's digital signatures as checked on upload (emulation/signatures): the verdict,
    # and each signature's findings; None for other files.
    signature_verdict: Mapped[str | None] = mapped_column(String(20))
    signature_check: Mapped[dict | None] = mapped_column(JSON)
    dossier: Mapped[Dossier] = relationship(back_populates="evidence")

    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="size_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )


class CriterionNote(db.Model):
    """The unit's narrative for one criterion (thuyết minh)."""

    __tablename__ = "criterion_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    criterion_code: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    dossier: Mapped[Dossier] = relationship(back_populates="notes")

    __table_args__ = (UniqueConstraint("dossier_id", "criterion_code"),)


class SupplementRequest(db.Model):
    """The council returns a dossier for supplement: which criteria, why, and by when."""

    __tablename__ = "supplement_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    criteria: Mapped[list] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dossier: Mapped[Dossier] = relationship(back_populates="supplements")
    requested_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint("length(reason) > 0", name="reason_given"),
        CheckConstraint("due_at > requested_at", name="due_after_request"),
    )


class DeadlineExtension(db.Model):
    """A later deadline granted to one unit for one round, with the reason."""

    __tablename__ = "deadline_extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    round: Mapped[Round] = relationship()
    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        UniqueConstraint("round_id", "unit_id"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )
