"""The initiatives register: recorded with its decision, counted once per movement."""

import re

from emulation.extensions import db
from emulation.initiatives.operations import facts_of
from emulation.models import AuditEvent, Candidate, Initiative, InitiativeClaim
from emulation.scoring import loads_rules
from emulation.scoring.authority import unmet_conditions

from .conftest import RULES


def _record(client, council, **over):
    data = {"unit": council.units["U1"].id, "title": "Phần mềm tra cứu án", "authors":
            "Lê Thị Hoa; Trần Văn Minh", "field": "Công nghệ thông tin", "decision_no":
            "15/QĐ-VKSTC", "decision_date": "2024-05-20", "level": "sector",
            "scope": "Toàn Ngành"} | over  # fmt: skip
    return client.post("/initiatives", data=data)


def _person(council, name):
    person = Candidate(movement=council.movement, unit=council.units["U1"], kind="individual",
                       person_name=name)  # fmt: skip
    db.session.add(person)
    db.session.commit()
    return person


def test_secretariat_records_an_initiative_with_its_decision(council, auth, client):
    auth.login(council.secretariat)
    assert _record(client, council).status_code == 302
    (found,) = db.session.execute(db.select(Initiative)).scalars()
    assert found.author_names == ["Lê Thị Hoa", "Trần Văn Minh"] and found.level == "sector"
    assert found.decision_date.isoformat() == "2024-05-20" and found.unit.code == "U1"
    page = client.get("/initiatives").get_data(as_text=True)
    assert "Phần mềm tra cứu án" in page and "15/QĐ-VKSTC, 20/05/2024" in page
    assert "Cấp Ngành" in page
    future = _record(client, council, decision_date="2099-01-01", title="Khác")
    assert (
        future.status_code == 422
        and db.session.scalar(db.select(db.func.count()).select_from(Initiative)) == 1
    )
    assert db.session.execute(
        db.select(AuditEvent).filter_by(action="initiative_added")
    ).scalar_one()


def test_an_initiative_counts_once_per_movement_and_only_for_its_authors(council, auth, client):
    auth.login(council.secretariat)
    _record(client, council)
    initiative = db.session.execute(db.select(Initiative)).scalar_one()
    hoa, minh, other = (_person(council, n) for n in ("Lê Thị Hoa", "Trần Văn Minh", "Ngô Văn B"))
    url = f"/initiatives/{initiative.id}/claim"
    assert client.post(url, data={f"c{initiative.id}-candidate": other.id}).status_code == 302
    assert db.session.execute(db.select(InitiativeClaim)).first() is None  # not an author
    client.post(url, data={f"c{initiative.id}-candidate": hoa.id})
    page = client.post(url, data={f"c{initiative.id}-candidate": minh.id}, follow_redirects=True)
    assert "đã được tính cho Lê Thị Hoa" in page.get_data(as_text=True)
    (claim,) = db.session.execute(db.select(InitiativeClaim)).scalars()
    assert claim.candidate_id == hoa.id
    # the unit cannot count it as well
    client.post(url, data={f"c{initiative.id}-candidate": council.candidates["U1"].id})
    assert db.session.scalar(db.select(db.func.count()).select_from(InitiativeClaim)) == 1
    # eligibility reads the register: a sector initiative for Hoa, nothing for Minh
    text = RULES.read_text(encoding="utf-8")
    rules = loads_rules(text.replace('[[awards]]\ncode = "bang-khen"', (
        '[[awards]]\ncode = "cstd"\nname = "Chiến sĩ thi đua cơ sở"\nkinds = ["individual"]\n'
        'conditions = [{ type = "initiative", min_level = "sector" }]\n\n'
        '[[awards]]\ncode = "bang-khen"'
    ), 1))  # fmt: skip
    tier = rules.award("cstd")
    assert unmet_conditions(tier, facts_of(hoa, 2025), {}) == []
    assert unmet_conditions(tier, facts_of(minh, 2025), {})


def _rules_with(council, setting: str) -> None:
    """Both rounds read `[initiatives]` (a claim asks the movement's latest round)."""
    from .conftest import use_rules

    for round_ in council.movement.rounds:
        use_rules(round_, **{"[ranking]": f"[initiatives]\n{setting}\n\n[ranking]"})


def _initiative(council, unit, authors, decided, level="unit"):
    from datetime import date

    from emulation.initiatives.operations import InitiativeInput, add_initiative

    from .conftest import AFTER

    return add_initiative(InitiativeInput(council.units[unit], f"Sáng kiến {decided}", authors,
                                          "", "1/QĐ", date.fromisoformat(decided), level),
                          user=None, now=AFTER)  # fmt: skip


