"""Council vote with quorum and threshold, recused members excluded; minutes and decision DOCX."""

import re
from io import BytesIO

from docx import Document

from emulation.council.snapshots import freeze
from emulation.council.votes import tally
from emulation.extensions import db
from emulation.models import AuditEvent, Vote

from .conftest import AFTER, hold_meeting, reviewed, use_rules, vote_as


def _tally(council, interim_dossiers):
    from emulation.council.ranking import live_ranking

    ranking = live_ranking(council.interim)
    dossier_of = {k: e.dossier_id for k, e in ranking.entries.items()}
    result = tally(council.interim, ranking.results()["results"], dossier_of)
    return result, {c["key"]: c for c in result["candidates"]}


def test_secretariat_records_the_meeting(members, interim_dossiers, auth, client):
    auth.login(members.secretariat)
    response = client.post(
        f"/council/rounds/{members.interim.id}/meeting",
        data={
            "held_at": "2025-09-05T09:00",
            "place": "Hội trường",
            "members_total": "5",
            "present": [members.r1.id, members.r2.id, members.r4.id, members.r5.id],
            "chair": members.r1.id,
        },
    )
    assert response.status_code == 302
    result, _rows = _tally(members, interim_dossiers)
    meeting = result["meeting"]
    assert meeting["held_at"] == "2025-09-05T02:00:00+00:00"  # 09:00 Vietnam time
    assert (
        meeting["quorum_met"] and meeting["chair"] == "Ủy viên Một" and len(meeting["present"]) == 4
    )
    assert db.session.execute(
        db.select(AuditEvent).filter_by(action="council_meeting_saved")
    ).scalar_one()


def test_quorum_threshold_and_recused_members(members, interim_dossiers, auth, client):
    c = members
    proposed = [interim_dossiers["U1"], interim_dossiers["U2"]]  # Giấy khen in Cụm 1
    hold_meeting(c, c.r1, c.r2, c.r3)  # 3 of 5 < 2/3
    for m in (c.r1, c.r2):
        vote_as(client, auth, m, c.interim, proposed, "agree")
    result, rows = _tally(c, interim_dossiers)
    assert not result["meeting"]["quorum_met"] and not rows["U2"]["passed"]
    assert rows["U2"]["agree"] == 2
    # r3 belongs to U1: not counted for U1, and the page refuses a vote on it
    assert rows["U1"]["eligible"] == 2 and rows["U1"]["recused"] == ["Ủy viên Ba"]
    vote_as(client, auth, c.r3, c.interim, [interim_dossiers["U1"]], "disagree")
    assert not db.session.execute(db.select(Vote).filter_by(member_id=c.r3.id)).first()
    hold_meeting(c, c.r1, c.r2, c.r3, c.r4)  # 4 of 5 >= 2/3
    result, rows = _tally(c, interim_dossiers)
    assert result["meeting"]["quorum_met"]
    assert rows["U1"]["passed"]  # 2 of 3 eligible agree > 1/2
    assert not rows["U2"]["passed"]  # 2 of 4 is not more than half
    vote_as(client, auth, c.r4, c.interim, proposed, "abstain")
    vote_as(client, auth, c.r3, c.interim, [interim_dossiers["U2"]], "agree")
    _result, rows = _tally(c, interim_dossiers)
    assert (rows["U2"]["agree"], rows["U2"]["abstain"], rows["U2"]["passed"]) == (3, 1, True)


def test_at_least_rule_passes_exactly_half(members, interim_dossiers, auth, client):
    c = members
    use_rules(c.interim, **{'pass_rule = "greater"': 'pass_rule = "at_least"'})
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    for m in (c.r1, c.r2):
        vote_as(client, auth, m, c.interim, [interim_dossiers["U2"]], "agree")
    _result, rows = _tally(c, interim_dossiers)
    assert rows["U2"]["passed"]


def test_a_recused_reviewer_does_not_vote(members, interim_dossiers, auth, client):
    from emulation.council.assignment import recuse

    c = members
    review = reviewed(interim_dossiers["U2"], c.r2, {}, by=c.secretariat, finish=False)
    recuse(review, reason="Vợ công tác tại đơn vị", user=c.r2, now=AFTER)
    db.session.commit()
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    vote_as(client, auth, c.r2, c.interim, [interim_dossiers["U2"]], "agree")
    _result, rows = _tally(c, interim_dossiers)
    assert rows["U2"]["eligible"] == 3 and rows["U2"]["agree"] == 0


def test_absent_member_cannot_vote(members, interim_dossiers, auth, client):
    c = members
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    vote_as(client, auth, c.r3, c.interim, [interim_dossiers["U2"]], "agree")
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0


def _docx_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_vote_goes_into_the_snapshot_minutes_and_decision(members, interim_dossiers, auth, client):
    c = members
    hold_meeting(c, c.r1, c.r2, c.r4, c.r5)
    for m in (c.r1, c.r2, c.r4):
        vote_as(client, auth, m, c.interim, [interim_dossiers["U2"]], "agree")
        vote_as(client, auth, m, c.interim, [interim_dossiers["U1"]], "disagree")
    auth.logout()
    auth.login(c.secretariat)
    draft = client.get(f"/council/rounds/{c.interim.id}/minutes.docx")
    assert draft.status_code == 200 and "DỰ THẢO" in _docx_text(draft.data)
    refused = client.get(f"/council/rounds/{c.interim.id}/decision.docx")
    assert refused.status_code == 302  # nothing is decided before the ranking is frozen
    snapshot = freeze(c.interim, user=c.secretariat, now=AFTER)
    db.session.commit()
    votes = {v["key"]: v for v in snapshot.payload["votes"]["candidates"]}
    assert votes["U2"]["passed"] and not votes["U1"]["passed"]
    minutes = _docx_text(client.get(f"/council/rounds/{c.interim.id}/minutes.docx").data)
    assert "BIÊN BẢN" in minutes and "VKSND U2" in minutes and "Thông qua" in minutes
    assert "Không thông qua" in minutes and snapshot.payload_hash not in minutes
    decision = _docx_text(client.get(f"/council/rounds/{c.interim.id}/decision.docx").data)
    assert "Tặng Giấy khen cho 1 tập thể" in decision
    assert "VKSND U2" in decision and "VKSND U1" not in decision
    # and nobody can vote any more
    vote_as(client, auth, c.r5, c.interim, [interim_dossiers["U2"]], "agree")
    assert not db.session.execute(db.select(Vote).filter_by(member_id=c.r5.id)).first()


