"""Importing indicator values into draft dossiers: checks, deadlines, idempotency, CLI."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from emulation.dossiers.operations import set_values, submit_dossier
from emulation.extensions import db
from emulation.imports.values import import_values
from emulation.models import AuditEvent, Candidate, DeadlineExtension, Dossier, IndicatorValue
from tests.support.instants import DEADLINE

NOW = datetime(2024, 7, 15, tzinfo=UTC)
GOOD = (
    "Mã đơn vị,Tên đơn vị,KYSO_a,KYSO_b,HOP,TRUONGBAN,SAOLUU\n"
    "HC,Hải Châu,90,100,4,Thủ trưởng,có\n"
    'TK,Thanh Khê,"99,5",100,,phó thủ trưởng,0\n'
).encode()


@pytest.fixture
def round_(make):
    movement = make.movement(code="cds")
    rnd = movement.rounds[0]
    for code in ("HC", "TK"):
        make.candidate(movement, make.unit(code=code))
    db.session.commit()
    return rnd


def _values(code: str) -> dict:
    rows = db.session.execute(
        db.select(IndicatorValue.column, IndicatorValue.value, IndicatorValue.text_value)
        .join(Dossier)
        .join(Candidate)
        .join(Candidate.unit)
        .where(Candidate.unit.has(code=code))
    ).all()
    return {c: t if t is not None else v for c, v, t in rows}


def _texts(report) -> list[str]:
    with force_locale("en"):
        return [p.text() for p in report.problems]


def test_values_go_into_new_drafts_and_reimport_changes_nothing(app, round_):
    dry = import_values(round_, GOOD, "values.csv", now=NOW, dry_run=True)
    db.session.rollback()
    assert dry.ok, _texts(dry)
    assert dry.counts() == {"dossier": {"created": 2, "updated": 0, "unchanged": 0}}
    assert db.session.scalar(db.select(db.func.count()).select_from(Dossier)) == 0
    report = import_values(round_, GOOD, "values.csv", now=NOW)
    db.session.commit()
    assert report.applied
    assert _values("HC") == {
        "KYSO_a": 90.0, "KYSO_b": 100.0, "HOP": 4.0, "TRUONGBAN": "Thủ trưởng", "SAOLUU": 1.0,
    }  # fmt: skip
    # Vietnamese decimal comma, case-folded choice; the blank HOP cell stores nothing.
    assert _values("TK") == {
        "KYSO_a": 99.5, "KYSO_b": 100.0, "TRUONGBAN": "Phó thủ trưởng", "SAOLUU": 0.0,
    }  # fmt: skip
    dossiers = db.session.execute(db.select(Dossier)).scalars().all()
    assert {d.status for d in dossiers} == {"draft"}
    again = import_values(round_, GOOD, "values.csv", now=NOW)
    db.session.commit()
    assert again.counts() == {"dossier": {"created": 0, "updated": 0, "unchanged": 2}}
    assert db.session.execute(db.select(IndicatorValue)).scalars().all().__len__() == 9
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert actions.count("dossier_values_imported") == 2


def test_partial_file_updates_only_its_columns(app, round_):
    import_values(round_, GOOD, "values.csv", now=NOW)
    db.session.commit()
    hc_lock = db.select(Dossier.lock_version).join(Candidate).where(Candidate.unit.has(code="HC"))
    lock = db.session.scalar(hc_lock)
    report = import_values(round_, b"unit_code,HOP\nHC,2\nTK,\n", "hop.csv", now=NOW)
    db.session.commit()
    assert [(c.key, c.action, c.fields) for c in report.changes] == [
        ("HC", "updated", ("HOP",)),
        ("TK", "unchanged", ()),
    ]
    assert _values("HC")["HOP"] == 2.0 and _values("HC")["KYSO_a"] == 90.0
    assert db.session.scalar(hc_lock) > lock


def test_every_problem_is_listed_and_nothing_is_written(app, round_, make):
    data = (
        "Mã đơn vị,KYSO_a,KYSO_b,HOPP,TRUONGBAN\n"
        "HC,120,100,1,Thủ trưởng\n"
        "NOPE,1,2,3,Vua\n"
        "TK,abc,100,,\n"
    ).encode()
    report = import_values(round_, data, "bad.csv", now=NOW)
    assert _texts(report) == ["Column 'HOPP': unknown column; did you mean 'HOP'?"]
    data = data.replace(b"HOPP", b"HOP")
    report = import_values(round_, data, "bad.csv", now=NOW)
    texts = _texts(report)
    assert any(t.startswith("Row 2, column 'KYSO_a'") and "100" in t for t in texts)
    assert any(t.startswith("Row 3, column 'TRUONGBAN'") and "Vua" in t for t in texts)
    assert any(t.startswith("Row 4, column 'KYSO_a'") and "abc" in t for t in texts)
    assert db.session.scalar(db.select(db.func.count()).select_from(Dossier)) == 0
    data = "Mã đơn vị,HOP\nHC,1\nNOPE,2\n".encode()
    assert _texts(import_values(round_, data, "u.csv", now=NOW)) == [
        "Row 3, column 'Mã đơn vị': no unit with code NOPE"
    ]


def test_submitted_dossier_is_refused_by_name_and_the_whole_file_rolls_back(app, round_):
    import_values(round_, GOOD, "values.csv", now=NOW)
    db.session.commit()
    hc = db.session.execute(
        db.select(Dossier).join(Candidate).where(Candidate.unit.has(code="HC"))
    ).scalar_one()
    submit_dossier(hc, user=None, now=NOW)
    db.session.commit()
    changed = GOOD.replace(b",4,", b",3,").replace(b"99,5", b"98")
    report = import_values(round_, changed, "values.csv", now=NOW)
    assert not report.applied
    assert _texts(report) == [
        f"Row 2, column 'Mã đơn vị': the dossier of {hc.candidate.unit.name} is already "
        "submitted; its values cannot change"
    ]
    assert _values("TK")["KYSO_a"] == 99.5


def test_deadline_is_the_units_own_window(app, round_, make):
    late = DEADLINE + timedelta(hours=3)
    report = import_values(round_, GOOD, "values.csv", now=late)
    assert len(report.problems) == 2 and "has passed" in _texts(report)[0]
    tk = db.session.execute(db.select(Candidate).where(Candidate.unit.has(code="TK"))).scalar_one()
    db.session.add(
        DeadlineExtension(
            round=round_, unit=tk.unit, until=DEADLINE + timedelta(days=1), reason="Bão",
            granted_at=NOW,
        )
    )  # fmt: skip
    db.session.commit()
    report = import_values(round_, GOOD, "values.csv", now=late)
    assert [p.row for p in report.problems] == [2]


def test_cli_dry_run_and_import(app, round_, runner, tmp_path):
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(GOOD)
    app.config["NOW"] = lambda: NOW
    result = runner.invoke(args=["import", "values", str(round_.id), str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Chạy thử" in result.output and ": 2 " in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Dossier)) == 0
    result = runner.invoke(args=["import", "values", round_.code, str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Dossier)) == 2
    path.write_bytes(b"unit_code,HOP\nXX,1\n")
    result = runner.invoke(args=["import", "values", round_.code, str(path)])
    assert result.exit_code == 1
    assert "1 lỗi" in result.output and "'unit_code'" in result.output and "XX" in result.output


def test_a_failure_midway_writes_nothing(app, round_, runner, tmp_path, monkeypatch):
    """The real run is one transaction: the database refusing the last row undoes the first."""
    from sqlalchemy.exc import IntegrityError

    import emulation.imports.values as module

    import_values(round_, GOOD, "values.csv", now=NOW)
    db.session.commit()
    calls = []

    def failing(dossier, values):
        calls.append(dossier.id)
        if len(calls) == 2:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))
        return set_values(dossier, values)

    monkeypatch.setattr(module, "set_values", failing)
    app.config["NOW"] = lambda: NOW
    path = tmp_path / "v.csv"
    path.write_bytes(b"unit_code,HOP\nHC,1\nTK,2\n")
    result = runner.invoke(args=["import", "values", round_.code, str(path)])
    assert result.exit_code == 1 and "không ghi gì" in result.output
    assert "Traceback" not in result.output
    db.session.expire_all()
    assert _values("HC")["HOP"] == 4.0 and "HOP" not in _values("TK")


def test_sample_file_imports(app, round_, make):
    """tests/data/imports/values-so-ket-2024.csv, the example for users, imports as it is."""
    from pathlib import Path

    make.candidate(round_.movement, make.unit(code="ST"))
    db.session.commit()
    sample = Path(__file__).parents[1] / "data" / "imports" / "values-so-ket-2024.csv"
    report = import_values(round_, sample.read_bytes(), sample.name, now=NOW)
    assert report.ok, _texts(report)
    assert report.counts() == {"dossier": {"created": 3, "updated": 0, "unchanged": 0}}
