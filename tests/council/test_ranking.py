"""Final points (council or computed), ranks per group and overall, ties, quotas, interim."""

import html
import re
from datetime import timedelta

import pytest

from emulation.council.loading import counted_time
from emulation.council.ranking import live_ranking
from emulation.extensions import db

from .conftest import FINAL_DEADLINE, INTERIM_DEADLINE, reviewed, submit, use_rules, values_of


def _row(ranking, key):
    return next(r for r in ranking.results()["results"] if r["unit_code"] == key)


def _points(ranking, key, code):
    details = ranking.result.details
    mask = (details["unit_code"] == key) & (details["indicator_code"] == code)
    return float(details[mask]["points"].iloc[0])


@pytest.fixture
def r4(make):
    """A fourth council member."""
    member = make.user("reviewer", username="uyvien4", full_name="Ủy viên Bốn")
    db.session.commit()
    return member


def test_median_of_finished_reviews_replaces_computed_points(council, interim_dossiers, r4):
    u2 = interim_dossiers["U2"]
    reviewed(u2, council.r1, {"GOPY": 15}, by=council.secretariat)
    reviewed(u2, council.r2, {"GOPY": 9}, by=council.secretariat)
    reviewed(u2, r4, {"GOPY": 18}, by=council.secretariat)
    ranking = live_ranking(council.interim)
    assert _points(ranking, "U2", "GOPY") == 15  # median of 9, 15, 18
    assert _row(ranking, "U2")["total"] == 92.5
    assert {p["reviewer"] for p in ranking.review_points} == {
        "Ủy viên Một",
        "Ủy viên Hai",
        "Ủy viên Bốn",
    }


def test_mean_when_the_rule_file_says_mean(council, interim_dossiers, r4):
    use_rules(council.interim, **{'aggregation = "median"': 'aggregation = "mean"'})
    u2 = interim_dossiers["U2"]
    for member, pts in ((council.r1, 15), (council.r2, 9), (r4, 17)):
        reviewed(u2, member, {"GOPY": pts}, by=council.secretariat)
    assert _points(live_ranking(council.interim), "U2", "GOPY") == pytest.approx(13.67)


def test_unfinished_and_recused_reviews_do_not_count(council, interim_dossiers):
    from emulation.council.assignment import recuse

    u2 = interim_dossiers["U2"]
    reviewed(u2, council.r1, {"GOPY": 15}, by=council.secretariat, finish=False)
    review = reviewed(u2, council.r2, {"GOPY": 10}, by=council.secretariat)
    recuse(review, reason="Xung đột lợi ích", user=council.r2, now=review.finished_at)
    db.session.commit()
    ranking = live_ranking(council.interim)
    assert _points(ranking, "U2", "GOPY") == 0
    assert ranking.council_points == []


def test_a_finished_reviewer_who_left_an_indicator_alone_accepts_the_computed_points(
    council, interim_dossiers, r4
):
    u2 = interim_dossiers["U2"]  # KYSO computed: 100/100 -> 30
    reviewed(u2, council.r1, {"KYSO": 20}, by=council.secretariat)
    reviewed(u2, council.r2, {}, by=council.secretariat)
    reviewed(u2, r4, {}, by=council.secretariat)
    ranking = live_ranking(council.interim)
    assert _points(ranking, "U2", "KYSO") == 30  # median of 20, 30, 30
    (combined,) = ranking.council_points
    assert combined["reviewers"] == 3


def test_shared_ties_and_percent_quota_exclude_a_straddling_tie(council, interim_dossiers):
    ranking = live_ranking(council.interim)
    rows = {r["unit_code"]: r for r in ranking.results()["results"]}
    assert (rows["U5"]["rank_in_group"], rows["U6"]["rank_in_group"]) == (1, 1)
    assert rows["U2"]["rank_in_group"] == 1 and rows["U1"]["rank_in_group"] == 2
    assert rows["U4"]["rank_in_group"] is None and "lộ, lọt" in rows["U4"]["disqualifier_reason"]
    # Giấy khen: 50 % per cluster; Cụm 1 (4 candidates) takes 2, Cụm 2's tie of 2 for 1 place none.
    awarded = {k for k, r in rows.items() if r["award_code"] == "giay-khen"}
    assert awarded == {"U1", "U2"}
    assert rows["U3"]["band"] == ""  # 30 points, below every band


