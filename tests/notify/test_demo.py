"""The demo shows notifications for each role, and `emulation notify run --mail-dir` sends them."""

from datetime import UTC, datetime
from email import message_from_bytes, policy

from emulation.demo import load_demo
from emulation.extensions import db
from emulation.models import User
from emulation.notify.models import Notification

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def _kinds(username):
    user = db.session.scalars(db.select(User).filter_by(username=username)).one()
    return {n.kind for n in db.session.scalars(db.select(Notification).filter_by(user_id=user.id))}


def test_demo_notifications_for_each_role(app, runner, tmp_path):
    load_demo(now=NOW)
    db.session.commit()
    editor = _kinds("canbo.haichau")
    assert {"reminder_round", "dossier_returned", "dossier_received", "announcement"} <= editor
    reminder = db.session.scalars(
        db.select(Notification)
        .join(User)
        .where(User.username == "canbo.haichau", Notification.kind == "reminder_round")
    ).one()
    assert "2026" in reminder.subject and "23:59:59 ngày 12/03/2026" in reminder.subject
    assert {"reminder_round", "results_published"} <= _kinds("truong.haichau")
    assert {"review_assigned", "vote_opened"} <= _kinds("uyvien.tran")
    assert "digest" in _kinds("thuky")
    assert "lockout_reported" in _kinds("admin") and "account_locked" in _kinds("uyvien.le")

    app.config["NOW"] = lambda: NOW
    result = runner.invoke(args=["notify", "run", "--mail-dir", str(tmp_path / "mail")])
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "mail").glob("*.eml"))
    waiting = db.session.scalar(
        db.select(db.func.count(Notification.id)).where(Notification.email_to.is_not(None))
    )
    statuses = db.session.execute(
        db.select(Notification.kind, Notification.status).where(Notification.email_to.is_not(None))
    ).all()
    assert len(files) == waiting > 0, statuses
    subjects = {message_from_bytes(f.read_bytes(), policy=policy.default)["Subject"] for f in files}
    assert any(s.startswith("Hồ sơ bị trả lại để bổ sung") for s in subjects)
    # Without --mail-dir and without SMTP, the command says where the messages wait.
    result = runner.invoke(args=["notify", "run"])
    assert "No SMTP server configured" in result.output
