"""A reused ranking never outlives its inputs: any change shows on the very next page view."""

from datetime import timedelta

from sqlalchemy import update

from emulation.council.reviewing import adjust, finish, reopen_review
from emulation.dossiers.operations import set_values, submit_dossier, withdraw_dossier
from emulation.dossiers.supervision import return_for_supplement
from emulation.extensions import db
from emulation.models import Unit
from emulation.standings import dossier_values, live, scored
from emulation.standings.loading import _VALUES_CACHE
from emulation.standings.model import standings_of

from .conftest import AFTER, INTERIM_DEADLINE, reviewed, use_rules, values_of


def _shown(round_) -> tuple:
    """What the ranking page is made of: the result records and the inputs."""
    standings = standings_of(round_)
    return standings.results, standings.inputs


def _built_anew(round_) -> tuple:
    """The same, with every cache emptied first (as on a server that just started)."""
    live.clear_cache()
    assert not scored._CACHE and not _VALUES_CACHE and not dossier_values._ROWS
    return _shown(round_)


def _shown_fresh(round_) -> tuple:
    """The page's figures (the cache is warm), checked equal to figures built from scratch."""
    shown = _shown(round_)
    assert shown == _built_anew(round_)
    return shown


def _totals(shown) -> dict:
    return {r["unit_code"]: r["total"] for r in shown[0]["results"]}


def test_the_same_inputs_reuse_the_ranking(council, interim_dossiers):
    round_ = council.interim
    live.clear_cache()
    first = live.live_ranking(round_)
    # Each dossier's values are kept under its latest version's hash.
    kept = {(d, h) for d, h, _columns in dossier_values._ROWS}
    assert kept == {(d.id, d.versions[-1].content_hash) for d in interim_dossiers.values()}
    again = live.live_ranking(round_)
    assert again.result is first.result
    assert again.results() == first.results() and again.inputs() == first.inputs()
    # What callers are given is theirs to change: the reused ranking stays as it was.
    inputs = again.inputs()
    inputs["candidates"].clear()
    inputs["excluded"].append({"dossier_id": 0})
    assert live.live_ranking(round_).inputs() == first.inputs()


def test_changed_dossier_values_show_at_once(council, interim_dossiers):
    round_ = council.interim
    before = _shown_fresh(round_)
    dossier = interim_dossiers["U3"]
    return_for_supplement(
        dossier, criteria=["A1"], reason="Bổ sung", due_at=AFTER + timedelta(days=3),
        user=council.secretariat, now=AFTER,
    )  # fmt: skip
    db.session.commit()
    returned = _shown_fresh(round_)
    # While the unit answers, the ranking keeps the values the council was sent.
    assert _totals(returned) == _totals(before)
    assert returned[1]["excluded"] == [{"dossier_id": dossier.id, "status": "returned"}]
    set_values(dossier, values_of(100, 4, 1, 10))
    dossier.touch(AFTER + timedelta(hours=1))
    submit_dossier(dossier, user=None, now=AFTER + timedelta(days=1))
    db.session.commit()
    after = _shown_fresh(round_)
    assert _totals(after)["U3"] > _totals(before)["U3"]
    assert after[1]["excluded"] == []


def test_a_review_adjustment_shows_at_once(council, interim_dossiers):
    round_ = council.interim
    review = reviewed(interim_dossiers["U2"], council.r1, {"GOPY": 15}, by=council.secretariat)
    before = _shown_fresh(round_)
    # Reopened, changed and finished again at the same instant: the review's own row is as it
    # was, only its points differ.
    reopen_review(review, user=council.r1, now=AFTER)
    adjust(review, indicator_code="GOPY", points=5, reason="Chấm lại", user=council.r1, now=AFTER)
    finish(review, user=council.r1, now=AFTER)
    db.session.commit()
    after = _shown_fresh(round_)
    assert _totals(after)["U2"] == _totals(before)["U2"] - 10
    assert [p["reason"] for p in after[1]["review_points"]] == ["Chấm lại"]


