"""Security events a user should hear about: one function each, called where they happen.

Each records the audit event and returns nothing; a notification sender can be added here
without touching the views that raise the events.
"""

from datetime import datetime

from ..audit import record
from ..models import User
from ..notify import events as notify_events


def login_locked(
    username: str, address: str | None, *, until: datetime, user: User | None, now: datetime
) -> None:
    """Too many wrong passwords for `username` from `address`: that pair waits until `until`."""
    details = {"username": username[:80], "address": address, "until": until.isoformat()}
    record("login_locked", now=now, obj=user, details=details)
    if user is not None:
        notify_events.account_event(
            user, "account_locked", now=now, until=until, address=address or "?"
        )
        notify_events.lockout_reported(user, address=address or "?", until=until, now=now)


def password_reset(user: User, *, actor: User, now: datetime) -> None:
    """`actor` gave `user` a one-time password; the owner must choose a new one at sign-in."""
    record("user_password_reset", now=now, actor=actor, obj=user, details={"by": actor.username})
    notify_events.account_event(user, "password_reset", now=now)


def password_changed(user: User, *, now: datetime) -> None:
    """The owner chose a new password."""
    record("password_changed", now=now, actor=user, obj=user)
