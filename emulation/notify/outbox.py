"""Write messages into the outbox, in the recipient's language, in the caller's transaction."""

import hashlib
import re
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import User
from ..scoring.schema import parse_offset
from .models import MANDATORY, Notification, NotificationOptOut


def default_offsets() -> tuple[timedelta, ...]:
    """The reminder offsets used where the rule file declares none (config NOTIFY_REMINDERS)."""
    text = current_app.config["NOTIFY_REMINDERS"]
    return tuple(parse_offset(part) for part in text.split(",") if part.strip())


def offset_label(delta: timedelta) -> str:
    """'3d', '2h', '30m': the offset as written in rule files (and in idempotency keys)."""
    seconds = int(delta.total_seconds())
    if seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    return f"{seconds // 60}m"


def base_url() -> str:
    """Where links in messages point: BASE_URL, else this request's host, else localhost."""
    configured = current_app.config.get("BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def absolute_link(endpoint: str, **values) -> str:
    """An absolute link to a page, usable outside a request (the sender, the CLI)."""
    adapter = current_app.url_map.bind("localhost", url_scheme="http")
    return base_url() + adapter.build(endpoint, values)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notify-unsubscribe")


def unsubscribe_token(user_id: int, category: str) -> str:
    """A signed token that turns off one category of e-mail for one user."""
    return _serializer().dumps([user_id, category])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, category) from a token, or None when it was not signed by us."""
    try:
        user_id, category = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(category, str):
        return None
    return user_id, category


def keys_starting(prefix: str) -> set[str]:
    """The outbox keys that start with `prefix`."""
    query = db.select(Notification.key).where(Notification.key.startswith(prefix))
    return set(db.session.scalars(query))


def message_id_for(key: str) -> str:
    """The Message-ID derived from the idempotency key: the same message keeps the same id."""
    domain = parseaddr(current_app.config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def opted_out(user: User, category: str) -> bool:
    """Whether the user turned this category of e-mail off (never for security messages)."""
    if category in MANDATORY:
        return False
    return (
        db.session.scalar(
            db.select(NotificationOptOut.id).filter_by(user_id=user.id, category=category)
        )
        is not None
    )


def user_locale(user: User) -> str:
    """The recipient's language: the account's choice, else Vietnamese."""
    return user.locale if user.locale in current_app.config["LANGUAGES"] else "vi"


class Batch:
    """Messages planned together: their existing keys and the opt-outs are loaded once, and
    new rows go into the outbox a few hundred per INSERT (the planner writes thousands)."""

    def __init__(self, prefix: str):
        self.known = keys_starting(prefix)
        self.optouts = set(
            db.session.execute(db.select(NotificationOptOut.user_id, NotificationOptOut.category))
        )
        self.rows: list[dict] = []

    def add(self, row: dict) -> None:
        """Queue one row; writes every 500."""
        self.rows.append(row)
        if len(self.rows) >= 500:
            self.flush()

    def flush(self) -> int:
        """Write the queued rows; flushes, never commits."""
        rows, self.rows = self.rows, []
        return _insert(rows) if rows else 0


def _insert(rows: list[dict]) -> int:
    # Two transactions writing the same key: the second one skips it instead of failing.
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[db.engine.dialect.name]
    statement = dialect.insert(Notification).values(rows).on_conflict_do_nothing()
    # RETURNING counts what was written (rowcount is -1 for this statement on psycopg).
    return len(db.session.execute(statement.returning(Notification.id)).all())


def enqueue(
    user: User,
    *,
    key: str,
    category: str,
    kind: str,
    link: tuple,
    now: datetime,
    batch: Batch | None = None,
    **context,
) -> bool:
    """Write one message for `user` (once per `key`); flushes, never commits.

    `link` is (endpoint, values) of the page to act on; the text comes from
    templates/notify/mail/<kind>.txt rendered in the user's language. Returns whether a
    new message was written (with a `batch`: queued in it, written at its flush).
    """
    if not user.active:
        return False
    key = f"{key}:u{user.id}"
    if batch is not None:
        if key in batch.known:
            return False
        batch.known.add(key)
    elif db.session.scalar(db.select(Notification.id).filter_by(key=key)) is not None:
        return False
    endpoint, values = link
    with force_locale(user_locale(user)):
        url = absolute_link(endpoint, **values)
        unsubscribe = (
            absolute_link("notify.unsubscribe", token=unsubscribe_token(user.id, category))
            if category not in MANDATORY
            else None
        )
        subject, body = render_message(
            kind, user=user, link=url, unsubscribe=unsubscribe, now=now, **context
        )
    if batch is not None:
        off = category not in MANDATORY and (user.id, category) in batch.optouts
    else:
        off = opted_out(user, category)
    email = user.email if user.email and not off else None
    row = dict(
        key=key,
        user_id=user.id,
        category=category,
        kind=kind,
        subject=" ".join(subject.split())[:300],
        body=body,
        link=url[:500],
        created_at=now,
        email_to=email,
        message_id=message_id_for(key),
        status="pending" if email else "none",
        attempts=0,
        next_attempt_at=now if email else None,
    )
    if batch is not None:
        batch.add(row)
        return True
    return _insert([row]) == 1


def render_message(kind: str, **names) -> tuple[str, str]:
    """Subject and plain-text body of templates/notify/mail/<kind>.txt in the current locale."""
    current_app.update_template_context(names)
    template = current_app.jinja_env.get_template(f"notify/mail/{kind}.txt")
    subject = "".join(template.blocks["subject"](template.new_context(names)))
    body = template.render(names)
    # Templates are laid out for reading; the message keeps single blank lines only.
    body = re.sub(r"\n\s*\n(\s*\n)+", "\n\n", body).strip() + "\n"
    return " ".join(subject.split()), body
