"""Exports of a round's ranking and score detail: formats, formula safety, access, CLI."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from emulation.council.ranking import live_ranking
from emulation.dossiers.operations import fill_and_submit
from emulation.exports import safe_cell
from emulation.extensions import db

SUBMITTED = datetime(2024, 8, 1, tzinfo=UTC)
AFTER = datetime(2024, 9, 5, tzinfo=UTC)
VALUES = {"KYSO_a": 90.0, "KYSO_b": 100.0, "HOP": 4.0, "TRUONGBAN": "Thủ trưởng", "SAOLUU": 1.0}


@pytest.fixture
def round_(app, make, set_now):
    movement = make.movement()
    rnd = movement.rounds[0]
    cluster = make.cluster(name="Cụm 1")
    # A unit name a spreadsheet would run as a formula if written as it is.
    for code, name, hop in (("HC", '=HYPERLINK("http://x")', 4.0), ("TK", "Thanh Khê", 2.0)):
        unit = make.unit(code=code, name=name, cluster=cluster)
        candidate = make.candidate(movement, unit)
        fill_and_submit(rnd, candidate, VALUES | {"HOP": hop}, user=None, now=SUBMITTED)
    db.session.commit()
    set_now(AFTER)
    return rnd


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+84 905", "'+84 905"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Hải Châu", "Hải Châu"),
        (-3.5, -3.5),
        (None, None),
        (True, True),
    ],
)
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def _get(client, auth, user, url):
    auth.login(user)
    return client.get(url)


def test_csv_ranking_and_detail_match_the_council_ranking(client, auth, make, round_):
    secretariat = make.user("secretariat")
    db.session.commit()
    response = _get(client, auth, secretariat, f"/rounds/{round_.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = {r["unit_code"]: r["total"] for r in live_ranking(round_).results()["results"]}
    assert {r["unit_code"]: float(r["total"]) for r in rows} == expected
    hc = next(r for r in rows if r["unit_code"] == "HC")
    assert hc["unit_name"].startswith("'=")
    detail = client.get(f"/rounds/{round_.id}/export.csv?table=detail").data.decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(detail)))
    hop = next(r for r in lines if r["unit_code"] == "TK" and r["indicator_code"] == "HOP")
    assert hop["indicator_name"] == "Số cuộc họp chỉ đạo chuyển đổi số trong năm"
    assert float(hop["raw"]) == 2.0 and float(hop["points"]) == 5.0
    assert {"rule_points", "max_points", "note"} <= set(hop)


def test_xlsx_and_json(client, auth, make, round_):
    admin = make.user("admin")
    db.session.commit()
    response = _get(client, auth, admin, f"/rounds/{round_.id}/export.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Xếp hạng", "Chi tiết điểm", "Ghi chú"]
    names = [row[1] for row in book["Xếp hạng"].iter_rows(min_row=2, values_only=True)]
    assert all(not str(n).startswith("=") for n in names)
    assert book["Chi tiết điểm"].max_row == 1 + 2 * 4
    data = json.loads(client.get(f"/rounds/{round_.id}/export.json").data)
    assert data["round"]["code"] == round_.code and data["rules"]["sha256"] == round_.rules_hash
    assert len(data["ranking"]) == 2 and len(data["detail"]) == 8
    # JSON is data, not a spreadsheet: names stay as the unit wrote them.
    assert any(r["unit_name"].startswith("=") for r in data["ranking"])


@pytest.mark.parametrize("role", ["unit_editor", "unit_head", "reviewer"])
def test_only_the_secretariat_downloads(client, auth, make, round_, role):
    user = make.user(role)
    db.session.commit()
    assert _get(client, auth, user, f"/rounds/{round_.id}/export.csv").status_code == 403


def test_unknown_format_and_empty_round(client, auth, make, round_):
    secretariat = make.user("secretariat")
    empty = make.round_(movement=round_.movement, code="R-EMPTY")
    db.session.commit()
    assert _get(client, auth, secretariat, f"/rounds/{round_.id}/export.pdf").status_code == 404
    response = client.get(f"/rounds/{empty.id}/export.csv")
    assert response.status_code == 302


def test_cli_export(runner, round_, tmp_path):
    out = tmp_path / "xep-hang.xlsx"
    result = runner.invoke(args=["export", round_.code, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "Xếp hạng"
    result = runner.invoke(args=["export", str(round_.id), "--format", "json"])
    assert json.loads(result.stdout_bytes)["ranking"]
    result = runner.invoke(args=["export", round_.code, "--format", "xlsx"])
    assert result.exit_code == 2 and "-o FILE" in result.output
