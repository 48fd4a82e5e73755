"""The initiatives register: recorded with its decision, counted once per movement."""

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
