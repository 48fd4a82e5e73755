"""A member's queue and review page: values beside engine points, adjustments, finishing."""

import pytest

from emulation.council.assignment import assign_reviewer
from emulation.extensions import db
from emulation.models import Adjustment, AuditEvent, EvidenceFlag, Review

from .conftest import AFTER


@pytest.fixture
def reviews(council, interim_dossiers):
    """r1 and r2 review U2's dossier; r1 also reviews U3's."""
    made = {
        ("r1", "U2"): assign_reviewer(
            interim_dossiers["U2"], council.r1, user=council.secretariat, now=AFTER
        ),
        ("r2", "U2"): assign_reviewer(
            interim_dossiers["U2"], council.r2, user=council.secretariat, now=AFTER
        ),
        ("r1", "U3"): assign_reviewer(
            interim_dossiers["U3"], council.r1, user=council.secretariat, now=AFTER
        ),
    }
    db.session.commit()
    return made


def test_queue_lists_only_the_members_reviews(council, reviews, auth, client):
    auth.login(council.r2)
    body = client.get("/council/queue").get_data(as_text=True)
    assert "VKSND U2" in body and "VKSND U3" not in body


def test_review_page_shows_values_narrative_and_engine_points(council, reviews, auth, client):
    auth.login(council.r1)
    review = reviews[("r1", "U2")]
    body = client.get(f"/council/reviews/{review.id}").get_data(as_text=True)
    assert "Ký số 100%." in body  # the unit's narrative
    assert "Tỷ lệ văn bản đi được ký số" in body
    assert 'name="points"' in body  # adjustment form
    assert "77,5" in body  # total computed by the engine, shown the Vietnamese way
    assert "Xếp hạng theo tổng điểm" in body or "Hạng trong" in body  # explanation lines


def test_other_members_and_units_are_refused_the_review(council, reviews, auth, client):
    review = reviews[("r1", "U3")]
    for user in (council.r2, council.editor, council.head):
        auth.login(user)
        assert client.get(f"/council/reviews/{review.id}").status_code == 403
        assert client.post(f"/council/reviews/{review.id}/finish").status_code == 403
        auth.logout()
    auth.login(council.secretariat)
    body = client.get(f"/council/reviews/{review.id}").get_data(as_text=True)
    assert 'name="points"' not in body  # read-only for the secretariat
    assert client.post(f"/council/reviews/{review.id}/finish").status_code == 403


def _adjust(client, review, code, points, reason):
    return client.post(
        f"/council/reviews/{review.id}/adjust",
        data={"indicator_code": code, "points": points, "reason": reason},
    )


def test_adjustment_within_range_with_reason_only(council, reviews, auth, client):
    auth.login(council.r1)
    review = reviews[("r1", "U2")]
    _adjust(client, review, "GOPY", "21", "Vượt điểm tối đa")
    _adjust(client, review, "GOPY", "-1", "Âm")
    _adjust(client, review, "GOPY", "15", "")
    _adjust(client, review, "KHONGCO", "1", "Chỉ tiêu không tồn tại")
    assert db.session.scalar(db.select(db.func.count()).select_from(Adjustment)) == 0
    _adjust(client, review, "GOPY", "15,5", "Góp ý có chất lượng")
    (adjustment,) = db.session.execute(db.select(Adjustment)).scalars()
    assert adjustment.points == 15.5 and adjustment.reason == "Góp ý có chất lượng"
    event = db.session.execute(
        db.select(AuditEvent).filter_by(action="points_adjusted")
    ).scalar_one()
    assert event.details["indicator"] == "GOPY" and event.details["points"] == 15.5


def test_finish_locks_the_review_and_reopen_unlocks_it(council, reviews, auth, client):
    auth.login(council.r1)
    review = reviews[("r1", "U2")]
    client.post(f"/council/reviews/{review.id}/finish", data={"confirmed": "1"})
    db.session.refresh(review)
    assert review.status == "done" and review.finished_at == AFTER
    _adjust(client, review, "GOPY", "10", "Sau khi xong")
    assert db.session.scalar(db.select(db.func.count()).select_from(Adjustment)) == 0
    client.post(f"/council/reviews/{review.id}/reopen")
    db.session.refresh(review)
    assert review.status == "assigned"
    actions = [
        e.action
        for e in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()
    ]
    assert actions[-2:] == ["review_finished", "review_reopened"]


def test_mark_evidence_insufficient_and_withdraw(council, reviews, auth, client):
    auth.login(council.r1)
    review = reviews[("r1", "U2")]
    client.post(f"/council/reviews/{review.id}/flag", data={"criterion_code": "A1", "note": ""})
    assert db.session.scalar(db.select(db.func.count()).select_from(EvidenceFlag)) == 0
    client.post(
        f"/council/reviews/{review.id}/flag",
        data={"criterion_code": "A1", "note": "Thiếu báo cáo thống kê"},
    )
    flag = db.session.execute(db.select(EvidenceFlag)).scalar_one()
    assert flag.note == "Thiếu báo cáo thống kê"
    assert "Thiếu báo cáo thống kê" in client.get(f"/council/reviews/{review.id}").get_data(
        as_text=True
    )
    client.post(f"/council/reviews/{review.id}/flags/A1/clear")
    assert db.session.scalar(db.select(db.func.count()).select_from(EvidenceFlag)) == 0


def test_reviewer_never_works_on_own_unit_even_if_assigned_in_the_database(
    council, interim_dossiers, auth, client
):
    review = Review(dossier=interim_dossiers["U1"], reviewer_id=council.r3.id, status="assigned")
    db.session.add(review)
    db.session.commit()
    auth.login(council.r3)
    assert client.get(f"/council/reviews/{review.id}").status_code == 403


def test_a_returned_dossier_is_reviewed_as_it_was_sent(council, interim_dossiers, auth, client):
    from datetime import timedelta

    from emulation.dossiers.operations import set_values
    from emulation.dossiers.supervision import return_for_supplement

    from .conftest import AFTER, reviewed

    dossier = interim_dossiers["U2"]
    review = reviewed(dossier, council.r1, {}, by=council.secretariat, finish=False)
    return_for_supplement(
        dossier,
        criteria=["A1"],
        reason="Bổ sung",
        due_at=AFTER + timedelta(days=3),
        user=council.secretariat,
        now=AFTER,
    )
    set_values(dossier, {"KYSO_a": 12345.0})  # the unit's unsent draft
    db.session.commit()
    auth.login(council.r1)
    page = client.get(f"/council/reviews/{review.id}").get_data(as_text=True)
    assert "12345" not in page and "12.345" not in page
    assert "version 1" in page or "phiên bản 1" in page
