"""Per-account login throttling kept in the database, so every server worker sees it."""

from datetime import datetime, timedelta

from flask import current_app

from ..extensions import db
from ..models import User


def lockout_window() -> timedelta:
    """How long an account stays locked, and how far back failures count."""
    return timedelta(minutes=int(current_app.config["LOGIN_LOCKOUT_MINUTES"]))


def locked_until(user: User, now: datetime) -> datetime | None:
    """The instant the account's lockout ends, or None if it is not locked at `now`."""
    if user.locked_until is not None and user.locked_until > now:
        return user.locked_until
    return None


def register_failure(user: User, now: datetime) -> datetime | None:
    """Count a failed login; lock the account when too many fall in the window. Flushes.

    Returns the end of the lockout when this failure started one.
    """
    # Lock the row: two workers counting the same account must not both read the old count.
    db.session.execute(
        db.select(User)
        .where(User.id == user.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    window = lockout_window()
    if user.last_failed_at is None or now - user.last_failed_at > window:
        user.failed_logins = 0
    user.failed_logins += 1
    user.last_failed_at = now
    started = None
    if user.failed_logins >= int(current_app.config["LOGIN_MAX_FAILURES"]):
        user.locked_until = started = now + window
        user.failed_logins = 0
    db.session.flush()
    return started


def register_success(user: User) -> None:
    """Forget past failures after a successful login. Flushes."""
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins = 0
        user.locked_until = None
        db.session.flush()