def test_chain_policy_breaks_the_tie_by_earlier_submission(council, interim_dossiers):
    use_rules(
        council.interim,
        **{'tie_policy = "shared"': 'tie_policy = "chain"\ntie_break = ["submitted_at"]'},
    )
    rows = {r["unit_code"]: r for r in live_ranking(council.interim).results()["results"]}
    assert rows["U6"]["rank_in_group"] == 1 and rows["U5"]["rank_in_group"] == 2  # U6 sent earlier
    assert rows["U6"]["award_code"] == "giay-khen" and rows["U5"]["award_code"] == ""


def _final(council, **overrides):
    dossiers = {}
    for i, code in enumerate(["U1", "U2", "U3", "U5"]):
        vals = overrides.get(code, (100, 4, 1, 10))
        at = FINAL_DEADLINE - timedelta(days=2, minutes=i)
        dossiers[code] = submit(council.final, council.candidates[code], values_of(*vals), at)
    db.session.commit()
    return dossiers


def test_count_quota_with_a_tie_then_council_points_decide(council, interim_dossiers):
    dossiers = _final(council, U3=(50, 2, 0, 5))
    rows = {r["unit_code"]: r for r in live_ranking(council.final).results()["results"]}
    # U1, U2 and U5 all reach 80 (xuất sắc): a count quota of 1 with a tie gives nobody Bằng khen.
    assert not any(r["award_code"] == "bang-khen" for r in rows.values())
    reviewed(dossiers["U2"], council.r1, {"GOPY": 10}, by=council.secretariat)
    rows = {r["unit_code"]: r for r in live_ranking(council.final).results()["results"]}
    assert rows["U2"]["award_code"] == "bang-khen" and rows["U2"]["total"] == 90
    assert rows["U1"]["award_code"] == "giay-khen"


def test_final_ranking_page_shows_interim_figures_and_change(
    council, interim_dossiers, auth, client
):
    _final(council)
    auth.login(council.r1)
    body = client.get(f"/council/rounds/{council.final.id}/ranking").get_data(as_text=True)
    assert "Sơ kết năm 2024" in body  # where interim figures come from
    assert "77,5" in body and "+2,5" in body  # U2: 77.5 at the interim, 80 now


def test_ranking_page_states_the_tie_policy_groups_and_reasons(
    council, interim_dossiers, auth, client
):
    auth.login(council.r2)
    body = client.get(f"/council/rounds/{council.interim.id}/ranking").get_data(as_text=True)
    assert "bằng tổng điểm thì đồng hạng" in body
    assert "Cụm 1" in body and "Cụm 2" in body
    assert "Để xảy ra sự cố lộ, lọt dữ liệu" in body
    assert "Giấy khen" in body
    overall = client.get(f"/council/rounds/{council.interim.id}/ranking?view=overall")
    assert overall.status_code == 200


def test_drill_down_explains_points_and_lists_reviewers(council, interim_dossiers, auth, client):
    u2 = interim_dossiers["U2"]
    reviewed(u2, council.r1, {"GOPY": 12}, by=council.secretariat)
    auth.login(council.r2)
    body = client.get(f"/council/rounds/{council.interim.id}/candidates/{u2.id}").get_data(
        as_text=True
    )
    assert (
        "Chất lượng góp ý (Hội đồng chấm)" in body
        and "Lý do GOPY" in body
        and "Ủy viên Một" in body
    )
    assert "89,5" in body
    wrong_round = client.get(f"/council/rounds/{council.final.id}/candidates/{u2.id}")
    assert wrong_round.status_code == 404


def test_late_dossier_in_grace_is_ranked_flagged_and_not_awarded(council, interim_dossiers):
    from emulation.models import Candidate

    extra = council.units["U3"]
    cand = Candidate(
        movement=council.movement, unit=extra, kind="individual", person_name="Nguyễn Văn A"
    )
    db.session.add(cand)
    db.session.flush()
    submit(
        council.interim, cand, values_of(100, 4, 1, 10), INTERIM_DEADLINE + timedelta(minutes=30)
    )
    db.session.commit()
    rows = {r["unit_code"]: r for r in live_ranking(council.interim).results()["results"]}
    late = rows[f"U3/{cand.id}"]
    assert (
        late["on_time"] is False and late["rank_in_group"] is not None and late["award_code"] == ""
    )


def test_counted_time_keeps_the_original_submission_for_a_supplement():
    deadline = INTERIM_DEADLINE
    first, answer = (deadline - timedelta(days=2), False), (deadline + timedelta(days=5), False)
    assert counted_time([first, answer], {answer[0]}, deadline) == first[0]
    extended = (deadline + timedelta(days=1), False)  # on time under an extension
    assert counted_time([extended], set(), deadline) == deadline
    grace = (deadline + timedelta(minutes=5), True)
    assert counted_time([grace], set(), deadline) == grace[0]


