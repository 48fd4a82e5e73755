"""Never twice: a sender killed between handing a message over and marking it, two senders."""

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

from emulation.access import now
from emulation.dossiers.operations import submit_dossier
from emulation.dossiers.supervision import return_for_supplement
from emulation.extensions import db
from emulation.notify.models import Notification
from emulation.notify.sender import run_pass
from emulation.notify.transport import SmtpTransport

from .world import DEADLINE, build


def _two_events(make):
    w = build(make)
    submit_dossier(w.dossier, user=w.editor, now=DEADLINE - timedelta(days=2))
    return_for_supplement(
        w.dossier, criteria=["TC1"], reason="Bổ sung", due_at=DEADLINE + timedelta(days=9),
        user=w.secretariat, now=DEADLINE + timedelta(days=2),
    )  # fmt: skip
    db.session.commit()
    return w


def _statuses():
    db.session.expire_all()
    return sorted(db.session.scalars(db.select(Notification.status)))


@pytest.mark.commits
@pytest.mark.parametrize(
    ("mark_every", "after_recovery"),
    [
        # Marked one at a time: only the message being handed over is in doubt.
        (1, {"uncertain": 1, "released": 3, "sent": 3}),
        # Marked twenty at a time: the whole few are in doubt, none is sent twice.
        (20, {"uncertain": 4, "released": 0, "sent": 0}),
    ],
)
def test_sender_killed_after_handing_over_never_sends_it_again(
    app, make, smtp_server, tmp_path, mark_every, after_recovery
):
    mailbox, config = smtp_server()
    _two_events(make)  # four messages
    env = dict(
        os.environ,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        EMULATION_INSTANCE_PATH=str(tmp_path / "instance"),
        SECRET_KEY="test-secret",
        EMULATION_SMTP_HOST="127.0.0.1",
        EMULATION_SMTP_PORT=str(config["SMTP_PORT"]),
        EMULATION_SMTP_SECURITY="none",
        EMULATION_NOTIFY_MARK_EVERY=str(mark_every),
    )
    sender = subprocess.Popen(
        [sys.executable, "-c", "from emulation.cli import main; main()", "notify", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    killed = []

    def kill_sender(_envelope):
        # The server has the whole message; the sender dies before it hears "250".
        if not killed:
            killed.append(True)
            os.kill(sender.pid, signal.SIGKILL)

    mailbox.on_data = kill_sender
    sender.communicate(timeout=60)
    assert sender.returncode == -signal.SIGKILL
    assert len(mailbox.messages()) == 1
    claimed = 4 - after_recovery["uncertain"]
    assert _statuses() == ["claimed"] * claimed + ["sending"] * (4 - claimed)

    # Before the dead sender's lease runs out, nobody touches its messages.
    app.config["NOW"] = lambda: datetime.now(UTC)
    assert run_pass(SmtpTransport(app.config | config), now).sent == 0
    # After it: the messages being handed over are uncertain, the others go out once.
    app.config["NOW"] = lambda: datetime.now(UTC) + timedelta(minutes=11)
    result = run_pass(SmtpTransport(app.config | config), now)
    assert {k: getattr(result, k) for k in after_recovery} == after_recovery
    assert _statuses() == ["sent"] * claimed + ["uncertain"] * (4 - claimed)
    ids = [m["Message-ID"] for m in mailbox.messages()]
    assert len(ids) == 1 + claimed and len(set(ids)) == len(ids)
    first = db.session.scalars(db.select(Notification).filter_by(message_id=ids[0])).one()
    assert first.status == "uncertain" and "may have arrived" in first.last_error
    # Later passes leave them alone: a person decides (outbox page, "send again").
    assert run_pass(SmtpTransport(app.config | config), now).sent == 0
    assert len(mailbox.messages()) == 1 + claimed

@pytest.mark.commits
def test_two_senders_deliver_each_message_exactly_once(app, make, smtp_server):
    mailbox, config = smtp_server()
    app.config.update(config)
    user = make.user("secretariat")
    created = datetime(2024, 8, 1, tzinfo=UTC)
    db.session.add_all(
        Notification(
            key=f"load:{i}", user_id=user.id, category="announcement", kind="announcement",
            subject=f"Thông báo {i}", body="Nội dung", link="", created_at=created,
            email_to=f"u{i}@donvi.example", message_id=f"<load-{i}@thidua>", status="pending",
            attempts=0, next_attempt_at=created,
        )  # fmt: skip
        for i in range(300)
    )
    db.session.commit()
    results, errors = [], []

    def sender():
        try:
            with app.app_context():
                results.append(run_pass(SmtpTransport(app.config), now, batch=10))
                db.session.remove()
        except Exception as exc:  # noqa: BLE001  reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    recipients = [r for _f, rcpts, _m in mailbox.received for r in rcpts]
    assert len(recipients) == 300 and len(set(recipients)) == 300
    assert sum(r.sent for r in results) == 300
    if db.engine.dialect.name == "postgresql":
        # SKIP LOCKED lets both work at once (SQLite lets one writer in at a time).
        assert all(r.sent > 0 for r in results), "both senders took part"
    assert _statuses() == ["sent"] * 300
