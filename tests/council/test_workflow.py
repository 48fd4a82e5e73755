"""Freezing asks for confirmation; members always see their own vote; open votes say so."""

import re
from io import BytesIO

from docx import Document

from emulation.council.snapshots import freeze
from emulation.council.votes import record_paper_ballots
from emulation.extensions import db
from emulation.models import RankingSnapshot

from .conftest import AFTER, hold_meeting, reviewed, vote_as


def _snapshots():
    return db.session.execute(db.select(RankingSnapshot)).scalars().all()


def _docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_freezing_lists_unfinished_work_and_needs_confirmation_and_a_reason(
    members, interim_dossiers, auth, client
):
    c = members
    reviewed(interim_dossiers["U2"], c.r1, {}, by=c.secretariat, finish=False)
    reviewed(interim_dossiers["U3"], c.r2, {}, by=c.secretariat)
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    auth.login(c.secretariat)
    url = f"/council/rounds/{c.interim.id}/freeze"
    page = client.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    reviews = re.search(r'data-kind="reviews">(.*?)</li>', body, re.S).group(1)
    assert "VKSND U2" in reviews and "Ủy viên Một" in reviews
    never = re.search(r'data-kind="never-reviewed">(.*?)</li>', body, re.S).group(1)
    assert "VKSND U1" in never and "VKSND U3" not in never
    assert 'data-kind="votes"' in body  # nobody voted yet
    assert not _snapshots()

    # No tick: nothing happens; a tick without a reason while reviews are open: refused.
    assert client.post(url, data={"reason": ""}).status_code == 422
    assert client.post(url, data={"confirm": "y"}).status_code == 422
    assert not _snapshots()

    reason = "Hội đồng họp theo lịch, ủy viên Một vắng do công tác."
    assert client.post(url, data={"confirm": "y", "reason": reason}).status_code == 302
    (snapshot,) = _snapshots()
    assert snapshot.payload["freeze"]["reason"] == reason
    assert snapshot.payload["freeze"]["unfinished"]["reviews_open"] == 1
    ranking = client.get(f"/council/rounds/{c.interim.id}/ranking").get_data(as_text=True)
    assert "data-freeze-reason" in ranking and reason in ranking
    minutes = _docx_text(client.get(f"/council/rounds/{c.interim.id}/minutes.docx").data)
    assert reason in minutes and "1 lượt thẩm định chưa hoàn thành" in minutes


def test_freezing_with_nothing_unfinished_needs_only_the_tick(
    council, interim_dossiers, auth, client
):
    for code, dossier in interim_dossiers.items():
        if code != "U1":
            reviewed(dossier, council.r1, {}, by=council.secretariat)
    reviewed(interim_dossiers["U1"], council.r2, {}, by=council.secretariat)
    auth.login(council.secretariat)
    url = f"/council/rounds/{council.interim.id}/freeze"
    body = client.get(url).get_data(as_text=True)
    assert 'data-unfinished="some"' in body  # the meeting is not recorded
    assert 'data-kind="no-meeting"' in body and 'data-kind="reviews"' not in body
    assert client.post(url, data={"confirm": "y"}).status_code == 302
    assert _snapshots()[0].payload["freeze"]["reason"] == ""


def test_a_member_sees_their_recorded_vote_also_after_the_freeze(
    members, interim_dossiers, auth, client
):
    c = members
    u2 = interim_dossiers["U2"]
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    vote_as(client, auth, c.r1, c.interim, [u2], "agree")
    from emulation.council.ranking import live_ranking
    from emulation.council.votes import get_meeting, proposals

    ranking = live_ranking(c.interim)
    dossier_of = {k: e.dossier_id for k, e in ranking.entries.items()}
    proposed = proposals(ranking.results()["results"], dossier_of)
    record_paper_ballots(
        get_meeting(c.interim),
        {(c.r2.id, u2.id): "disagree"},
        proposed,
        {},
        recorded_by=c.secretariat,
        now=AFTER,
    )
    db.session.commit()
    freeze(c.interim, user=c.secretariat, now=AFTER)
    db.session.commit()

    auth.logout()
    auth.login(c.r1)
    body = client.get(f"/council/rounds/{c.interim.id}/vote").get_data(as_text=True)
    assert 'data-my-vote="agree"' in body
    auth.logout()
    auth.login(c.r2)
    body = client.get(f"/council/rounds/{c.interim.id}/vote").get_data(as_text=True)
    assert 'data-my-vote="disagree"' in body and "Thư ký" in body  # who typed it in
    auth.logout()
    auth.login(c.r4)
    body = client.get(f"/council/rounds/{c.interim.id}/vote").get_data(as_text=True)
    assert 'data-my-vote="none"' in body


def _states(client, round_) -> dict[str, str]:
    body = client.get(f"/council/rounds/{round_.id}/meeting").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(VKSND U\d)</td>.*?data-state=\"(\w+)\"", body, re.S)
    return dict(rows)


def test_an_open_vote_is_voting_not_rejected(members, interim_dossiers, auth, client):
    c = members
    u2 = interim_dossiers["U2"]
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)  # U2: 4 eligible, passes with more than half
    auth.login(c.secretariat)
    assert _states(client, c.interim)["VKSND U2"] == "voting"
    vote_as(client, auth, c.r1, c.interim, [u2], "disagree")
    vote_as(client, auth, c.r2, c.interim, [u2], "abstain")
    auth.logout()
    auth.login(c.secretariat)
    # 2 of 4 left: 2 agreeing is not more than half, so U2 can no longer pass
    assert _states(client, c.interim)["VKSND U2"] == "not_passed"
    assert _states(client, c.interim)["VKSND U1"] == "voting"
    freeze(c.interim, user=c.secretariat, now=AFTER)
    db.session.commit()
    assert _states(client, c.interim)["VKSND U1"] == "not_passed"  # the vote is closed


def test_freezing_lists_a_dossier_out_for_supplement(council, interim_dossiers, auth, client):
    from datetime import timedelta

    from emulation.dossiers.supervision import return_for_supplement

    return_for_supplement(
        interim_dossiers["U3"],
        criteria=["A1"],
        reason="Thiếu biên bản",
        due_at=AFTER + timedelta(hours=1),
        user=council.secretariat,
        now=AFTER,
    )
    db.session.commit()
    auth.login(council.secretariat)
    body = client.get(f"/council/rounds/{council.interim.id}/freeze").get_data(as_text=True)
    supplements = re.search(r'data-kind="supplements">(.*?)</li>', body, re.S).group(1)
    assert "VKSND U3" in supplements
