"""Background jobs: long reports, exports, imports and what-if runs, seen by every server."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User
from .types import UTCDateTime, sql_in, utcnow

JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(db.Model):
    """One piece of long work: who started it, its progress, its error or its result file."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random: not guessable
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), default="queued")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_mimetype: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        CheckConstraint(sql_in("status", JOB_STATUSES), name="status_known"),
        CheckConstraint("done >= 0 AND total >= 0", name="progress_positive"),
        Index("ix_jobs_created_by_id_created_at", "created_by_id", "created_at"),
    )

    @property
    def percent(self) -> int:
        """Progress in whole percent (100 once done)."""
        if self.status == "done":
            return 100
        if not self.total:
            return 0
        return max(0, min(100, self.done * 100 // self.total))

    @property
    def finished(self) -> bool:
        """Whether the job ended, well or not."""
        return self.status in ("done", "failed")
