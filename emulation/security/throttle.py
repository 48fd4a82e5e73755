"""Login throttling per username *and* client address, kept in the database.

Failures count against the pair (username as typed, address), whether or not the username
exists: an unknown name is answered exactly like a known one, and someone at another address
who knows a username cannot lock its owner out. The per-address rate limit (limits.py) caps
how many names one address may try.
"""

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import LoginThrottle


def lockout_window() -> timedelta:
    """How long a pair stays locked, and how far back failures count."""
    return timedelta(minutes=int(current_app.config["LOGIN_LOCKOUT_MINUTES"]))


def throttle_key(username: str, address: str | None) -> str:
    """The stored key of a (username, address) pair: a hash, so the table names nobody."""
    text = f"{(username or '').strip().casefold()}\0{address or ''}"
    return hashlib.sha256(text.encode()).hexdigest()


def _row(key: str, *, lock: bool = False) -> LoginThrottle | None:
    query = db.select(LoginThrottle).filter_by(key_hash=key)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.execute(query).scalar_one_or_none()


def locked_until(username: str, address: str | None, now: datetime) -> datetime | None:
    """The instant the pair's lockout ends, or None if it is not locked at `now`."""
    row = _row(throttle_key(username, address))
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    return None


def register_failure(username: str, address: str | None, now: datetime) -> datetime | None:
    """Count a failed login of the pair; lock it when too many fall in the window. Flushes.

    Returns the end of the lockout when this failure started one.
    """
    key = throttle_key(username, address)
    row = _row(key, lock=True)
    if row is None:
        try:
            with db.session.begin_nested():
                row = LoginThrottle(key_hash=key, failures=0)
                db.session.add(row)
        except IntegrityError:
            # Another worker created the row at the same moment: count on theirs.
            row = _row(key, lock=True)
    window = lockout_window()
    if row.last_failed_at is None or now - row.last_failed_at > window:
        row.failures = 0
    row.failures += 1
    row.last_failed_at = now
    started = None
    if row.failures >= int(current_app.config["LOGIN_MAX_FAILURES"]):
        row.locked_until = started = now + window
        row.failures = 0
    db.session.flush()
    return started


def register_success(username: str, address: str | None) -> None:
    """Forget the pair's past failures after a successful login. Flushes."""
    row = _row(throttle_key(username, address))
    if row is not None:
        db.session.delete(row)
        db.session.flush()