def test_recognised_initiatives_fill_the_indicator_the_rules_name(council, interim_dossiers):
    from emulation.council.ranking import live_ranking
    from emulation.initiatives.operations import claim
    from emulation.standings.live import rule_points_of

    from .conftest import AFTER

    _rules_with(council, 'indicator = "TIN"\nmin_level = "unit"')
    before = {k: rule_points_of(live_ranking(council.interim), k)["TIN"]["points"]
              for k in ("U1", "U2")}  # fmt: skip
    assert before == {"U1": 0.0, "U2": 0.0}  # the typed counts no longer count
    within = _initiative(council, "U1", "Lê Thị Hoa", "2024-07-15")
    earlier = _initiative(council, "U1", "Lê Thị Hoa", "2024-03-01")  # before the round opened
    for found in (within, earlier):
        claim(found, council.candidates["U1"], user=None, now=AFTER)
    db.session.commit()
    points = rule_points_of(live_ranking(council.interim), "U1")["TIN"]
    assert (points["raw"], points["points"]) == (1.0, 2.0)  # one initiative, 2 points each
    assert rule_points_of(live_ranking(council.interim), "U2")["TIN"]["points"] == 0.0


def test_a_shared_initiative_counts_for_each_author_when_the_rules_say_so(council):
    from emulation.initiatives.operations import InitiativeError, claim

    from .conftest import AFTER

    hoa, minh = _person(council, "Lê Thị Hoa"), _person(council, "Trần Văn Minh")
    joint = _initiative(council, "U1", "Lê Thị Hoa; Trần Văn Minh", "2024-07-15")
    claim(joint, hoa, user=None, now=AFTER)
    try:
        claim(joint, minh, user=None, now=AFTER)
        raise AssertionError("counted twice without the rule")
    except InitiativeError as refused:
        assert "Lê Thị Hoa" in str(refused.message)
    _rules_with(council, 'indicator = "TIN"\nshared = true')
    claim(joint, minh, user=None, now=AFTER)
    claim(joint, council.candidates["U1"], user=None, now=AFTER)
    assert claim(joint, minh, user=None, now=AFTER).candidate_id == minh.id  # once each
    assert db.session.scalar(db.select(db.func.count()).select_from(InitiativeClaim)) == 3
    stranger = _person(council, "Ngô Văn B")
    try:
        claim(joint, stranger, user=None, now=AFTER)
        raise AssertionError("a non-author counted")
    except InitiativeError:
        pass


def test_the_initiatives_indicator_must_be_a_count():
    text = RULES.read_text(encoding="utf-8")
    import pytest

    from emulation.scoring import RuleError

    for code, word in (("SAOLUU", "count"), ("NOPE", "chưa được định nghĩa")):
        bad = text.replace("[ranking]", f'[initiatives]\nindicator = "{code}"\n\n[ranking]', 1)
        with pytest.raises(RuleError) as info:
            loads_rules(bad, source="r.toml")
        assert word in str(info.value)


def test_the_dossier_form_does_not_ask_for_what_the_register_fills():
    from emulation.dossiers.fields import all_value_fields, extra_forms
    from emulation.scoring import load_rules
    from tests.scoring.helpers import SEED_RULES

    rules = load_rules(SEED_RULES)
    (sang_kien,) = [f for f in extra_forms(rules) if f.code == "SANG_KIEN"]
    assert sang_kien.from_register and sang_kien.fields == ()
    assert "SANG_KIEN" not in {f.column for f in all_value_fields(rules)}
    assert "BIEU_DUONG" in {f.column for f in all_value_fields(rules)}


def test_the_review_page_shows_the_count_from_the_register(council, interim_dossiers, auth,
                                                           client):  # fmt: skip
    from emulation.initiatives.operations import claim

    from .conftest import AFTER, reviewed, use_rules

    bonus = ('[[bonus]]\ncode = "SANG_KIEN"\nname = "Sáng kiến được công nhận"\nmax_points = 4\n'
             'method = "count"\nparams = { per_item = 2 }\n\n[initiatives]\n'
             'indicator = "SANG_KIEN"\n\n[[disqualifiers]]')  # fmt: skip
    use_rules(council.interim, **{"[[disqualifiers]]": bonus})
    for name in ("Phần mềm A", "Phần mềm B"):
        found = _initiative(council, "U1", "Lê Thị Hoa", "2024-07-15")
        found.title = name
        claim(found, council.candidates["U1"], user=None, now=AFTER)
    review = reviewed(interim_dossiers["U1"], council.r1, {}, by=council.secretariat,
                      finish=False)  # fmt: skip
    auth.login(council.r1)
    page = client.get(f"/council/reviews/{review.id}").get_data(as_text=True)
    block = page[page.index('id="ind-SANG_KIEN"') :]
    block = block[: block.index("</table>")]
    assert "Số sáng kiến được công nhận đã tính (Sổ sáng kiến)" in block
    assert re.search(r"Sổ sáng kiến\)</td><td class=\"num\">2<", block), block
