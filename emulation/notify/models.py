"""The notification outbox (one row per message and recipient) and e-mail opt-outs."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import User
from ..models.types import UTCDateTime, sql_in

CATEGORIES = ("reminder", "dossier", "registration", "council", "plan", "announcement", "security")
# Security messages always go out by e-mail: a user may not turn them off.
MANDATORY = ("security",)
# none: in the app only (no address, or the user turned e-mail off for the category).
# claimed: a sender holds it (lease) and has not started talking to the server about it.
# sending: the message is being handed to the server; after a crash nobody knows whether it
# arrived, so it becomes `uncertain` instead of being sent again blindly.
# cancelled: a reminder that lost its reason before it went out (deadline moved, submitted).
STATUSES = ("none", "pending", "claimed", "sending", "sent", "failed", "uncertain", "cancelled")


class Notification(db.Model):
    """One message to one user: in the app's list, and in the e-mail outbox unless `none`."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The idempotency key: the same event or reminder never produces a second row.
    key: Mapped[str] = mapped_column(String(250), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    category: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_to: Mapped[str | None] = mapped_column(String(200))
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    user: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint(sql_in("status", STATUSES), name="status_known"),
        CheckConstraint(sql_in("category", CATEGORIES), name="category_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("status = 'none' OR email_to IS NOT NULL", name="mail_has_address"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_status_next", "status", "next_attempt_at"),
    )


class NotificationOptOut(db.Model):
    """A category of e-mail a user turned off (the message still shows in the app)."""

    __tablename__ = "notification_optouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        UniqueConstraint("user_id", "category"),
        CheckConstraint(sql_in("category", CATEGORIES), name="category_known"),
    )
