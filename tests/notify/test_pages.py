"""In the app: the list with its unread count, e-mail choices, unsubscribe, the outbox."""

import re
from datetime import timedelta

from emulation.extensions import db
from emulation.models import AuditEvent
from emulation.notify.models import Notification
from emulation.notify.planning import plan_all

from .world import DEADLINE, build

SEVEN_DAYS_BEFORE = DEADLINE - timedelta(days=7)
THREE_DAYS_BEFORE = DEADLINE - timedelta(days=3)


def _plan(at):
    plan_all(at)
    db.session.commit()


def _reminder_statuses(user):
    db.session.expire_all()
    return [
        n.status
        for n in db.session.scalars(
            db.select(Notification)
            .filter_by(user_id=user.id, category="reminder")
            .order_by(Notification.id)
        )
    ]


def test_header_counts_unread_and_marking_read(app, make, set_now, client, auth):
    w = build(make)
    set_now(SEVEN_DAYS_BEFORE)
    _plan(SEVEN_DAYS_BEFORE)
    auth.login(w.editor)
    page = client.get("/").get_data(as_text=True)
    assert 'data-unread="1"' in page
    inbox = client.get("/notifications").get_data(as_text=True)
    assert "Nhắc hạn: hồ sơ của VKSND quận Hải Châu" in inbox
    mine = db.session.scalars(db.select(Notification).filter_by(user_id=w.editor.id)).one()
    response = client.post(f"/notifications/{mine.id}/read", data={"open": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/units/VKS-HC")
    assert 'data-unread="0"' in client.get("/").get_data(as_text=True)
    # The head's copy stays unread: marks are per person.
    db.session.expire_all()
    assert db.session.scalars(
        db.select(Notification.read_at).filter_by(user_id=w.head.id)
    ).one() is None


def test_reminders_off_by_choice_security_always_on(app, make, set_now, client, auth):
    w = build(make)
    set_now(SEVEN_DAYS_BEFORE)
    auth.login(w.editor)
    # Every box unticked: only security messages still come by e-mail.
    assert client.post("/notifications/settings", data={}).status_code == 302
    _plan(SEVEN_DAYS_BEFORE)
    assert _reminder_statuses(w.editor) == ["none"]  # still in the app list
    assert _reminder_statuses(w.head) == ["pending"]
    from emulation.notify.events import account_event

    account_event(
        w.editor, "account_locked", now=SEVEN_DAYS_BEFORE, until=SEVEN_DAYS_BEFORE,
        address="10.0.0.5",
    )  # fmt: skip
    db.session.commit()
    locked = db.session.scalars(db.select(Notification).filter_by(kind="account_locked")).one()
    assert locked.status == "pending" and "/unsubscribe/" not in locked.body
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="notify_preferences"))


def test_signed_unsubscribe_link_in_a_reminder(app, make, set_now, client):
    w = build(make)
    _plan(SEVEN_DAYS_BEFORE)
    body = db.session.scalars(
        db.select(Notification.body).filter_by(user_id=w.editor.id, category="reminder")
    ).one()
    link = re.search(r"http://\S+/notifications/unsubscribe/(\S+)", body)
    path = f"/notifications/unsubscribe/{link.group(1)}"
    assert "Ngừng nhận thư loại này" in client.get(path).get_data(as_text=True)
    assert "Xong" in client.post(path).get_data(as_text=True)
    # A forged or altered token is refused.
    assert client.get(path[:-2] + "xx").status_code == 404
    _plan(THREE_DAYS_BEFORE)
    assert _reminder_statuses(w.editor) == ["pending", "none"]
    assert _reminder_statuses(w.head) == ["pending", "pending"]


def test_outbox_shows_failures_and_resends(app, make, set_now, client, auth):
    w = build(make)
    set_now(SEVEN_DAYS_BEFORE)
    _plan(SEVEN_DAYS_BEFORE)
    failed = db.session.scalars(db.select(Notification).filter_by(user_id=w.editor.id)).one()
    failed.status, failed.last_error, failed.attempts = "failed", "RCPT: 550 No such mailbox", 6
    db.session.commit()
    auth.login(w.secretariat)
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert "RCPT: 550 No such mailbox" in page and "canbo@haichau.example" in page
    assert client.post(f"/notifications/outbox/{failed.id}/resend").status_code == 302
    db.session.expire_all()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="notify_resend"))
    # A sent message cannot be "resent" into a duplicate.
    failed.status = "sent"
    db.session.commit()
    assert client.post(f"/notifications/outbox/{failed.id}/resend").status_code == 409


def test_announcement_to_every_unit_of_the_movement(app, make, set_now, client, auth):
    w = build(make)
    other = make.unit(code="VKS-TK", name="VKSND quận Thanh Khê")
    make.user("unit_editor", unit=other, email="tk@donvi.example")
    make.user("unit_editor", unit=make.unit(code="NGOAI"))  # not in the movement
    make.candidate(w.round.movement, other)
    db.session.commit()
    set_now(SEVEN_DAYS_BEFORE)
    auth.login(w.secretariat)
    response = client.post(
        f"/movements/{w.round.movement_id}/announce",
        data={"title": "Lịch họp sơ kết", "text": "Họp lúc 8 giờ ngày 05/09/2024."},
    )
    assert response.status_code == 302
    rows = db.session.scalars(db.select(Notification).filter_by(kind="announcement")).all()
    assert len(rows) == 3 and {r.subject for r in rows} == {"Lịch họp sơ kết"}
    assert "Họp lúc 8 giờ" in rows[0].body
    audit = db.session.scalar(db.select(AuditEvent).filter_by(action="notify_announcement"))
    assert audit.details["recipients"] == 3


def test_wrong_passwords_lock_and_tell_the_owner(app, make, client):
    w = build(make)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": w.editor.username, "password": "sai"})
    message = db.session.scalars(db.select(Notification).filter_by(kind="account_locked")).one()
    assert message.user_id == w.editor.id and message.status == "pending"
    assert "bị tạm chặn đến" in message.body and "giờ Việt Nam" in message.body
    assert "127.0.0.1" in message.body  # from where


def test_password_reset_by_an_administrator_tells_the_owner(app, make):
    from emulation.admin.operations import reset_password

    w = build(make)
    admin = make.user("admin")
    reset_password(w.editor, "Mot-lan-2024-xyz", actor=admin, now=SEVEN_DAYS_BEFORE)
    db.session.commit()
    message = db.session.scalars(db.select(Notification).filter_by(kind="password_reset")).one()
    assert message.user_id == w.editor.id and message.email_to == "canbo@haichau.example"
    assert "Mot-lan-2024-xyz" not in message.body  # never the password itself
