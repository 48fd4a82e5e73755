"""The audit log viewer: who may read it, what each filter selects, pages and exports."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from emulation.audit import record
from emulation.extensions import db

AT = datetime(2024, 9, 10, 3, 0, tzinfo=UTC)  # 10:00 on 10/09/2024 in Vietnam


@pytest.fixture
def world(make):
    """Two units with a dossier each in one round, a second round, and events about each."""
    movement = make.movement()
    round_a = movement.rounds[0]
    round_b = make.round_(movement=movement)
    unit_a = make.unit(code="HC", name="VKSND Hải Châu")
    unit_b = make.unit(code="TK", name="VKSND Thanh Khê")
    dossier_a = make.dossier(round_a, make.candidate(movement, unit_a))
    dossier_b = make.dossier(round_a, make.candidate(movement, unit_b))
    editor_a = make.user("unit_editor", unit=unit_a, username="bientap_a")
    staff = make.user("secretariat", username="thuky", full_name="Thư ký Hội đồng")
    record("dossier_saved", now=AT, actor=editor_a, obj=dossier_a, details={"changed": ["v1"]})
    record("dossier_returned", now=AT + timedelta(days=1), actor=staff, obj=dossier_b,
           details={"reason": "Thiếu minh chứng"})  # fmt: skip
    record("deadline_extended", now=AT + timedelta(days=2), actor=staff, obj=round_b,
           details={"unit": "TK"})  # fmt: skip
    record("user_updated", now=AT + timedelta(days=3), actor=staff, obj=editor_a,
           details={"changed": {"full_name": ["Tên cũ", "Tên mới"]}})  # fmt: skip
    db.session.commit()
    return dict(staff=staff, editor_a=editor_a, unit_a=unit_a, unit_b=unit_b, round_a=round_a,
                round_b=round_b, dossier_a=dossier_a, dossier_b=dossier_b)  # fmt: skip


def kinds(client, **query) -> list[str]:
    """The kinds of event the page lists for the filter (the sign-in's own events aside)."""
    response = client.get("/audit/", query_string=query)
    assert response.status_code == 200, response.data[:500]
    text = response.data.decode()
    found = [k for k in ("dossier_saved", "dossier_returned", "deadline_extended", "user_updated")
             if f"<code>{k}</code>" in text]  # fmt: skip
    return found


@pytest.mark.parametrize("role", ["unit_editor", "unit_head", "reviewer"])
def test_no_one_but_staff_reads_the_log(client, auth, make, world, role):
    user = make.user(role)
    db.session.commit()
    auth.login(user)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_each_filter_selects_its_events(client, auth, world):
    auth.login(world["staff"])
    assert kinds(client) == [
        "dossier_saved",
        "dossier_returned",
        "deadline_extended",
        "user_updated",
    ]
    assert kinds(client, person=world["editor_a"].id) == ["dossier_saved"]
    assert kinds(client, action="dossier_returned") == ["dossier_returned"]
    # The unit's dossier and its people's own actions.
    assert kinds(client, unit=world["unit_a"].id) == ["dossier_saved"]
    # An extension is recorded on the round, naming the unit it was granted to.
    assert kinds(client, unit=world["unit_b"].id) == ["dossier_returned", "deadline_extended"]
    assert kinds(client, dossier=world["dossier_b"].id) == ["dossier_returned"]
    assert kinds(client, round=world["round_a"].id) == ["dossier_saved", "dossier_returned"]
    assert kinds(client, round=world["round_b"].id) == ["deadline_extended"]
    # Days are Vietnamese calendar days, both ends included.
    assert kinds(client, **{"from": "11/09/2024", "to": "12/09/2024"}) == [
        "dossier_returned", "deadline_extended"]  # fmt: skip
    assert kinds(client, **{"from": "11/09/2024", "to": "12/09/2024"}, person=world["staff"].id,
                 round=world["round_b"].id) == ["deadline_extended"]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [{"from": "31/02/2024"}, {"from": "01/01/1999"}, {"to": "2024-09-10"}, {"unit": "abc"},
     {"dossier": "-1"}, {"from": "12/09/2024", "to": "10/09/2024"}, {"round": "9" * 40}],
)  # fmt: skip
def test_bad_filters_are_explained_never_a_server_error(client, auth, world, query):
    auth.login(world["staff"])
    response = client.get("/audit/", query_string=query)
    assert response.status_code == 422
    assert 'class="field-error"' in response.data.decode()


def test_changes_read_as_before_and_after(client, auth, world):
    auth.login(world["staff"])
    page = client.get("/audit/", query_string={"action": "user_updated"}).data.decode()
    assert "<del>Tên cũ</del> → <ins>Tên mới</ins>" in page
    assert "Thư ký Hội đồng" in page


def test_pages_of_fifty_newest_first(client, auth, world):
    for n in range(60):
        record("probe", now=AT + timedelta(minutes=n), details={"n": n})
    db.session.commit()
    auth.login(world["staff"])
    first = client.get("/audit/", query_string={"action": "probe"}).data.decode()
    second = client.get("/audit/", query_string={"action": "probe", "page": 2}).data.decode()
    assert first.count("<code>probe</code>") == 50 and second.count("<code>probe</code>") == 10
    assert "<strong>n</strong>: 59" in first and "<strong>n</strong>: 0<" in second
    assert "<strong>n</strong>: 9<" in second and "<strong>n</strong>: 10<" not in second


def test_exports_follow_the_filter_and_defuse_formulas(client, auth, world):
    record("login_failed", now=AT, details={"username": '=HYPERLINK("http://x")'})
    db.session.commit()
    auth.login(world["staff"])
    response = client.get("/audit/export.csv", query_string={"action": "login_failed"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][3:5] == ["Đăng nhập không thành công", "login_failed"]
    assert rows[1][8].startswith("username: =HYPERLINK")  # inside text, not at the cell start
    response = client.get("/audit/export.xlsx", query_string={"unit": world["unit_b"].id})
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert [r[4] for r in values[1:]] == ["deadline_extended", "dossier_returned"]  # newest first
    assert "reason: Thiếu minh chứng" in values[2][8]


def test_an_exported_cell_never_starts_a_formula(client, auth, make, world):
    make.user("reviewer", username="x", full_name="=1+2")
    db.session.commit()
    hacker = db.session.execute(
        db.select(type(world["staff"])).filter_by(username="x")
    ).scalar_one()
    record("login", now=AT, actor=hacker)
    db.session.commit()
    auth.login(world["staff"])
    response = client.get("/audit/export.csv", query_string={"person": hacker.id})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][1] == "'=1+2"


def test_kinds_of_event_are_named_in_the_readers_language(client, auth, world):
    record("dossier_submitted", now=AT)
    db.session.commit()
    auth.login(world["staff"])
    page = client.get("/audit/", query_string={"action": "dossier_submitted"}).data.decode()
    assert '<option value="dossier_submitted" selected>Nộp hồ sơ</option>' in page
    assert "<td>Nộp hồ sơ<div" in page
    client.post("/lang", data={"lang": "en"})
    page = client.get("/audit/", query_string={"action": "dossier_submitted"}).data.decode()
    assert "<td>Dossier submitted<div" in page
