"""Council review: assignments, point adjustments, ranking snapshots."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .dossiers import Dossier
from .movements import Round
from .people import User
from .types import UTCDateTime, sql_in, utcnow

REVIEW_STATES = ("assigned", "done", "recused")


class Review(db.Model):
    """A council member's review of one dossier."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="assigned")
    recusal_reason: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dossier: Mapped[Dossier] = relationship()
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    adjustments: Mapped[list["Adjustment"]] = relationship(
        back_populates="review", order_by="Adjustment.id"
    )

    __table_args__ = (
        UniqueConstraint("dossier_id", "reviewer_id"),
        CheckConstraint(sql_in("status", REVIEW_STATES), name="status_known"),
        CheckConstraint(
            "status <> 'recused' OR length(recusal_reason) > 0", name="recusal_has_reason"
        ),
    )


class Adjustment(db.Model):
    """Council points for one indicator, replacing the computed points, with its reason."""

    __tablename__ = "adjustments"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    review: Mapped[Review] = relationship(back_populates="adjustments")

    __table_args__ = (
        CheckConstraint("points >= 0", name="points_not_negative"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )


class RankingSnapshot(db.Model):
    """A frozen ranking of a round: inputs, rule hash, results and a hash over all of it."""

    __tablename__ = "ranking_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rules_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    payload_hash: Mapped[str] = mapped_column(String(64))
    # Every candidate's points per item, column-wise; its sha256 is in the payload. Loaded only
    # when read: a round of 1,000 candidates x 50 items holds several megabytes here.
    details: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    round: Mapped[Round] = relationship()

    __table_args__ = (
        CheckConstraint("length(payload_hash) = 64", name="payload_hash_sha256"),
        CheckConstraint(
            "reopened_at IS NULL OR length(reopen_reason) > 0", name="reopen_has_reason"
        ),
    )
