"""Freezing a ranking: immutable snapshot, stable hash, changes detected, reopening audited."""

import hashlib

import pytest

from emulation.council.snapshots import digest, freeze, matches_live, reopen, verify
from emulation.council.state import CouncilError
from emulation.dossiers.operations import NotEditable
from emulation.extensions import db
from emulation.models import Adjustment, AuditEvent, RankingSnapshot, Review

from .conftest import AFTER, reviewed


def _snapshots():
    return list(
        db.session.execute(db.select(RankingSnapshot).order_by(RankingSnapshot.id)).scalars()
    )


def test_secretariat_freezes_and_the_snapshot_holds_inputs_results_and_hash(
    council, interim_dossiers, auth, client
):
    reviewed(interim_dossiers["U2"], council.r1, {"GOPY": 12}, by=council.secretariat)
    auth.login(council.secretariat)
    data = {"confirm": "y", "reason": "Còn lượt thẩm định chưa xong"}
    assert client.post(f"/council/rounds/{council.interim.id}/freeze", data=data).status_code == 302
    (snapshot,) = _snapshots()
    payload = snapshot.payload
    assert snapshot.created_by_id == council.secretariat.id and snapshot.created_at == AFTER
    assert snapshot.rules_hash == council.interim.rules_hash == payload["rules"]["hash"]
    assert {c["key"] for c in payload["inputs"]["candidates"]} == set(interim_dossiers)
    assert payload["inputs"]["council_points"][0]["points"] == 12
    assert len(payload["results"]["results"]) == 6 and payload["results"]["tie_policy"]
    assert snapshot.payload_hash == digest(payload) and verify(snapshot)
    event = db.session.execute(
        db.select(AuditEvent).filter_by(action="ranking_frozen")
    ).scalar_one()
    assert event.details["payload_hash"] == snapshot.payload_hash
    body = client.get(f"/council/rounds/{council.interim.id}/ranking").get_data(as_text=True)
    assert snapshot.payload_hash in body


def test_hash_is_stable_and_detects_changes(council, interim_dossiers):
    first = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    assert matches_live(first)
    reopen(first, reason="Kiểm tra lại", user=council.secretariat, now=AFTER)
    second = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    assert second.payload_hash == first.payload_hash  # same inputs, same hash
    reopen(second, reason="Bổ sung điểm Hội đồng", user=council.secretariat, now=AFTER)
    db.session.commit()
    reviewed(interim_dossiers["U3"], council.r1, {"GOPY": 5}, by=council.secretariat)
    assert not matches_live(second)
    third = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    assert third.payload_hash != second.payload_hash


def test_snapshot_cannot_be_changed_and_tampering_is_detected(
    council, interim_dossiers, auth, client
):
    snapshot = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    snapshot.payload = {**snapshot.payload, "votes": {"forged": True}}
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()
    # A change made behind the application's back (plain SQL) breaks the hash.
    forged = dict(snapshot.payload)
    forged["results"] = {**forged["results"], "tie_policy": "đã sửa"}
    table = RankingSnapshot.__table__
    db.session.execute(table.update().where(table.c.id == snapshot.id).values(payload=forged))
    db.session.commit()
    db.session.expire_all()
    assert not verify(db.session.get(RankingSnapshot, snapshot.id))
    auth.login(council.r1)
    body = client.get(f"/council/rounds/{council.interim.id}/ranking").get_data(as_text=True)
    assert "đã sửa" in body and snapshot.payload_hash in body
    assert 'data-integrity="altered"' in body and 'data-integrity="ok"' not in body


def test_nothing_changes_while_frozen(council, interim_dossiers, auth, client):
    review = reviewed(interim_dossiers["U2"], council.r1, {}, by=council.secretariat, finish=False)
    freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    auth.login(council.r1)
    data = {"indicator_code": "GOPY", "points": "5", "reason": "Sau khi chốt"}
    client.post(f"/council/reviews/{review.id}/adjust", data=data)
    client.post(f"/council/reviews/{review.id}/finish")
    assert db.session.scalar(db.select(db.func.count()).select_from(Adjustment)) == 0
    db.session.refresh(review)
    assert review.status == "assigned"
    auth.logout()
    auth.login(council.secretariat)
    client.post(f"/council/rounds/{council.interim.id}/reviews/auto", data={"per_dossier": "2"})
    assert db.session.scalar(db.select(db.func.count()).select_from(Review)) == 1
    with pytest.raises(CouncilError):
        freeze(council.interim, user=council.secretariat, now=AFTER)


