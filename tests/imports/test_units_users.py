"""Importing units, clusters and accounts: headers, encodings, errors, idempotency, rollback."""

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from emulation.extensions import db
from emulation.imports.tables import decode
from emulation.imports.units import cluster_code_for, import_units
from emulation.imports.users import import_users, role_code
from emulation.models import AuditEvent, Cluster, Unit, User

DATA = Path(__file__).parents[1] / "data" / "imports"
NOW = datetime(2024, 7, 1, tzinfo=UTC)
UNITS_CSV = (DATA / "units.csv").read_text(encoding="utf-8")


def cp1258(text: str) -> bytes:
    """Encode as Vietnamese Windows does: a precomposed letter plus a combining tone mark."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tone = next(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", parts.replace(tone, ""))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def _units() -> dict[str, tuple[str, str | None]]:
    rows = db.session.execute(db.select(Unit)).scalars()
    return {u.code: (u.name, u.cluster.name if u.cluster else None) for u in rows}


def _texts(report) -> list[str]:
    with force_locale("en"):
        return [p.text() for p in report.problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_units_csv_in_excel_encodings(app, encoding):
    data = cp1258(UNITS_CSV) if encoding == "cp1258" else UNITS_CSV.encode(encoding)
    if encoding == "utf-16":
        data = UNITS_CSV.replace(",", "\t").encode("utf-16")  # Excel's "Unicode text"
    report = import_units(data, "units.csv", now=NOW)
    assert report.ok, _texts(report)
    assert report.counts() == {
        "cluster": {"created": 2, "updated": 0, "unchanged": 0},
        "unit": {"created": 3, "updated": 0, "unchanged": 0},
    }
    assert _units() == {
        "HC": ("VKSND quận Hải Châu", "Cụm 1"),
        "TK": ("VKSND quận Thanh Khê", "Cụm 1"),
        "ST": ("VKSND quận Sơn Trà", "Cụm 2"),
    }


def test_cp1252_file_is_read():
    text, encoding = decode("Name,Ville\nA,Café Zoë\n".encode("cp1252"))
    assert encoding == "cp1252" and "Café Zoë" in text


def test_units_xlsx_with_english_headers(app):
    report = import_units((DATA / "units.xlsx").read_bytes(), "units.xlsx", now=NOW)
    assert report.ok and report.encoding == "xlsx"
    assert _units()["ST"] == ("VKSND quận Sơn Trà", "Cụm 2")


def test_dry_run_writes_nothing_and_reimport_changes_nothing(app, make):
    make.unit(code="HC", name="Tên cũ")
    db.session.commit()
    dry = import_units(UNITS_CSV.encode(), "units.csv", now=NOW, dry_run=True)
    db.session.rollback()
    assert dry.ok and not dry.applied
    assert {(c.key, c.action) for c in dry.changes if c.kind == "unit"} == {
        ("HC", "updated"),
        ("TK", "created"),
        ("ST", "created"),
    }
    assert _units() == {"HC": ("Tên cũ", None)}
    import_units(UNITS_CSV.encode(), "units.csv", now=NOW)
    db.session.commit()
    again = import_units(UNITS_CSV.encode(), "units.csv", now=NOW)
    db.session.commit()
    assert again.counts()["unit"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert "cluster" not in again.counts()
    assert db.session.scalar(db.select(db.func.count()).select_from(Cluster)) == 2


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(app):
    data = (
        "Mã đơn vị;Tên đơn vị;Cụm thi đua\n"
        "HC;VKSND quận Hải Châu;Cụm 1\n"
        ";Không có mã;Cụm 1\n"
        "HC;Trùng mã;Cụm 2\n"
        f"{'X' * 41};Mã quá dài;\n"
        "TK;;Cụm 1\n"
    ).encode()
    report = import_units(data, "units.csv", now=NOW)
    assert _texts(report) == [
        "Row 3, column 'Mã đơn vị': the unit code is empty",
        "Row 4, column 'Mã đơn vị': unit code HC already appears in row 2",
        "Row 5, column 'Mã đơn vị': at most 40 characters",
        "Row 6, column 'Tên đơn vị': the unit name is empty",
    ]
    assert not report.applied
    assert _units() == {}


def test_missing_columns_are_named(app):
    report = import_units("Tên,Cụm\nA,B\n".encode(), "u.csv", now=NOW)
    assert _texts(report) == ["Column 'unit_code': missing column (expected header 'Mã đơn vị')"]
    assert import_units(b"", "u.csv", now=NOW).problems[0].row is None
    broken = import_units(b"PK\x03\x04garbage", "u.xlsx", now=NOW)
    assert "not a readable XLSX" in _texts(broken)[0]


def test_existing_cluster_is_matched_by_name_and_new_codes_are_ascii(app, make):
    make.cluster(code="CUM1", name="Cụm 1")
    db.session.commit()
    import_units(UNITS_CSV.encode(), "units.csv", now=NOW)
    db.session.commit()
    codes = set(db.session.execute(db.select(Cluster.code)).scalars())
    assert codes == {"CUM1", "CUM-2"}
    assert cluster_code_for("Cụm thi đua số 1 – Đà Nẵng") == "CUM-THI-DUA-SO-1-DA-NANG"


USERS_CSV = (DATA / "users.csv").read_bytes()


def test_users_import_creates_accounts_with_one_time_passwords(app, make):
    make.unit(code="HC")
    db.session.commit()
    report = import_users(USERS_CSV, "users.csv", now=NOW)
    assert report.ok, _texts(report)
    db.session.commit()
    users = {u.username: u for u in db.session.execute(db.select(User)).scalars()}
    assert users["canbo.hc"].role == "unit_editor" and users["canbo.hc"].unit.code == "HC"
    assert users["truong.hc"].role == "unit_head"
    assert users["uyvien.le"].role == "reviewer" and users["uyvien.le"].unit is None
    assert [name for name, _pw in report.passwords] == ["canbo.hc", "truong.hc", "uyvien.le"]
    name, password = report.passwords[0]
    assert users[name].check_password(password) and len(password) == 12
    assert len({pw for _n, pw in report.passwords}) == 3
    again = import_users(USERS_CSV, "users.csv", now=NOW)
    assert again.counts() == {"user": {"created": 0, "updated": 0, "unchanged": 3}}
    assert again.passwords == []
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert actions.count("user_created") == 3 and "users_imported" in actions


def test_users_import_updates_role_and_unit_but_keeps_password(app, make, password):
    hc, st = make.unit(code="HC"), make.unit(code="ST")
    make.user(username="canbo.hc", role="unit_editor", unit=st)
    db.session.commit()
    report = import_users(USERS_CSV, "users.csv", now=NOW)
    db.session.commit()
    change = next(c for c in report.changes if c.key == "canbo.hc")
    assert change.action == "updated" and "unit" in change.fields
    user = db.session.execute(db.select(User).filter_by(username="canbo.hc")).scalar_one()
    assert user.unit_id == hc.id and user.check_password(password)


def test_users_import_errors(app, make):
    make.unit(code="HC")
    data = (
        "username,full_name,role,unit_code,email,password\n"
        "a,A,unit_editor,,a@x.vn,\n"
        "b,B,vua,HC,b@x.vn,\n"
        "c,C,reviewer,NOPE,khong-phai-email,\n"
        "d,D,Quản trị hệ thống,,,ngan\n"
    ).encode()
    report = import_users(data, "users.csv", now=NOW)
    assert _texts(report) == [
        "Row 2, column 'unit_code': a unit officer or unit head needs a unit code",
        "Row 3, column 'role': unknown role 'vua'; use one of: unit_editor, unit_head, "
        "reviewer, secretariat, admin",
        "Row 4, column 'email': 'khong-phai-email' is not an e-mail address",
        "Row 4, column 'unit_code': no unit with code NOPE",
        "Row 5, column 'password': The password must be at least 10 characters long.",
    ]
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_secretariat_cannot_import_administrators(app, make):
    secretariat = make.user(role="secretariat")
    data = "Tên đăng nhập,Họ và tên,Vai trò\nroot,Quản trị,admin\n".encode()
    report = import_users(data, "users.csv", now=NOW, actor=secretariat)
    assert "only an administrator" in _texts(report)[0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Cán bộ nhập hồ sơ", "unit_editor"),
        ("THỦ TRƯỞNG ĐƠN VỊ", "unit_head"),
        ("Thành viên Hội đồng", "reviewer"),
        ("Thường trực Hội đồng", "secretariat"),
        ("admin", "admin"),
        ("unit_head", "unit_head"),
    ],
)
def test_role_names(text, code):
    assert role_code(text) == code


def test_cli_units_then_users_prints_one_time_passwords(app, runner, tmp_path):
    units, users = tmp_path / "don-vi.csv", tmp_path / "tai-khoan.csv"
    units.write_bytes(UNITS_CSV.encode("utf-8-sig"))
    users.write_bytes(USERS_CSV)
    dry = runner.invoke(args=["import", "units", str(units), "--dry-run"])
    assert dry.exit_code == 0 and "Chạy thử" in dry.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Unit)) == 0
    assert runner.invoke(args=["import", "units", str(units)]).exit_code == 0
    result = runner.invoke(args=["import", "users", str(users)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    table = lines[lines.index("username,password") + 1 :]
    assert [line.split(",")[0] for line in table] == ["canbo.hc", "truong.hc", "uyvien.le"]
    name, secret = table[0].split(",")
    user = db.session.execute(db.select(User).filter_by(username=name)).scalar_one()
    assert user.check_password(secret)


def test_row_wider_than_header_is_refused_naming_the_row(app):
    data = (
        "Mã đơn vị,Tên đơn vị,Cụm thi đua\n"
        "HC,VKSND quận Hải Châu,Cụm 1,\n"  # a trailing empty cell is harmless
        "TK,VKSND quận Thanh Khê,Cụm VKSND quận, huyện\n"
    ).encode()
    report = import_units(data, "units.csv", now=NOW, dry_run=True)
    assert _texts(report) == [
        "Row 3: the row has 4 cells but the header has 3 columns; put a text containing"
        " a comma or semicolon in double quotes"
    ]
    assert report.changes == [] and _units() == {}
    users = "Tên đăng nhập,Vai trò\nan,thu_ky,thừa\n".encode()
    assert _texts(import_users(users, "users.csv", now=NOW, dry_run=True))[0].startswith("Row 2:")


def test_xlsx_row_wider_than_header_is_refused(app):
    from io import BytesIO

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Cụm thi đua"])
    sheet.append(["HC", "VKSND quận Hải Châu", "Cụm 1"])
    sheet.append(["TK", "VKSND quận Thanh Khê", "Cụm VKSND quận", "huyện"])
    buffer = BytesIO()
    book.save(buffer)
    report = import_units(buffer.getvalue(), "units.xlsx", now=NOW, dry_run=True)
    assert [p.row for p in report.problems] == [3] and report.changes == []


def test_units_import_reads_the_headcount_and_refuses_a_bad_one(app):
    good = "Mã đơn vị,Tên đơn vị,Số biên chế\nHC,VKSND Hải Châu,25\nLC,VKSND Liên Chiểu,\n"
    report = import_units(good.encode(), "units.csv", now=NOW)
    assert not report.problems
    units = {u.code: u.headcount for u in db.session.execute(db.select(Unit)).scalars()}
    assert units == {"HC": 25, "LC": None}
    bad = "Mã đơn vị,Tên đơn vị,Số biên chế\nHC,VKSND Hải Châu,-3\nLC,VKSND Liên Chiểu,hai\n"
    report = import_units(bad.encode(), "units.csv", now=NOW)
    assert [p.row for p in report.problems] == [2, 3]
    assert db.session.execute(db.select(Unit).filter_by(code="HC")).scalar_one().headcount == 25
