"""Writes behind the notification pages: read marks, e-mail choices, resend, announcements."""

from datetime import datetime

from sqlalchemy import update

from ..audit import record
from ..extensions import db
from ..models import UNIT_ROLES, Candidate, Movement, Unit, User
from .models import CATEGORIES, MANDATORY, Notification, NotificationOptOut
from .outbox import enqueue

OPTIONAL = tuple(c for c in CATEGORIES if c not in MANDATORY)


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread."""
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_read(user: User, *, now: datetime, notification_id: int | None = None) -> int:
    """Mark one (or every) unread notification of the user read. Flushes."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return db.session.execute(query.values(read_at=now)).rowcount


def opted_out_categories(user: User) -> set[str]:
    """The categories of e-mail the user turned off."""
    return set(
        db.session.scalars(db.select(NotificationOptOut.category).filter_by(user_id=user.id))
    )


def set_email_choices(user: User, wanted: set[str], *, now: datetime, actor: User | None):
    """Keep e-mail on for `wanted` optional categories and off for the rest. Flushes, audited."""
    before = opted_out_categories(user)
    off = {c for c in OPTIONAL if c not in wanted}
    for category in off - before:
        db.session.add(NotificationOptOut(user_id=user.id, category=category, created_at=now))
    if before - off:
        db.session.execute(
            db.delete(NotificationOptOut).where(
                NotificationOptOut.user_id == user.id,
                NotificationOptOut.category.in_(before - off),
            )
        )
    db.session.flush()
    if off != before:
        record(
            "notify_preferences",
            now=now,
            actor=actor,
            obj=user,
            details={"email_off": sorted(off), "before": sorted(before)},
        )


def resend(notification: Notification, *, actor: User, now: datetime) -> None:
    """Put a failed or uncertain message back in the outbox (same Message-ID). Audited."""
    if notification.status not in ("failed", "uncertain") or not notification.email_to:
        raise ValueError("only a failed or uncertain message can be sent again")
    record(
        "notify_resend",
        now=now,
        actor=actor,
        obj=notification,
        details={"status": notification.status, "error": notification.last_error},
    )
    notification.status = "pending"
    notification.attempts = 0
    notification.next_attempt_at = now
    notification.claim_token = notification.lease_until = None
    db.session.flush()


def announce(movement: Movement, *, title: str, text: str, actor: User, now: datetime) -> int:
    """Send an announcement to every unit user of the movement's units. Flushes, audited."""
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise ValueError("a title and a text are needed")
    users = list(
        db.session.scalars(
            db.select(User)
            .join(Unit, User.unit_id == Unit.id)
            .join(Candidate, Candidate.unit_id == Unit.id)
            .where(
                Candidate.movement_id == movement.id,
                Candidate.kind == "collective",
                Unit.active,
                User.active,
                User.role.in_(UNIT_ROLES),
            )
            .order_by(User.id)
        )
    )
    event = record(
        "notify_announcement",
        now=now,
        actor=actor,
        obj=movement,
        details={"title": title, "text": text, "recipients": len(users)},
    )
    for user in users:
        enqueue(
            user,
            key=f"announce:e{event.id}",
            category="announcement",
            kind="announcement",
            link=("units.unit_page", {"code": user.unit.code}),
            now=now,
            movement=movement,
            title=title,
            text=text,
        )
    return len(users)