def test_reopen_needs_a_reason_and_is_audited(council, interim_dossiers, auth, client):
    snapshot = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    auth.login(council.secretariat)
    client.post(f"/council/rounds/{council.interim.id}/reopen", data={"reason": " "})
    db.session.refresh(snapshot)
    assert snapshot.reopened_at is None
    client.post(
        f"/council/rounds/{council.interim.id}/reopen", data={"reason": "Đơn vị khiếu nại điểm"}
    )
    db.session.refresh(snapshot)
    assert snapshot.reopened_at == AFTER and snapshot.reopen_reason == "Đơn vị khiếu nại điểm"
    event = db.session.execute(
        db.select(AuditEvent).filter_by(action="ranking_reopened")
    ).scalar_one()
    assert (
        event.actor_id == council.secretariat.id
        and event.details["reason"] == "Đơn vị khiếu nại điểm"
    )
    with pytest.raises(CouncilError):
        reopen(snapshot, reason="lần nữa", user=council.secretariat, now=AFTER)
    snapshot.reopen_reason = "sửa lý do"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()


def test_snapshot_download_hashes_to_the_stored_hash(council, interim_dossiers, auth, client):
    snapshot = freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    auth.login(council.r2)
    response = client.get(f"/council/snapshots/{snapshot.id}.json")
    assert hashlib.sha256(response.data).hexdigest() == snapshot.payload_hash
    assert response.headers["X-Payload-SHA256"] == snapshot.payload_hash


def test_only_the_secretariat_freezes(council, interim_dossiers, auth, client):
    for user in (council.r1, council.editor):
        auth.login(user)
        assert client.post(f"/council/rounds/{council.interim.id}/freeze").status_code == 403
        auth.logout()
    assert _snapshots() == []


def test_a_dossier_cannot_be_returned_while_the_ranking_is_frozen(
    council, interim_dossiers, auth, client
):
    freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    dossier = interim_dossiers["U2"]
    auth.login(council.secretariat)
    response = client.post(
        f"/dossiers/{dossier.id}/return",
        data={"criteria": ["A1"], "reason": "Bổ sung", "due_at": "10/09/2025 17:00"},
        follow_redirects=True,
    )
    assert "đã được chốt" in response.get_data(as_text=True)
    db.session.refresh(dossier)
    assert dossier.status == "submitted"


def test_freeze_waits_for_an_open_supplement_and_then_holds(council, interim_dossiers):
    from datetime import timedelta

    from emulation.dossiers.operations import DeadlinePassed, submit_dossier
    from emulation.dossiers.supervision import return_for_supplement

    dossier = interim_dossiers["U2"]
    due = AFTER + timedelta(days=2)
    return_for_supplement(
        dossier, criteria=["A1"], reason="Bổ sung", due_at=due, user=council.secretariat, now=AFTER
    )
    db.session.commit()
    with pytest.raises(CouncilError) as refused:
        freeze(council.interim, user=council.secretariat, now=AFTER)
    assert refused.value.code == "returned_open"
    db.session.rollback()
    later = due + timedelta(minutes=1)  # the unit let its due time pass
    snapshot = freeze(council.interim, user=council.secretariat, now=later)
    db.session.commit()
    with pytest.raises(DeadlinePassed):
        submit_dossier(dossier, user=council.editor, now=later)
    db.session.rollback()
    assert matches_live(snapshot)


def test_no_submission_changes_a_frozen_round(council, interim_dossiers, make):
    from datetime import timedelta

    from emulation.dossiers.operations import fill_and_submit
    from emulation.dossiers.supervision import grant_extension
    from emulation.operations import enrol_unit

    from .conftest import values_of

    late_unit = make.unit(code="U7", name="VKSND U7")
    candidate = enrol_unit(council.movement, late_unit)
    until = AFTER + timedelta(days=5)
    grant_extension(
        council.interim, late_unit, until=until, reason="Mất điện", user=council.secretariat,
        now=AFTER,
    )  # fmt: skip
    freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()
    with pytest.raises(NotEditable) as refused:
        fill_and_submit(council.interim, candidate, values_of(90, 4, 1, 10), user=None, now=AFTER)
    assert refused.value.args == ("frozen",)
