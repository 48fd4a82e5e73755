"""A unit nominates individuals (by hand or from XLSX); they compete in their own groups."""

from datetime import timedelta
from io import BytesIO

import openpyxl

from emulation.council.ranking import live_ranking
from emulation.dossiers.operations import set_values, submit_dossier
from emulation.extensions import db
from emulation.models import AuditEvent, Candidate, Dossier

from .conftest import INTERIM_DEADLINE, submit, use_rules, values_of


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Chức vụ", "Xếp loại năm", "Tóm tắt thành tích"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _people(council):
    return list(db.session.execute(
        db.select(Candidate).filter_by(kind="individual").order_by(Candidate.person_name)
    ).scalars())  # fmt: skip


def test_unit_nominates_a_person_by_hand(council, auth, client):
    auth.login(council.editor)
    url = f"/movements/{council.movement.id}/nominees"
    response = client.post(
        url,
        data={
            "name": "  Nguyễn  Thị Lan ",
            "position": "Kiểm sát viên",
            "rating": "xuat-sac",
            "achievement": "Xây dựng phần mềm.",
        },
    )
    assert response.status_code == 302
    (person,) = _people(council)
    assert (person.person_name, person.unit.code, person.rating) == (
        "Nguyễn Thị Lan",
        "U1",
        "xuat-sac",
    )
    assert person.nominated_at is not None
    again = client.post(url, data={"name": "nguyễn thị lan"})
    assert again.status_code == 422 and "đã được đơn vị đề cử" in again.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "Hoàn thành xuất sắc nhiệm vụ" in page
    assert db.session.execute(db.select(AuditEvent).filter_by(action="nominee_added")).scalar_one()


def test_twenty_people_from_one_xlsx_and_nothing_when_a_row_is_wrong(council, auth, client):
    auth.login(council.editor)
    url = f"/movements/{council.movement.id}/nominees/import"
    rows = [[f"Cán bộ {i:02d}", "Chuyên viên", "Hoàn thành tốt nhiệm vụ", ""] for i in range(20)]
    bad = client.post(url, data={"file": (BytesIO(_xlsx(rows + [["Cán bộ 99", "", "Giỏi", ""],
                                                               ["Cán bộ 03", "", "", ""]])),
                                           "ds.xlsx")})  # fmt: skip
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and _people(council) == []
    assert "Dòng 22" in body and "Giỏi" in body and "Dòng 23" in body
    good = client.post(url, data={"file": (BytesIO(_xlsx(rows)), "ds.xlsx")})
    assert good.status_code == 302
    people = _people(council)
    assert len(people) == 20 and {p.rating for p in people} == {"tot"}
    assert {p.unit.code for p in people} == {"U1"}


def test_other_units_and_the_council_cannot_touch_a_units_nominees(council, make, auth, client):
    auth.login(council.editor)
    client.post(f"/movements/{council.movement.id}/nominees", data={"name": "Trần Văn Minh"})
    (person,) = _people(council)
    auth.logout()
    other = make.user("unit_editor", unit=council.units["U2"], username="bt2")
    db.session.commit()
    auth.login(other)
    assert client.post(f"/nominees/{person.id}/remove").status_code == 403
    start = f"/rounds/{council.interim.id}/nominees/{person.id}/dossier"
    assert client.post(start).status_code == 403
    auth.logout()
    auth.login(council.secretariat)
    assert client.get(f"/movements/{council.movement.id}/nominees").status_code == 403


def test_a_nominees_dossier_is_ranked_among_individuals(council, auth, client, set_now):
    use_rules(council.interim, **{'group_by = "cluster"': 'group_by = ["kind", "cluster"]'})
    set_now(INTERIM_DEADLINE - timedelta(days=3))
    auth.login(council.editor)
    client.post(f"/movements/{council.movement.id}/nominees", data={"name": "Lê Thị Hoa"})
    (person,) = _people(council)
    opened = client.post(f"/rounds/{council.interim.id}/nominees/{person.id}/dossier")
    dossier = db.session.execute(db.select(Dossier).filter_by(candidate_id=person.id)).scalar_one()
    assert opened.status_code == 302 and opened.headers["Location"].endswith(
        f"/dossiers/{dossier.id}/edit"
    )
    assert client.post(f"/nominees/{person.id}/remove").status_code == 302  # refused: has a dossier
    assert _people(council) == [person]
    at = INTERIM_DEADLINE - timedelta(days=1)
    submit(council.interim, council.candidates["U1"], values_of(90, 4, 1, 10), at)
    set_values(dossier, values_of(100, 4, 1, 10))
    submit_dossier(dossier, user=council.editor, now=at)
    db.session.commit()
    rows = {r["unit_code"]: r for r in live_ranking(council.interim).results()["results"]}
    mine = rows[f"U1/{person.id}"]
    assert mine["kind"] == "individual" and mine["unit_name"] == "Lê Thị Hoa"
    assert mine["ranking_group"] != rows["U1"]["ranking_group"]
    assert mine["rank_in_group"] == 1 and rows["U1"]["rank_in_group"] == 1


def test_documents_name_individuals_with_position_and_unit(council, auth, client, set_now):
    from emulation.council.documents import with_people

    set_now(INTERIM_DEADLINE - timedelta(days=3))
    auth.login(council.editor)
    client.post(f"/movements/{council.movement.id}/nominees",
                data={"name": "Lê Thị Hoa", "position": "Kiểm sát viên"})  # fmt: skip
    (person,) = _people(council)
    payload = {"results": {"results": [
        {"unit_code": f"U1/{person.id}", "kind": "individual", "unit_name": "Lê Thị Hoa"},
        {"unit_code": "U1", "kind": "collective", "unit_name": "VKSND U1"},
    ]}}  # fmt: skip
    assert with_people(payload)["people"] == {
        f"U1/{person.id}": "Lê Thị Hoa, Kiểm sát viên, VKSND U1"
    }
