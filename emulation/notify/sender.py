"""Deliver the outbox: claim with a lease, hand each message over once, mark it.

Delivery is at most once. A message is `claimed` (lease committed), then `sending` (committed
before the server gets it, NOTIFY_MARK_EVERY messages at a time), then `sent`. A sender that
dies while a message is `claimed` never began sending it: once the lease expires it is put
back. One that dies while messages are `sending` may or may not have delivered them: once the
lease expires they become `uncertain` and wait in the dead-letter view for a person to resend
them (with the same Message-ID, so a mail client that already has one can tell). A missed
reminder can be resent; a duplicated one cannot be taken back. NOTIFY_MARK_EVERY trades
commits per message against how many messages one crash leaves uncertain (1: exactly one).
"""

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr

from flask import current_app
from sqlalchemy import update

from ..extensions import db
from .models import MANDATORY, Notification
from .outbox import absolute_link, unsubscribe_token
from .transport import DeliveryError

N = Notification


@dataclass
class PassResult:
    """What one pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    uncertain: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the command's output."""
        return (
            f"sent {self.sent}, retry later {self.retried}, failed {self.failed}, "
            f"uncertain {self.uncertain}, released {self.released}"
        )


def _set(where, **values) -> int:
    result = db.session.execute(update(N).where(*where).values(**values))
    db.session.commit()
    return result.rowcount


def recover_expired(now: datetime, result: PassResult) -> None:
    """Deal with the messages of senders that died: put back or mark uncertain. Commits."""
    result.released += _set(
        (N.status == "claimed", N.lease_until < now),
        status="pending",
        claim_token=None,
        lease_until=None,
    )
    result.uncertain += _set(
        (N.status == "sending", N.lease_until < now),
        status="uncertain",
        last_error="the sender stopped while handing the message to the server; "
        "it may have arrived and is not sent again automatically",
    )


