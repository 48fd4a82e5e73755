"""After the freeze and the vote, a unit reads its result; a frozen round is read-only."""

import re

import pytest

from emulation.council.snapshots import freeze
from emulation.council.votes import save_meeting
from emulation.extensions import db
from emulation.models import DeadlineExtension

from .conftest import AFTER, reviewed, use_rules


@pytest.fixture
def decided(council, interim_dossiers, auth, client):
    """U1 adjusted by the council; meeting; U2's award passed, U1's not; frozen."""
    reviewed(interim_dossiers["U1"], council.r1, {"GOPY": 5}, by=council.secretariat)
    save_meeting(
        council.interim,
        held_at=AFTER,
        place="Hội trường",
        members_total=3,
        present_ids=[council.r1.id, council.r2.id],
        chair_id=council.r1.id,
        user=council.secretariat,
        now=AFTER,
    )
    db.session.commit()
    for member in (council.r1, council.r2):
        auth.login(member)
        client.post(
            f"/council/rounds/{council.interim.id}/vote",
            data={
                f"v_{interim_dossiers['U2'].id}": "agree",
                f"v_{interim_dossiers['U1'].id}": "disagree",
            },
        )
        auth.logout()
    return council


def _freeze(council):
    freeze(council.interim, user=council.secretariat, now=AFTER)
    db.session.commit()


def test_unit_reads_its_result_after_the_decision(decided, interim_dossiers, auth, client):
    c = decided
    auth.login(c.editor)  # of unit U1
    url = f"/dossiers/{interim_dossiers['U1'].id}"
    assert "data-outcome" not in client.get(url).get_data(as_text=True)  # not decided yet
    assert "Xem kết quả" not in client.get("/").get_data(as_text=True)
    _freeze(c)
    body = client.get(url).get_data(as_text=True)
    assert "data-outcome" in body
    assert re.search(r"data-rank>\d+<", body)
    assert 'data-no-award="not_passed"' in body  # the council voted it down
    assert "GOPY" in body and "Lý do GOPY" in body  # the council's adjustment and reason
    assert "data-published-ranking" not in body  # the rule file does not publish it
    assert "Xem kết quả" in client.get("/").get_data(as_text=True)
    edit = client.get(f"/dossiers/{interim_dossiers['U1'].id}/edit").get_data(as_text=True)
    assert "Xem kết quả" in edit


def test_published_ranking_shows_the_units_cluster(decided, interim_dossiers, auth, client):
    c = decided
    use_rules(
        c.interim, **{'pass_rule = "greater"\n': 'pass_rule = "greater"\npublish_results = true\n'}
    )
    _freeze(c)
    auth.login(c.editor)
    body = client.get(f"/dossiers/{interim_dossiers['U1'].id}").get_data(as_text=True)
    table = re.search(r"data-published-ranking>(.*?)</table>", body, re.S).group(1)
    assert "VKSND U2" in table and "VKSND U3" in table and "VKSND U5" not in table  # Cụm 2
    assert "Giấy khen" in table  # U2's award, passed


def test_a_unit_never_sees_another_units_result(decided, interim_dossiers, auth, client):
    _freeze(decided)
    auth.login(decided.editor)
    assert client.get(f"/dossiers/{interim_dossiers['U2'].id}").status_code == 403


def test_frozen_round_is_read_only_on_every_page(council, interim_dossiers, auth, client):
    review = reviewed(interim_dossiers["U2"], council.r1, {}, by=council.secretariat, finish=False)
    auth.login(council.r1)
    page = client.get(f"/council/reviews/{review.id}").get_data(as_text=True)
    assert f"/council/reviews/{review.id}/finish" in page  # editable while open
    _freeze(council)
    page = client.get(f"/council/reviews/{review.id}").get_data(as_text=True)
    assert f"/council/reviews/{review.id}/finish" not in page
    assert f"/council/reviews/{review.id}/adjust" not in page
    assert "đã chốt lúc" in page  # the reason is shown
    auth.logout()
    auth.login(council.secretariat)
    save_meeting_url = f"/council/rounds/{council.interim.id}/meeting"
    page = client.get(save_meeting_url).get_data(as_text=True)
    assert "<fieldset" in page and "disabled" in page and "Lưu phiên họp" not in page
    page = client.get(f"/dossiers/{interim_dossiers['U3'].id}/return").get_data(as_text=True)
    assert "data-read-only" in page and 'name="reason"' not in page
    page = client.get(f"/rounds/{council.interim.id}").get_data(as_text=True)
    assert "data-read-only" in page and "/extensions" not in page
    data = {"unit": "U3", "until": "30/09/2025 17:00", "reason": "Mất điện"}
    client.post(f"/rounds/{council.interim.id}/extensions", data=data)
    assert not db.session.execute(db.select(DeadlineExtension)).first()


def test_meeting_time_is_typed_as_day_month_year(council, interim_dossiers, auth, client):
    auth.login(council.secretariat)
    url = f"/council/rounds/{council.interim.id}/meeting"
    page = client.get(url).get_data(as_text=True)
    assert 'type="datetime-local"' not in page and 'placeholder="dd/mm/yyyy HH:MM"' in page
    response = client.post(
        url,
        data={
            "held_at": "05/09/2025 09:00",
            "members_total": "3",
            "present": [council.r1.id, council.r2.id],
            "chair": council.r1.id,
        },
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'value="05/09/2025 09:00"' in page
