"""Server-side sign-ins: each login is a row; its cookies name it; ending it signs out."""

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import joinedload

from ..access import now as clock
from ..audit import record
from ..extensions import db
from ..models import ApiToken, LoginSession, User

TOKEN_BYTES = 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login(user: User, *, remember: bool, now: datetime) -> str:
    """Record a new sign-in of `user`; returns its token and sets it on `user`. Flushes."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        LoginSession(user_id=user.id, token_hash=_digest(token), remember=remember, created_at=now)
    )
    db.session.flush()
    user.login_token = token
    return token


def current_login(token: str) -> LoginSession | None:
    """The open sign-in a session or remember-me token names, if any."""
    if not token or len(token) > 100:
        return None
    # Every page needs the user and the unit named in its header: one query, not three.
    login = db.session.execute(
        db.select(LoginSession)
        .filter_by(token_hash=_digest(str(token)))
        .options(joinedload(LoginSession.user).joinedload(User.unit))
    ).scalar_one_or_none()
    if login is None or login.ended_at is not None:
        return None
    # No sign-in outlives the longest "keep me signed in", however its cookie was kept.
    if login.created_at + current_app.config["REMEMBER_COOKIE_DURATION"] < clock():
        return None
    return login


def load_session_user(token: str) -> User | None:
    """The active user of the open sign-in `token` names (cookie of an ended one: None)."""
    login = current_login(token)
    if login is None or not login.user.active:
        return None
    user = login.user
    user.login_token = token
    return user


def end_login(token: str | None, *, now: datetime, reason: str = "logout") -> None:
    """End one sign-in (this browser's): its session and remember-me cookies stop working."""
    login = current_login(token) if token else None
    if login is not None:
        login.ended_at = now
        login.end_reason = reason
        db.session.flush()


def end_all_sessions(
    user: User,
    *,
    actor: User | None,
    now: datetime,
    keep: str | None = None,
    reason: str = "signed_out_everywhere",
) -> None:
    """End every sign-in of `user` (but `keep`'s) and revoke every API token; audited. Flushes."""
    kept = _digest(keep) if keep else None
    logins = db.session.execute(
        db.select(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
        )
    ).scalars()
    ended = 0
    for login in logins:
        if login.token_hash != kept:
            login.ended_at, login.end_reason = now, reason
            ended += 1
    tokens = db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).scalars()
    revoked = 0
    for token in tokens:
        token.revoked_at = now
        revoked += 1
    user.session_version += 1
    db.session.flush()
    details = {"user": user.username, "sessions": ended, "api_tokens": revoked, "reason": reason}
    record("sessions_ended", now=now, actor=actor, obj=user, details=details)