def claim(now: datetime, limit: int) -> tuple[str, list]:
    """Take up to `limit` due messages for this sender under a lease. Commits."""
    token = uuid.uuid4().hex
    query = (
        db.select(N.id)
        .where(N.status == "pending", N.next_attempt_at <= now)
        .order_by(N.next_attempt_at, N.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        # Rows another sender is claiming right now are skipped, not waited for.
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(query))
    if not ids:
        db.session.commit()
        return token, []
    lease = timedelta(seconds=int(current_app.config["NOTIFY_LEASE_SECONDS"]))
    _set(
        (N.id.in_(ids), N.status == "pending"),
        status="claimed",
        claim_token=token,
        lease_until=now + lease,
        attempts=N.attempts + 1,
    )
    rows = db.session.execute(
        db.select(
            N.id, N.user_id, N.category, N.subject, N.body, N.email_to, N.message_id, N.attempts
        )
        .where(N.claim_token == token)
        .order_by(N.id)
    ).all()
    db.session.commit()
    return token, rows


def build_message(row) -> Message:
    """The e-mail of an outbox row: plain UTF-8 text, Message-ID from the idempotency key."""
    config = current_app.config
    # The classic MIME classes fold long non-ASCII subjects as RFC 2047 asks; the newer
    # EmailMessage loses the space at a fold ("bổ sung:Sơ kết").
    message = MIMEText(row.body, "plain", "utf-8")
    message["Subject"] = Header(row.subject, "utf-8")
    name, address = parseaddr(config["MAIL_FROM"])
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = row.email_to
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    if row.category not in MANDATORY:
        token = unsubscribe_token(row.user_id, row.category)
        message["List-Unsubscribe"] = f"<{absolute_link('notify.unsubscribe', token=token)}>"
    return message


def _after_failure(row, token: str, error: DeliveryError, now: datetime, result) -> None:
    mine = (N.id == row.id, N.claim_token == token)
    reason = error.reason[:1000]
    if error.uncertain:
        result.uncertain += _set(mine, status="uncertain", last_error=reason)
    elif error.permanent or row.attempts >= int(current_app.config["NOTIFY_MAX_ATTEMPTS"]):
        result.failed += _set(mine, status="failed", last_error=reason, lease_until=None)
    else:
        # Back off: 1, 2, 4, 8 … times NOTIFY_RETRY_SECONDS after each failed try.
        delay = int(current_app.config["NOTIFY_RETRY_SECONDS"]) * 2 ** (row.attempts - 1)
        result.retried += _set(
            mine,
            status="pending",
            claim_token=None,
            lease_until=None,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=reason,
        )
    result.errors.append(f"#{row.id} {row.email_to}: {reason}")


def _mark_sent(ids: list[int], token: str, clock, result: PassResult) -> None:
    if ids:
        result.sent += _set(
            (N.id.in_(ids), N.claim_token == token),
            status="sent",
            sent_at=clock(),
            claim_token=None,
            lease_until=None,
            last_error=None,
        )


def deliver_chunk(transport, rows, token: str, clock, result: PassResult) -> bool:
    """Mark a few claimed messages `sending` (one commit), hand each over, mark them `sent`.

    Returns False when the server cannot be reached: the rest is given back for later.
    """
    ids = [row.id for row in rows]
    _set((N.id.in_(ids), N.claim_token == token, N.status == "claimed"), status="sending")
    # Only rows still ours (a lease that ran out may have passed one to another sender).
    mine = set(
        db.session.scalars(
            db.select(N.id).where(N.id.in_(ids), N.claim_token == token, N.status == "sending")
        )
    )
    db.session.commit()
    sender = parseaddr(current_app.config["MAIL_FROM"])[1]
    delivered: list[int] = []
    for index, row in enumerate(rows):
        if row.id not in mine:
            continue
        try:
            transport.send(build_message(row), sender, row.email_to)
        except DeliveryError as error:
            _mark_sent(delivered, token, clock, result)
            delivered = []
            _after_failure(row, token, error, clock(), result)
            if not error.permanent and not error.uncertain and transport_down(error):
                for rest in rows[index + 1 :]:
                    _after_failure(rest, token, error, clock(), result)
                return False
        else:
            delivered.append(row.id)
    _mark_sent(delivered, token, clock, result)
    return True


def run_pass(transport, clock, *, batch: int = 100, limit: int | None = None) -> PassResult:
    """One pass: recover, then claim and deliver due messages until none are left."""
    result = PassResult()
    recover_expired(clock(), result)
    chunk = max(1, int(current_app.config["NOTIFY_MARK_EVERY"]))
    done = 0
    try:
        while limit is None or done < limit:
            token, rows = claim(clock(), batch if limit is None else min(batch, limit - done))
            if not rows:
                break
            done += len(rows)
            for start in range(0, len(rows), chunk):
                if not deliver_chunk(transport, rows[start : start + chunk], token, clock, result):
                    # The server is unreachable: give the rest back for a later try.
                    for rest in rows[start + chunk :]:
                        _after_failure(rest, token, error_down(result), clock(), result)
                    return result
    finally:
        db.session.rollback()
        transport.close()
    return result


def error_down(result: PassResult) -> DeliveryError:
    """The last error again, for the messages a broken connection left untried."""
    return DeliveryError(result.errors[-1].split(": ", 1)[1] if result.errors else "not tried")


def transport_down(error: DeliveryError) -> bool:
    """Whether the failure was reaching the server at all (not this one message)."""
    return error.reason.split(":", 1)[0] in ("connect", "STARTTLS", "login", "mail folder")


def run_worker(transport, clock, *, interval: float, plan, stop, log) -> None:
    """Plan reminders and deliver, every `interval` seconds, until `stop()` is true."""
    while not stop():
        planned = plan(clock())
        db.session.commit()
        result = run_pass(transport, clock)
        if planned or result.sent or result.errors:
            log(f"planned {planned}; {result.summary()}")
        for line in result.errors:
            log(f"  {line}")
        deadline = time.monotonic() + interval
        while not stop() and time.monotonic() < deadline:
            time.sleep(min(1.0, interval))
