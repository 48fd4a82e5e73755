"""Reminders fire at the rule file's offsets before each unit's current deadline, once."""

from datetime import timedelta

from emulation.dossiers.operations import submit_dossier, withdraw_dossier
from emulation.dossiers.supervision import grant_extension, return_for_supplement
from emulation.extensions import db
from emulation.notify.models import Notification
from emulation.notify.planning import plan_all

from .world import DEADLINE, build

# Named instants around the deadline (offsets in the rule file: 7d, 3d, 1d, 2h).
EIGHT_DAYS_BEFORE = DEADLINE - timedelta(days=8)
SEVEN_DAYS_BEFORE = DEADLINE - timedelta(days=7)
SIX_DAYS_BEFORE = DEADLINE - timedelta(days=6)
THREE_DAYS_BEFORE = DEADLINE - timedelta(days=3)
ONE_DAY_BEFORE = DEADLINE - timedelta(days=1)
THREE_HOURS_BEFORE = DEADLINE - timedelta(hours=3)
TWO_HOURS_BEFORE = DEADLINE - timedelta(hours=2)
AFTER = DEADLINE + timedelta(seconds=1)


def _reminders():
    """(key without the user, user) of every reminder written, in order."""
    rows = db.session.scalars(
        db.select(Notification).filter_by(category="reminder").order_by(Notification.id)
    )
    return [(n.key.rsplit(":u", 1)[0], n.user.username) for n in rows]


def _offsets(unit="n"):
    return [key.split(":")[-1] for key, user in _reminders() if user == "canbo.haichau"]


def _plan(at):
    """Plan at `at`; how many reminders it wrote (the secretariat's digest aside)."""
    before = len(_reminders())
    plan_all(at)
    db.session.commit()
    return len(_reminders()) - before


def test_each_offset_fires_once_for_editor_and_head(app, make):
    build(make)
    assert _plan(EIGHT_DAYS_BEFORE) == 0
    assert _plan(SEVEN_DAYS_BEFORE) == 2  # editor and head
    assert _plan(SEVEN_DAYS_BEFORE) == 0  # a second pass writes nothing
    assert _plan(SIX_DAYS_BEFORE) == 0
    assert _plan(THREE_DAYS_BEFORE) == 2
    assert _plan(ONE_DAY_BEFORE) == 2
    assert _plan(THREE_HOURS_BEFORE) == 0
    assert _plan(TWO_HOURS_BEFORE) == 2
    assert _plan(AFTER) == 0
    assert _offsets() == ["7d", "3d", "1d", "2h"]
    assert {user for _key, user in _reminders()} == {"canbo.haichau", "truong.haichau"}


def test_message_names_the_deadline_in_vietnam_time(app, make):
    w = build(make)
    _plan(THREE_DAYS_BEFORE)
    message = db.session.scalars(
        db.select(Notification).filter_by(user_id=w.editor.id, kind="reminder_round")
    ).one()
    assert "23:59:59 ngày 30/08/2024, giờ Việt Nam (UTC+7)" in message.subject
    assert "còn 3 ngày 0 giờ" in message.body
    assert "/units/VKS-HC" in message.link and "/notifications/unsubscribe/" in message.body
    assert "chưa nộp hồ sơ này" in message.body  # why the person gets it


def test_late_start_sends_only_the_latest_offset(app, make):
    build(make)
    # The sender did not run for days: no pile of stale reminders, only the current one.
    assert _plan(ONE_DAY_BEFORE) == 2
    assert _offsets() == ["1d"]


def test_submitted_unit_gets_none_and_withdrawing_makes_it_due_again(app, make):
    w = build(make)
    submit_dossier(w.dossier, user=w.editor, now=EIGHT_DAYS_BEFORE)
    db.session.commit()
    for instant in (SEVEN_DAYS_BEFORE, THREE_DAYS_BEFORE):
        assert _plan(instant) == 0
    withdraw_dossier(w.dossier, user=w.editor, now=THREE_DAYS_BEFORE + timedelta(hours=1))
    db.session.commit()
    assert _plan(ONE_DAY_BEFORE) == 2
    body = db.session.scalars(
        db.select(Notification.body).filter_by(user_id=w.editor.id, category="reminder")
    ).one()
    assert "rút lại để sửa" in body


