"""Personal API tokens: create (secret shown once), revoke, and resolve a request's bearer."""

import secrets
from datetime import datetime

from ..audit import record
from ..extensions import db
from ..models import ApiToken, User, token_digest

TOKEN_PREFIX = "emt_"
MAX_ACTIVE = 20


class TokenError(ValueError):
    """A token cannot be created (too many, or no name)."""


def create_token(user: User, name: str, *, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its secret, which is stored only as a hash."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenError("name")
    active = db.session.scalar(
        db.select(db.func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if active >= MAX_ACTIVE:
        raise TokenError("too_many")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        token_hash=token_digest(secret),
        created_at=now,
    )
    db.session.add(token)
    db.session.flush()
    record("api_token_created", now=now, actor=user, obj=token, details={"name": name})
    return token, secret


def revoke_token(token: ApiToken, *, actor: User, now: datetime) -> None:
    """Revoke a token at once (idempotent)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = now
    db.session.flush()
    record(
        "api_token_revoked",
        now=now,
        actor=actor,
        obj=token,
        details={"name": token.name, "owner": token.user_id},
    )


def user_for_secret(secret: str) -> tuple[ApiToken, User] | None:
    """The active token and active user a bearer secret belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = db.session.execute(
        db.select(ApiToken).filter_by(token_hash=token_digest(secret))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token, token.user


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(
        db.session.execute(
            db.select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.id.desc())
        ).scalars()
    )
