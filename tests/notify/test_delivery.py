"""Messages written with their event reach a real SMTP server on loopback, once."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest

from emulation.access import now
from emulation.dossiers.operations import submit_dossier
from emulation.dossiers.supervision import return_for_supplement
from emulation.extensions import db
from emulation.notify.models import Notification
from emulation.notify.sender import run_pass
from emulation.notify.transport import MailDirTransport, SmtpTransport

from .world import DEADLINE, build

SUBMITTED = DEADLINE - timedelta(days=2)
RETURNED = DEADLINE + timedelta(days=3)
DUE = DEADLINE + timedelta(days=10)  # 23:59:59 on 09/09/2024 in Vietnam


def _returned(make, set_now, **kw):
    w = build(make, **kw)
    submit_dossier(w.dossier, user=w.editor, now=SUBMITTED)
    return_for_supplement(
        w.dossier,
        criteria=["TC1"],
        reason="Thiếu tài liệu kiểm chứng",
        due_at=DUE,
        user=w.secretariat,
        now=RETURNED,
    )
    db.session.commit()
    set_now(RETURNED)
    return w


def _statuses():
    return sorted(db.session.scalars(db.select(Notification.status)))


def test_returned_dossier_arrives_in_vietnamese_with_link_and_instants(
    app, make, set_now, smtp_server
):
    mailbox, config = smtp_server()
    app.config.update(config, BASE_URL="https://thidua.vks.example")
    w = _returned(make, set_now)
    result = run_pass(SmtpTransport(app.config), now)
    # Receipt and return notice, each to the editor and the head.
    assert result.sent == 4 and result.errors == []
    returned = [m for m in mailbox.messages() if "trả lại" in m["Subject"]]
    assert sorted(m["To"] for m in returned) == [
        "canbo@haichau.example",
        "truong@haichau.example",
    ]
    message = returned[0]
    assert message["Subject"] == (
        "Hồ sơ bị trả lại để bổ sung: Sơ kết năm 2024, "
        "hạn 23:59:59 ngày 09/09/2024, giờ Việt Nam (UTC+7)"
    )
    body = message.get_content()
    assert "Hội đồng đã trả lại hồ sơ của VKSND quận Hải Châu" in body
    assert "Lý do: Thiếu tài liệu kiểm chứng" in body
    assert "Tiêu chí cần bổ sung: TC1" in body
    assert f"https://thidua.vks.example/dossiers/{w.dossier.id}/edit" in body
    assert "vì là" in body  # why the person gets it
    assert "/notifications/unsubscribe/" in body  # every category but security can be stopped
    receipt = next(m for m in mailbox.messages() if "Biên nhận" in m["Subject"])
    assert "21:59:59 ngày 28/08/2024, giờ Việt Nam (UTC+7)" not in receipt.get_content()
    assert "23:59:59 ngày 28/08/2024, giờ Việt Nam (UTC+7)" in receipt.get_content()
    assert w.dossier.latest_version.content_hash in receipt.get_content()
    assert _statuses() == ["sent"] * 4
    # A second pass finds nothing to send: each message went once.
    assert run_pass(SmtpTransport(app.config), now).sent == 0
    assert len(mailbox.messages()) == 4
    assert len({m["Message-ID"] for m in mailbox.messages()}) == 4


def test_english_recipient_gets_english(app, make, set_now, smtp_server):
    mailbox, config = smtp_server()
    app.config.update(config)
    w = build(make)
    w.head.locale = "en"
    db.session.commit()
    submit_dossier(w.dossier, user=w.editor, now=SUBMITTED)
    db.session.commit()
    set_now(SUBMITTED)
    run_pass(SmtpTransport(app.config), now)
    english = next(m for m in mailbox.messages() if m["To"] == "truong@haichau.example")
    assert english["Subject"].startswith("Receipt ")
    assert "23:59:59 on 28/08/2024, Vietnam time (UTC+7)" in english.get_content()


def test_rolled_back_action_sends_nothing(app, make, set_now, smtp_server):
    mailbox, config = smtp_server()
    app.config.update(config)
    w = build(make)
    submit_dossier(w.dossier, user=w.editor, now=SUBMITTED)
    db.session.rollback()
    set_now(SUBMITTED)
    assert run_pass(SmtpTransport(app.config), now).sent == 0
    assert mailbox.messages() == [] and _statuses() == []


def test_starttls_and_login(app, make, set_now, smtp_server):
    mailbox, config = smtp_server(secure=True)
    app.config.update(config)
    _returned(make, set_now)
    assert run_pass(SmtpTransport(app.config), now).sent == 4
    assert len(mailbox.messages()) == 4


def test_implicit_tls(app, make, set_now, smtp_server):
    mailbox, config = smtp_server(implicit_tls=True)
    app.config.update(config)
    _returned(make, set_now)
    assert run_pass(SmtpTransport(app.config), now).sent == 4
    assert len(mailbox.messages()) == 4


@pytest.mark.parametrize(
    ("secure", "change", "reason"),
    [
        (True, {"SMTP_PASSWORD": "sai-mat-khau"}, "login: 535"),
        (False, {"SMTP_SECURITY": "starttls"}, "STARTTLS: SMTPNotSupportedError"),
        (True, {"SMTP_CA_FILE": ""}, "STARTTLS: SSLCertVerificationError"),
    ],
    ids=["wrong-password", "no-starttls-offered", "untrusted-certificate"],
)
def test_starttls_or_login_failure_is_retried_then_reported(
    app, make, set_now, smtp_server, secure, change, reason
):
    mailbox, config = smtp_server(secure=secure)
    app.config.update(config)
    app.config.update(NOTIFY_MAX_ATTEMPTS=3, NOTIFY_RETRY_SECONDS=60, **change)
    _returned(make, set_now)
    clock = app.config["NOW"]
    first = run_pass(SmtpTransport(app.config), now)
    assert first.sent == 0 and first.retried == 4
    assert _statuses() == ["pending"] * 4
    rows = db.session.scalars(db.select(Notification)).all()
    assert all(reason in r.last_error for r in rows), rows[0].last_error
    # Backoff: nothing is tried again before the delay (60 s after the first failure).
    clock.instant = RETURNED + timedelta(seconds=59)
    assert run_pass(SmtpTransport(app.config), now).retried == 0
    clock.instant = RETURNED + timedelta(seconds=61)
    assert run_pass(SmtpTransport(app.config), now).retried == 4
    # Then 120 s more; the third failure is final.
    clock.instant = RETURNED + timedelta(seconds=61 + 121)
    assert run_pass(SmtpTransport(app.config), now).failed == 4
    db.session.expire_all()
    assert _statuses() == ["failed"] * 4
    assert mailbox.messages() == []


def test_refused_recipient_fails_at_once(app, make, set_now, smtp_server):
    mailbox, config = smtp_server()
    app.config.update(config)
    w = build(make)
    w.editor.email = "khong-co@refused.example"  # the server has no such mailbox
    db.session.commit()
    submit_dossier(w.dossier, user=w.editor, now=SUBMITTED)
    db.session.commit()
    set_now(SUBMITTED)
    result = run_pass(SmtpTransport(app.config), now)
    assert result.sent == 1 and result.failed == 1
    failed = db.session.scalars(db.select(Notification).filter_by(status="failed")).one()
    assert failed.email_to == "khong-co@refused.example"
    assert failed.last_error.startswith("RCPT: 550")


def test_server_down_leaves_messages_waiting(app, make, set_now):
    from .conftest import free_port

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_SECURITY="none")
    _returned(make, set_now)
    result = run_pass(SmtpTransport(app.config), now)
    assert result.retried == 4 and "connect" in result.errors[0]
    assert _statuses() == ["pending"] * 4


def test_mail_dir_writes_eml_files(app, make, set_now, tmp_path):
    _returned(make, set_now)
    result = run_pass(MailDirTransport(tmp_path / "mail"), now)
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert result.sent == 4 and len(files) == 4
    subjects = sorted(
        message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in files
    )
    assert subjects[0].startswith("Biên nhận") and subjects[-1].startswith("Hồ sơ bị trả lại")
    # A second pass writes nothing more.
    assert run_pass(MailDirTransport(tmp_path / "mail"), now).sent == 0


def test_without_address_only_in_the_app(app, make, set_now, tmp_path):
    _returned(make, set_now, email=False)
    assert _statuses() == ["none"] * 4
    assert run_pass(MailDirTransport(tmp_path), now).sent == 0


def test_worker_plans_and_delivers_until_stopped(app, make, set_now, smtp_server):
    from emulation.notify.planning import plan_all
    from emulation.notify.sender import run_worker

    mailbox, config = smtp_server()
    app.config.update(config)
    build(make)
    set_now(DEADLINE - timedelta(days=7))
    passes, lines = [], []

    def plan(at):
        passes.append(at)
        return plan_all(at)

    run_worker(
        SmtpTransport(app.config), now, interval=3600, plan=plan,
        stop=lambda: len(passes) >= 1, log=lines.append,
    )  # fmt: skip
    assert len(passes) == 1
    assert sorted(m["To"] for m in mailbox.messages()) == [
        "canbo@haichau.example",
        "thuky@vks.example",  # the secretariat's digest (after 07:00 in Vietnam)
        "truong@haichau.example",
    ]
    assert lines and lines[0].startswith("planned 3; sent 3")
