"""Sessions tied to a per-user version: raising it signs the user out on every device."""

from datetime import datetime

from ..audit import record
from ..extensions import db
from ..models import User


def load_session_user(token: str) -> User | None:
    """The active user a session or remember-me token names, if its version is still current."""
    user_id, _sep, version = str(token).partition(":")
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    if user is None or not user.active or version != str(user.session_version):
        return None
    return user


def end_all_sessions(user: User, *, actor: User | None, now: datetime) -> None:
    """Invalidate every session and remember-me cookie of `user`; audited. Flushes."""
    user.session_version += 1
    db.session.flush()
    record("sessions_ended", now=now, actor=actor, obj=user, details={"user": user.username})