def test_returned_dossier_keeps_its_submitted_values_in_the_ranking(council, interim_dossiers):
    from emulation.dossiers.operations import set_values
    from emulation.dossiers.supervision import return_for_supplement

    from .conftest import AFTER

    before = _row(live_ranking(council.interim), "U2")
    dossier = interim_dossiers["U2"]
    return_for_supplement(
        dossier,
        criteria=["A1"],
        reason="Bổ sung minh chứng ký số",
        due_at=AFTER + timedelta(days=3),
        user=council.secretariat,
        now=AFTER,
    )
    set_values(dossier, {"KYSO_a": 10.0})  # the unit edits its draft meanwhile
    db.session.commit()
    after = _row(live_ranking(council.interim), "U2")
    assert after["total"] == before["total"]
    assert after["rank_overall"] == before["rank_overall"]


def test_a_resubmitted_dossier_is_ranked_with_its_new_values(council, interim_dossiers):
    from emulation.dossiers.operations import set_values, submit_dossier
    from emulation.dossiers.supervision import return_for_supplement

    from .conftest import AFTER

    first = _row(live_ranking(council.interim), "U3")["total"]
    assert _row(live_ranking(council.interim), "U3")["total"] == first  # read twice: same
    dossier = interim_dossiers["U3"]
    due = AFTER + timedelta(days=3)
    return_for_supplement(
        dossier, criteria=["A1"], reason="Bổ sung", due_at=due, user=council.secretariat, now=AFTER
    )
    set_values(dossier, {"KYSO_a": 100.0})
    submit_dossier(dossier, user=council.editor, now=AFTER + timedelta(hours=1))
    db.session.commit()
    assert _row(live_ranking(council.interim), "U3")["total"] > first


def test_candidate_page_speaks_the_readers_language(council, interim_dossiers, auth, client):
    u2 = interim_dossiers["U2"]
    auth.login(council.r2)
    url = f"/council/rounds/{council.interim.id}/candidates/{u2.id}"
    body = client.get(url).get_data(as_text=True)
    assert 'small muted">tỷ lệ so với chỉ tiêu' in body and 'small muted">ratio' not in body
    assert "29/08/2024 23:58" in body and "2024-08-29T" not in body
    client.post("/lang", data={"lang": "en", "next": "/"})
    body = client.get(url).get_data(as_text=True)
    assert "Bằng khen: not considered in this round" in body
    assert "no council points yet, counted as 0 points" in body
    assert 'small muted">share of the target' in body


def test_ranking_page_states_tie_policy_and_rounding_in_english(
    council, interim_dossiers, auth, client
):
    auth.login(council.r2)
    client.post("/lang", data={"lang": "en", "next": "/"})
    body = client.get(f"/council/rounds/{council.interim.id}/ranking").get_data(as_text=True)
    assert "Ranked by total points, highest first" in body and "Xếp hạng theo tổng điểm" not in body
    assert "sums add the unrounded points" in body


def _explanation(body: str) -> list[str]:
    block = body.split('<ul class="small">')[-1].split("</ul>")[0]
    return [html.unescape(line) for line in re.findall(r"<li>(.*?)</li>", block, flags=re.S)]


def test_the_full_explanation_is_in_the_readers_language(council, interim_dossiers, auth, client):
    u2 = interim_dossiers["U2"]
    auth.login(council.r2)
    url = f"/council/rounds/{council.interim.id}/candidates/{u2.id}"
    vietnamese = _explanation(client.get(url).get_data(as_text=True))
    engine = live_ranking(council.interim).result.explain("U2")["summary"]
    # The same lines as the engine's record, with local times and method names for people.
    assert len(vietnamese) == len(engine)
    assert "Tổng điểm: 77,5/100" in vietnamese and engine[-2:] == vietnamese[-2:]
    assert vietnamese[0] == engine[0] and any(line.startswith("Nhóm A") for line in vietnamese)
    client.post("/lang", data={"lang": "en"})
    english = _explanation(client.get(url).get_data(as_text=True))
    assert len(english) == len(engine) and "Total: 77.5/100" in english
    assert english[0].startswith("Unit U2 – ") and any(x.startswith("Group A") for x in english)
    vietnamese_words = ("Nhóm", "Tổng điểm", "Điểm thưởng", "Hạng", "số liệu", "Xếp hạng theo")
    assert not [line for line in english if any(word in line for word in vietnamese_words)]
