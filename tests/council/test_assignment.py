"""Assigning reviewers: by hand, automatically and balanced, never to their own unit; recusal."""

from hypothesis import given, settings
from hypothesis import strategies as st

from emulation.council.assignment import plan_assignments
from emulation.extensions import db
from emulation.models import AuditEvent, Review


def _reviews(dossier):
    return list(db.session.execute(db.select(Review).filter_by(dossier_id=dossier.id)).scalars())


def _events(action):
    return list(db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars())


@settings(max_examples=200, deadline=None)
@given(
    dossiers=st.dictionaries(st.integers(1, 60), st.sampled_from([None, 1, 2, 3, 4]), max_size=30),
    reviewers=st.dictionaries(st.integers(1, 12), st.sampled_from([None, 1, 2, 3]), max_size=8),
    per=st.integers(1, 4),
    recused=st.lists(st.tuples(st.integers(1, 60), st.integers(1, 12)), max_size=10),
)
def test_plan_never_breaks_the_conflict_rule(dossiers, reviewers, per, recused):
    existing = {}
    for d, r in recused:
        if d in dossiers and r in reviewers:
            existing.setdefault(d, {})[r] = "recused"
    plan = plan_assignments(dossiers, reviewers, existing, per)
    assert len(set(plan.pairs)) == len(plan.pairs)
    for d, r in plan.pairs:
        assert reviewers[r] is None or reviewers[r] != dossiers[d]
        assert r not in existing.get(d, {})
    for d in dossiers:
        got = sum(1 for dd, _r in plan.pairs if dd == d)
        assert got + plan.short.get(d, 0) == per


@settings(max_examples=100, deadline=None)
@given(n_dossiers=st.integers(0, 40), n_reviewers=st.integers(1, 9), per=st.integers(1, 3))
def test_plan_is_balanced_without_conflicts(n_dossiers, n_reviewers, per):
    dossiers = {d: 1 for d in range(1, n_dossiers + 1)}
    reviewers = {r: None for r in range(100, 100 + n_reviewers)}
    plan = plan_assignments(dossiers, reviewers, {}, per)
    loads = [sum(1 for _d, r in plan.pairs if r == rev) for rev in reviewers]
    assert max(loads) - min(loads) <= 1


def test_automatic_assignment_balances_and_skips_own_unit(council, interim_dossiers, auth, client):
    auth.login(council.secretariat)
    response = client.post(
        f"/council/rounds/{council.interim.id}/reviews/auto", data={"per_dossier": "2"}
    )
    assert response.status_code == 302
    reviews = list(db.session.execute(db.select(Review)).scalars())
    assert len(reviews) == 12
    u1 = interim_dossiers["U1"]
    assert council.r3.id not in {r.reviewer_id for r in _reviews(u1)}
    loads = [
        sum(1 for r in reviews if r.reviewer_id == m.id)
        for m in (council.r1, council.r2, council.r3)
    ]
    assert max(loads) - min(loads) <= 1
    assert len(_events("review_assigned")) == 12
    assert _events("reviews_auto_assigned")[0].details["created"] == 12
    # a second run changes nothing
    client.post(f"/council/rounds/{council.interim.id}/reviews/auto", data={"per_dossier": "2"})
    assert db.session.scalar(db.select(db.func.count()).select_from(Review)) == 12


def test_manual_assignment_refuses_the_members_own_unit(council, interim_dossiers, auth, client):
    auth.login(council.secretariat)
    url = f"/council/rounds/{council.interim.id}/reviews/assign"
    u1 = interim_dossiers["U1"]
    response = client.post(url, data={"dossier": u1.id, "reviewer": council.r3.id})
    assert response.status_code == 422
    assert _reviews(u1) == []
    response = client.post(url, data={"dossier": u1.id, "reviewer": council.r1.id})
    assert response.status_code == 302
    (review,) = _reviews(u1)
    assert review.reviewer_id == council.r1.id and review.assigned_by_id == council.secretariat.id
    event = _events("review_assigned")[0]
    assert event.details == {"dossier": u1.id, "reviewer": "uyvien1", "how": "manual"}
    assert client.post(url, data={"dossier": u1.id, "reviewer": council.r1.id}).status_code == 422


def test_recusal_needs_a_reason_and_frees_the_dossier(council, interim_dossiers, auth, client):
    auth.login(council.secretariat)
    client.post(f"/council/rounds/{council.interim.id}/reviews/auto", data={"per_dossier": "1"})
    u2 = interim_dossiers["U2"]
    (review,) = _reviews(u2)
    member = db.session.get(type(council.r1), review.reviewer_id)
    auth.logout()
    auth.login(member)
    client.post(f"/council/reviews/{review.id}/recuse", data={"reason": "  "})
    db.session.refresh(review)
    assert review.status == "assigned"
    client.post(
        f"/council/reviews/{review.id}/recuse", data={"reason": "Người thân công tác tại đơn vị"}
    )
    db.session.refresh(review)
    assert review.status == "recused" and review.recusal_reason == "Người thân công tác tại đơn vị"
    assert _events("review_recused")[0].actor_id == member.id
    auth.logout()
    auth.login(council.secretariat)
    client.post(f"/council/rounds/{council.interim.id}/reviews/auto", data={"per_dossier": "1"})
    active = [r for r in _reviews(u2) if r.status != "recused"]
    assert len(active) == 1 and active[0].reviewer_id != member.id


def test_unassign_only_before_work_starts(council, interim_dossiers, auth, client):
    auth.login(council.secretariat)
    u2 = interim_dossiers["U2"]
    client.post(
        f"/council/rounds/{council.interim.id}/reviews/assign",
        data={"dossier": u2.id, "reviewer": council.r1.id},
    )
    (review,) = _reviews(u2)
    review_id = review.id
    client.post(f"/council/reviews/{review_id}/unassign")
    assert _reviews(u2) == []
    assert _events("review_unassigned")[0].details["reviewer"] == "uyvien1"


def test_assignment_page_shows_progress_and_load(council, interim_dossiers, auth, client):
    auth.login(council.secretariat)
    client.post(f"/council/rounds/{council.interim.id}/reviews/auto", data={"per_dossier": "2"})
    body = client.get(f"/council/rounds/{council.interim.id}/reviews").get_data(as_text=True)
    assert "Ủy viên Ba" in body and "VKSND U6" in body and "Cụm 2" in body