def test_extension_moves_the_reminders(app, make):
    w = build(make)
    _plan(THREE_DAYS_BEFORE)
    extended = DEADLINE + timedelta(days=5)
    grant_extension(
        w.round, w.unit, until=extended, reason="Mất điện", user=w.secretariat,
        now=THREE_DAYS_BEFORE + timedelta(hours=1),
    )  # fmt: skip
    db.session.commit()
    # The old deadline's 1 day and 2 hours reminders no longer come; the new deadline's
    # 7 days (reached on 28/08) and 3 days reminders do.
    assert _plan(ONE_DAY_BEFORE) == 2
    assert _plan(TWO_HOURS_BEFORE) == 0
    assert _plan(extended - timedelta(days=3)) == 2
    assert _offsets() == ["3d", "7d", "3d"]
    newest = db.session.scalars(
        db.select(Notification)
        .filter_by(user_id=w.editor.id, category="reminder")
        .order_by(Notification.id.desc())
    ).first()
    assert "23:59:59 ngày 04/09/2024" in newest.subject
    assert "gia hạn" in newest.body


def test_changed_round_deadline_replans_unsent_reminders(app, make):
    w = build(make)
    _plan(SEVEN_DAYS_BEFORE)
    w.round.deadline = DEADLINE + timedelta(days=7)
    db.session.commit()
    # 3 days before the old deadline is 10 days before the new one: nothing is due.
    assert _plan(THREE_DAYS_BEFORE) == 0
    assert _plan(DEADLINE) == 2  # 7 days before the new deadline
    assert _offsets() == ["7d", "7d"]


def test_supplement_due_time_has_its_own_reminders(app, make):
    w = build(make)
    submit_dossier(w.dossier, user=w.editor, now=EIGHT_DAYS_BEFORE)
    due = AFTER + timedelta(days=5)
    return_for_supplement(
        w.dossier, criteria=["TC1"], reason="Bổ sung minh chứng", due_at=due,
        user=w.secretariat, now=AFTER,
    )  # fmt: skip
    db.session.commit()
    assert _plan(due - timedelta(days=3)) == 2
    kinds = set(db.session.scalars(db.select(Notification.kind).filter_by(category="reminder")))
    assert kinds == {"reminder_supplement"}
    submit_dossier(w.dossier, user=w.editor, now=due - timedelta(days=2))
    db.session.commit()
    assert _plan(due - timedelta(days=1)) == 0


def test_user_without_email_still_sees_the_reminder_in_the_app(app, make):
    build(make, email=False)
    _plan(SEVEN_DAYS_BEFORE)
    statuses = set(
        db.session.scalars(db.select(Notification.status).filter_by(category="reminder"))
    )
    assert statuses == {"none"}


def test_queued_reminder_for_an_old_deadline_or_a_submitted_unit_is_not_sent(app, make):
    w = build(make)
    _plan(SEVEN_DAYS_BEFORE)  # queued; the mail server is down, so still pending
    grant_extension(
        w.round, w.unit, until=DEADLINE + timedelta(days=30), reason="Sáp nhập đơn vị",
        user=w.secretariat, now=SIX_DAYS_BEFORE,
    )  # fmt: skip
    db.session.commit()
    _plan(SIX_DAYS_BEFORE)
    assert _reminder_statuses() == ["cancelled", "cancelled"]
    extended = DEADLINE + timedelta(days=30)
    _plan(extended - timedelta(days=7))
    assert _reminder_statuses() == ["cancelled", "cancelled", "pending", "pending"]
    submit_dossier(w.dossier, user=w.editor, now=extended - timedelta(days=6))
    db.session.commit()
    _plan(extended - timedelta(days=6))
    assert _reminder_statuses() == ["cancelled"] * 4


def _reminder_statuses():
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(Notification.status)
            .filter_by(category="reminder")
            .order_by(Notification.id)
        )
    )


def test_same_deadline_written_in_vietnam_time_is_the_same_reminder(app, make):
    from zoneinfo import ZoneInfo

    w = build(make)
    _plan(SEVEN_DAYS_BEFORE)
    # Set again as 23:59:59 in Vietnam: the same instant, nothing new, nothing cancelled.
    w.round.deadline = DEADLINE.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert _plan(SEVEN_DAYS_BEFORE + timedelta(hours=1)) == 0
    assert _reminder_statuses() == ["pending", "pending"]
