"""Who hears of what: plan activities, council meetings, registrations, extensions, digest."""

from datetime import timedelta

from emulation.dossiers.operations import submit_dossier
from emulation.dossiers.supervision import grant_extension
from emulation.extensions import db
from emulation.models import CouncilMeeting, PlanActivity, Registration, Review, User
from emulation.notify import events
from emulation.notify.models import Notification
from emulation.notify.planning import plan_all

from .world import DEADLINE, build


def _messages(kind):
    return db.session.scalars(
        db.select(Notification).filter_by(kind=kind).order_by(Notification.id)
    ).all()


def _plan(at):
    plan_all(at)
    db.session.commit()


def test_lead_unit_hears_before_an_activity_is_due_and_when_overdue(app, make):
    w = build(make)
    activity = PlanActivity(
        movement_id=w.round.movement_id, title="Triển khai ký số văn bản đi",
        lead_unit_id=w.unit.id, due_at=DEADLINE, created_at=DEADLINE - timedelta(days=60),
    )  # fmt: skip
    done = PlanActivity(
        movement_id=w.round.movement_id, title="Đã xong", lead_unit_id=w.unit.id,
        due_at=DEADLINE, created_at=DEADLINE - timedelta(days=60), completed_at=DEADLINE,
    )  # fmt: skip
    db.session.add_all([activity, done])
    db.session.commit()
    _plan(DEADLINE - timedelta(days=7))
    due = _messages("plan_due")
    assert len(due) == 2 and {m.user_id for m in due} == {w.editor.id, w.head.id}
    assert "Triển khai ký số văn bản đi" in due[0].subject
    assert f"/plan/activities/{activity.id}" in due[0].link
    _plan(DEADLINE + timedelta(hours=1))
    _plan(DEADLINE + timedelta(hours=2))
    overdue = _messages("plan_overdue")
    assert len(overdue) == 2 and "chưa được báo cáo hoàn thành" in overdue[0].body


def test_member_with_unfinished_reviews_is_reminded_before_the_meeting(app, make):
    w = build(make)
    submit_dossier(w.dossier, user=w.editor, now=DEADLINE - timedelta(days=1))
    busy = make.user("reviewer", username="uyvien.tran", email="tran@hd.example")
    finished = make.user("reviewer", username="uyvien.le")
    db.session.add_all(
        [
            Review(dossier_id=w.dossier.id, reviewer_id=busy.id, status="assigned"),
            Review(dossier_id=w.dossier.id, reviewer_id=finished.id, status="done"),
        ]
    )
    meeting_at = DEADLINE + timedelta(days=20)
    db.session.add(
        CouncilMeeting(
            round_id=w.round.id, held_at=meeting_at, members_total=5,
            created_at=DEADLINE + timedelta(days=2),
        )  # fmt: skip
    )
    db.session.commit()
    _plan(meeting_at - timedelta(days=1))
    reminders = _messages("review_reminder")
    assert [m.user_id for m in reminders] == [busy.id]
    assert "còn 1 hồ sơ chưa thẩm định" in reminders[0].body
    assert "ngày 19/09/2024" in reminders[0].subject


def test_registration_head_asked_to_confirm_editor_told_of_return(app, make):
    w = build(make)
    registration = Registration(movement_id=w.round.movement_id, unit_id=w.unit.id, status="draft")
    db.session.add(registration)
    db.session.flush()
    events.registration_awaiting(registration, now=DEADLINE)
    [awaiting] = _messages("registration_awaiting")
    assert awaiting.user_id == w.head.id and "chờ Thủ trưởng đơn vị xác nhận" in awaiting.body
    registration.status, registration.return_reason = "returned", "Chỉ tiêu ký số quá thấp"
    registration.decided_at = DEADLINE + timedelta(hours=1)
    registration.reopened_until = DEADLINE + timedelta(days=3)
    events.registration_returned(registration, now=DEADLINE + timedelta(hours=1))
    [returned] = _messages("registration_returned")
    assert returned.user_id == w.editor.id
    assert "Lý do: Chỉ tiêu ký số quá thấp" in returned.body
    assert "23:59:59 ngày 02/09/2024" in returned.body


def test_extension_granted_tells_the_unit_its_new_deadline(app, make):
    w = build(make)
    grant_extension(
        w.round, w.unit, until=DEADLINE + timedelta(days=2), reason="Sự cố mạng",
        user=w.secretariat, now=DEADLINE - timedelta(hours=1),
    )  # fmt: skip
    db.session.commit()
    messages = _messages("extension_granted")
    assert len(messages) == 2
    assert "hạn mới 23:59:59 ngày 01/09/2024, giờ Việt Nam (UTC+7)" in messages[0].subject
    assert "Lý do: Sự cố mạng" in messages[0].body


def test_secretariat_digest_once_a_day_after_seven(app, make):
    w = build(make)
    # A second unit that never opened its dossier counts as not submitted.
    make.candidate(w.round.movement, make.unit(code="VKS-TK"))
    submit_dossier(w.dossier, user=w.editor, now=DEADLINE - timedelta(hours=5))
    db.session.commit()
    early = DEADLINE - timedelta(hours=10)  # 13:59:59 on 30/08 in Vietnam
    _plan(early)
    _plan(early + timedelta(hours=1))
    [digest] = _messages("digest")
    assert digest.user_id == w.secretariat.id and "30/08/2024" in digest.subject
    before_seven = DEADLINE + timedelta(hours=7)  # 06:59:59 on 31/08 in Vietnam
    _plan(before_seven)
    assert len(_messages("digest")) == 1
    _plan(before_seven + timedelta(minutes=1))
    latest = _messages("digest")[-1]
    assert "31/08/2024" in latest.subject and "1 đã nộp, 1 chưa nộp, 1 quá hạn" in latest.body


def test_a_receipt_goes_to_the_units_active_editors_and_heads_only(app, make):
    w = build(make)
    make.user("unit_editor", unit=w.unit, username="canbo.nghi", active=False)
    make.user("unit_editor", unit=make.unit(code="VKS-TK"), username="canbo.thankhe")
    make.user("secretariat", username="thuky2")
    db.session.commit()
    version = submit_dossier(w.dossier, user=w.editor, now=DEADLINE - timedelta(days=1))
    assert [m.user_id for m in _messages("dossier_received")] == [w.editor.id, w.head.id]
    assert version.receipt_no in _messages("dossier_received")[0].subject


def test_a_submission_reads_only_its_own_units_accounts(app, make):
    # Every submission of a deadline rush asks who hears of it: not every account there is.
    from sqlalchemy import event

    w = build(make)
    for n in range(30):
        make.user("unit_editor", unit=make.unit(code=f"VKS-{n:02d}"), username=f"canbo{n:02d}")
    db.session.commit()
    loaded = []

    def seen(_session, instance):
        loaded.append(instance)

    event.listen(db.session(), "loaded_as_persistent", seen)
    try:
        submit_dossier(w.dossier, user=w.editor, now=DEADLINE - timedelta(days=1))
    finally:
        event.remove(db.session(), "loaded_as_persistent", seen)
    users = {u.username for u in loaded if isinstance(u, User)}
    assert users <= {w.editor.username, w.head.username}