def test_an_unfinished_review_counts_once_finished(council, interim_dossiers):
    round_ = council.interim
    review = reviewed(
        interim_dossiers["U2"], council.r1, {"GOPY": 15}, by=council.secretariat, finish=False
    )
    before = _shown_fresh(round_)
    assert before[1]["review_points"] == []
    finish(review, user=council.r1, now=AFTER)
    db.session.commit()
    assert _totals(_shown_fresh(round_))["U2"] == _totals(before)["U2"] + 15


def test_a_withdrawal_shows_at_once(council, interim_dossiers, set_now):
    round_ = council.interim
    before = _shown_fresh(round_)
    assert "U3" in _totals(before)
    at = INTERIM_DEADLINE - timedelta(hours=1)
    set_now(at)
    withdraw_dossier(interim_dossiers["U3"], user=council.editor, now=at)
    db.session.commit()
    after = _shown_fresh(round_)
    assert set(_totals(after)) == set(_totals(before)) - {"U3"}


def test_a_rule_file_change_shows_at_once(council, interim_dossiers):
    round_ = council.interim
    before = _shown_fresh(round_)
    use_rules(round_, **{"per_item = 2": "per_item = 1"})
    after = _shown_fresh(round_)
    assert _totals(after)["U3"] == _totals(before)["U3"] - 5  # 5 classes: 10 points, not 5


def test_a_change_made_without_the_application_shows_at_once(council, interim_dossiers):
    # Another server, or an administrator's correction straight in the database.
    round_ = council.interim
    before = _shown_fresh(round_)
    db.session.execute(update(Unit).where(Unit.code == "U1").values(name="VKSND Mới"))
    db.session.commit()
    after = _shown_fresh(round_)
    names = {r["unit_code"]: r["unit_name"] for r in after[0]["results"]}
    assert names["U1"] == "VKSND Mới" and before != after


def test_a_reviewer_who_left_an_item_alone_follows_the_values(council, interim_dossiers):
    # r1 changes HOP, r2 accepts the computed points, which follow the dossier's values.
    round_ = council.interim
    dossier = interim_dossiers["U3"]
    reviewed(dossier, council.r1, {"HOP": 5}, by=council.secretariat)
    reviewed(dossier, council.r2, {}, by=council.secretariat)

    def accepted(shown):
        (point,) = [p for p in shown[1]["review_points"] if p["reviewer_id"] == council.r2.id]
        return point["points"]

    assert accepted(_shown_fresh(round_)) == 5.0  # two meetings: 5 points
    return_for_supplement(
        dossier, criteria=["A1"], reason="Bổ sung", due_at=AFTER + timedelta(days=3),
        user=council.secretariat, now=AFTER,
    )  # fmt: skip
    set_values(dossier, values_of(50, 4, 0, 5))
    dossier.touch(AFTER + timedelta(hours=1))
    submit_dossier(dossier, user=None, now=AFTER + timedelta(days=1))
    db.session.commit()
    assert accepted(_shown_fresh(round_)) == 10.0  # four meetings: 10 points


def test_a_ranking_read_while_another_server_commits_is_not_kept(
    council, interim_dossiers, monkeypatch
):
    round_ = council.interim
    live.clear_cache()
    marks = iter([1, 2])  # another connection committed while the ranking was read
    keys = []
    real_key = live.ranking_key

    def key_seen(round_, rules):
        keys.append(real_key(round_, rules))
        # what the database holds by the end differs from what it held at the start
        return keys[-1] if len(keys) == 1 else keys[-1]._replace(derived=("changed",))

    monkeypatch.setattr(live, "commit_mark", lambda: next(marks))
    monkeypatch.setattr(live, "ranking_key", key_seen)
    built = live.live_ranking(round_)
    assert len(keys) == 2 and not live._RANKINGS and not live._POINTS
    monkeypatch.undo()
    assert live.live_ranking(round_).results() == built.results()
    assert len(live._RANKINGS) == 1