def test_vote_page_lists_proposals_for_present_members(members, interim_dossiers, auth, client):
    c = members
    hold_meeting(c, c.r1, c.r3, c.r4, c.r5)
    auth.login(c.r3)
    body = client.get(f"/council/rounds/{c.interim.id}/vote").get_data(as_text=True)
    assert "VKSND U2" in body and f'name="v_{interim_dossiers["U2"].id}"' in body
    assert f'name="v_{interim_dossiers["U1"].id}"' not in body  # own unit


def _paper(client, round_, ballots, awards):
    data = {f"p_{m.id}_{d.id}": choice for (m, d), choice in ballots.items()}
    data |= {f"a_{d.id}": award for d, award in awards.items()}
    return client.post(f"/council/rounds/{round_.id}/paper-ballots", data=data)


def test_secretariat_enters_paper_ballots_for_present_members(
    members, interim_dossiers, auth, client
):
    c = members
    u1, u2 = interim_dossiers["U1"], interim_dossiers["U2"]
    hold_meeting(c, c.r1, c.r2, c.r3, c.r4)
    auth.login(c.secretariat)
    page = client.get(f"/council/rounds/{c.interim.id}/paper-ballots").get_data(as_text=True)
    assert "Ủy viên Ba" in page and f"p_{c.r3.id}_{u2.id}" in page
    assert f"p_{c.r3.id}_{u1.id}" not in page  # r3 belongs to U1: no cell to vote on it
    awards = dict(re.findall(r'name="a_(\d+)" type="hidden" value="([^"]*)"', page))
    awards = {d: awards[str(d.id)] for d in (u1, u2)}
    ballots = {(m, u2): "agree" for m in (c.r1, c.r2, c.r3)}
    ballots |= {(c.r4, u2): "disagree", (c.r3, u1): "agree"}
    assert _paper(client, c.interim, ballots, awards).status_code == 302
    _result, rows = _tally(c, interim_dossiers)
    assert (rows["U2"]["agree"], rows["U2"]["disagree"], rows["U2"]["passed"]) == (3, 1, True)
    assert not db.session.execute(
        db.select(Vote).filter_by(member_id=c.r3.id, dossier_id=u1.id)
    ).first()  # the smuggled vote of U1's own member was not stored
    votes = db.session.execute(db.select(Vote)).scalars().all()
    assert {(v.member_id, v.recorded_by_id) for v in votes} == {
        (m.id, c.secretariat.id) for m in (c.r1, c.r2, c.r3, c.r4)
    }
    event = db.session.execute(
        db.select(AuditEvent).filter_by(action="votes_recorded").limit(1)
    ).scalar_one()
    assert event.actor_id == c.secretariat.id and event.details["paper_ballot"] is True
    # A mistyped ballot is corrected by emptying its cell: the vote goes, the audit keeps it.
    ballots[(c.r4, u2)] = ""
    _paper(client, c.interim, ballots, awards)
    assert not db.session.execute(db.select(Vote).filter_by(member_id=c.r4.id)).first()
    removed = (
        db.session.execute(
            db.select(AuditEvent).filter_by(action="votes_recorded").order_by(AuditEvent.id.desc())
        )
        .scalars()
        .first()
    )
    assert removed.details["votes"] == [{"member": c.r4.id, "dossier": u2.id, "before": "disagree"}]


def test_paper_ballots_never_overwrite_an_online_vote_or_a_changed_proposal(
    members, interim_dossiers, auth, client
):
    c = members
    u2 = interim_dossiers["U2"]
    hold_meeting(c, c.r1, c.r2, c.r4)
    vote_as(client, auth, c.r1, c.interim, [u2], "disagree")
    auth.logout()
    auth.login(c.secretariat)
    page = client.get(f"/council/rounds/{c.interim.id}/paper-ballots").get_data(as_text=True)
    assert f"p_{c.r1.id}_{u2.id}" not in page  # shown as voted online, not editable
    award = re.search(rf'name="a_{u2.id}" type="hidden" value="([^"]*)"', page).group(1)
    _paper(client, c.interim, {(c.r1, u2): "agree", (c.r2, u2): "agree"}, {u2: award})
    mine = db.session.execute(db.select(Vote).filter_by(member_id=c.r1.id)).scalar_one()
    assert (mine.choice, mine.recorded_by_id) == ("disagree", None)
    response = _paper(client, c.interim, {(c.r4, u2): "agree"}, {u2: "another-tier"})
    assert response.status_code == 302
    assert not db.session.execute(db.select(Vote).filter_by(member_id=c.r4.id)).first()


def test_paper_ballots_are_for_the_secretariat_only(members, interim_dossiers, auth, client):
    hold_meeting(members, members.r1, members.r2, members.r4)
    auth.login(members.r1)
    assert client.get(f"/council/rounds/{members.interim.id}/paper-ballots").status_code == 403
