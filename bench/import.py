"""Benchmark: import 5,000 units, then 5,000 units x 100 indicators of values, on SQLite.

Builds a throw-away database (SQLite in a temporary folder unless --database-url is given)
with one movement of 100 synthetic indicators, writes a units CSV and a wide VALUES CSV,
and times the import functions the CLI and the upload page use: dry run, real run (one
transaction each) and a re-import that must change nothing. The total must stay within
LIMIT_S. A baseline measured in the same run, before and after the steps (reading the
values file with the csv module and float() on every cell), tells how busy the machine
was: compare total_per_baseline between runs on a shared machine.

Run: PYTHONPATH=. python bench/import.py [--units 5000] [--indicators 100]
The last line printed is JSON: seconds per step, values written, limit_s and ok.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulation import create_app  # noqa: E402
from emulation.extensions import db  # noqa: E402
from emulation.imports import import_units, import_values  # noqa: E402
from emulation.models import IndicatorValue  # noqa: E402
from emulation.operations import create_movement_from_rules  # noqa: E402
from emulation.scoring import loads_rules  # noqa: E402
from emulation.scoring.values import value_columns  # noqa: E402
from tests.scoring.synthetic import synthetic_rules_text, synthetic_values  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rush import create_database, drop_database  # noqa: E402

LIMIT_S = 8.0  # the five steps together, on SQLite and on PostgreSQL
NOW = datetime(2024, 8, 1, 3, 0, tzinfo=UTC)  # inside the synthetic round's window


def files(rules, units: int, folder: Path) -> tuple[Path, Path]:
    """The units CSV (Vietnamese headers) and the wide VALUES CSV."""
    values = synthetic_values(rules, units, seed=7)
    values["kind"] = "collective"
    units_csv = folder / "don-vi.csv"
    values[["unit_code", "unit_name", "cluster"]].rename(
        columns={"unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị", "cluster": "Cụm thi đua"}
    ).to_csv(units_csv, index=False, encoding="utf-8-sig")
    columns = [c.name for c in value_columns(rules) if c.kind != "points"]
    values_csv = folder / "so-lieu.csv"
    values[["unit_code", *columns]].to_csv(values_csv, index=False)
    return units_csv, values_csv


def baseline(path: Path) -> float:
    """Seconds (best of three) to read the values file with csv and float() every cell."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        with path.open(newline="") as handle:
            rows = csv.reader(handle)
            next(rows)
            for row in rows:
                for cell in row[1:]:
                    with suppress(ValueError):  # blanks and choices
                        float(cell)
        best = min(best, time.perf_counter() - start)
    return round(best, 3)


def timed(label: str, figures: dict, call):
    """Run `call`, store its wall time under `label`, print it."""
    start = time.perf_counter()
    result = call()
    figures[label] = round(time.perf_counter() - start, 2)
    print(f"{label:<24} {figures[label]:>7.2f} s", flush=True)
    return result


def main(argv: list[str] | None = None) -> dict:
    """Build the files, time each import step, print the figures (JSON on the last line)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server's database: a throw-away one is made beside it (default: SQLite)",
    )
    args = parser.parse_args(argv)
    figures: dict = {"units": args.units, "indicators": args.indicators}
    # A PostgreSQL server gets a throw-away database next to the one named, dropped at the end.
    throwaway = (
        create_database(args.database_url, "emulation_import") if args.database_url else None
    )
    try:
        return _run(args, figures, throwaway)
    finally:
        if throwaway:
            drop_database(throwaway)


def _run(args, figures: dict, throwaway: str | None) -> dict:
    """Import into `throwaway` (else a temporary SQLite file) and time each step."""
    with tempfile.TemporaryDirectory() as folder:
        url = throwaway or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            text = synthetic_rules_text(args.indicators)
            rules = loads_rules(text, source="bench-import.toml")
            movement = create_movement_from_rules(
                rules, filename="bench-import.toml", text=text, now=NOW
            )
            db.session.commit()
            round_ = movement.rounds[0]
            units_csv, values_csv = files(rules, args.units, Path(folder))
            figures["values_columns"] = len(values_csv.open().readline().split(",")) - 1
            figures["values_file_mb"] = round(values_csv.stat().st_size / 1e6, 1)
            figures["baseline_before_s"] = baseline(values_csv)
            print(f"{'baseline (csv + float)':<24} {figures['baseline_before_s']:>7.3f} s")
            start = time.perf_counter()

            def run(step, path, **kw):
                """A timed step: import `path` as `step`, commit, return the report."""

                def call():
                    """Read, import and commit."""
                    data = path.read_bytes()
                    if step == "units":
                        report = import_units(data, path.name, now=NOW, **kw)
                    else:
                        report = import_values(round_, data, path.name, now=NOW, **kw)
                    assert report.ok, [p.as_dict() for p in report.problems[:5]]
                    db.session.commit()
                    return report

                return call

            timed("units dry run", figures, run("units", units_csv, dry_run=True))
            timed("units import", figures, run("units", units_csv))
            timed("values dry run", figures, run("values", values_csv, dry_run=True))
            report = timed("values import", figures, run("values", values_csv))
            again = timed("values re-import", figures, run("values", values_csv))
            figures["total_s"] = round(time.perf_counter() - start, 2)
            figures["baseline_after_s"] = baseline(values_csv)
            print(f"{'baseline (csv + float)':<24} {figures['baseline_after_s']:>7.3f} s")
            print(f"{'total':<24} {figures['total_s']:>7.2f} s")
            mean = (figures["baseline_before_s"] + figures["baseline_after_s"]) / 2
            figures["total_per_baseline"] = round(figures["total_s"] / mean, 1)
            figures["values_written"] = db.session.scalar(
                db.select(db.func.count()).select_from(IndicatorValue)
            )
            figures["dossiers_created"] = report.counts()["dossier"]["created"]
            figures["reimport_unchanged"] = again.counts()["dossier"]["unchanged"]
            db.engine.dispose()
    figures["limit_s"] = LIMIT_S
    figures["ok"] = figures["total_s"] <= LIMIT_S and figures["reimport_unchanged"] == args.units
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
