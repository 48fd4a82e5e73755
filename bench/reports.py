"""Benchmark: the final report of a round of 1,000 units, in all four formats.

Builds a throw-away database (SQLite in a temporary folder unless --database-url is given)
holding the shipped Đà Nẵng movement (interim and final rounds, 5 groups, 18 indicators)
with --units units in 8 clusters, every unit's dossier submitted in both rounds, then times
what a download does: the report's data (live ranking of both rounds, participation,
indicators, comparison), the charts, and each renderer (HTML, XLSX, PDF, DOCX). Every file is
then opened again to check it is complete; that re-reading (python-docx alone parses the
document into some 35 MB) is the bench's, not the download's, so it comes after the peak
memory of the work is taken and its own peak is reported apart.

Run: PYTHONPATH=. python bench/reports.py [--units 1000] [--database-url URL] [--out DIR]
The last line printed is JSON: seconds per step, peak_mb_after each step, total_s, peak_mb
(the process's peak resident memory over the work), peak_mb_with_checks (and over the checks),
the limits and ok.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from emulation import create_app  # noqa: E402
from emulation.extensions import db  # noqa: E402
from emulation.models import (  # noqa: E402
    Candidate,
    Cluster,
    Dossier,
    DossierVersion,
    IndicatorValue,
    Unit,
)
from emulation.operations import create_movement_from_rules  # noqa: E402
from emulation.resources import resource_dir  # noqa: E402
from emulation.scoring import load_rules  # noqa: E402
from emulation.scoring.values import value_columns  # noqa: E402
from tests.scoring.synthetic import synthetic_values  # noqa: E402

LIMIT_S, LIMIT_MB = 20.0, 600.0
NOW = datetime(2025, 9, 5, 2, 0, tzinfo=UTC)
RULES = "vksnd_danang_cds_2023_2025.toml"


def _cell(value):
    """(number, text) for one VALUES cell; None for a blank."""
    if isinstance(value, str):
        return None, value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value), None


def _values(rs, n: int, seed: int):
    """Realistic values: few incidents, so few units are disqualified."""
    values = synthetic_values(rs, n, seed=seed, missing=0.0)
    rng = np.random.default_rng(seed)
    values["SU_CO_LO_LOT"] = (rng.random(n) < 0.02).astype(float)
    values["ATTT_VI_PHAM"] = (rng.random(n) < 0.1).astype(float)
    values["ATTT_GIAN_DOAN"] = rng.integers(0, 3, n).astype(float)
    return values


def populate(units: int) -> int:
    """The movement, its rounds, units, dossiers (both rounds) and values; final round id."""
    path = resource_dir("scoring_rules") / RULES
    rs = load_rules(path)
    movement = create_movement_from_rules(
        rs, filename=path.name, text=path.read_text(encoding="utf-8"), now=NOW
    )
    first = _values(rs, units, seed=2024)
    clusters = {}
    for name in sorted(set(first["cluster"])):
        clusters[name] = Cluster(code=name.replace(" ", "-"), name=f"{name} (huyện, thị xã)")
        db.session.add(clusters[name])
    db.session.flush()
    db.session.execute(
        insert(Unit),
        [
            {"id": i + 1, "code": f"DV{i + 1:04d}", "name": f"Đơn vị số {i + 1} – Đà Nẵng",
             "cluster_id": clusters[c].id}
            for i, c in enumerate(first["cluster"])
        ],
    )  # fmt: skip
    ids = range(1, units + 1)
    db.session.execute(
        insert(Candidate),
        [{"id": i, "movement_id": movement.id, "unit_id": i, "kind": "collective"} for i in ids],
    )
    columns = [c.name for c in value_columns(rs) if c.kind != "points"]
    rng = np.random.default_rng(7)
    dossier_id = 0
    for round_, seed in zip(movement.rounds, (2024, 2025), strict=True):
        frame = first if seed == 2024 else _values(rs, units, seed=seed)
        dossiers, versions, cells = [], [], []
        for i, record in zip(ids, frame[columns].to_dict("records"), strict=True):
            dossier_id += 1
            # A few interim dossiers arrive late, inside the grace window.
            late = round_.grace_seconds > 0 and rng.random() < 0.03
            at = round_.deadline + (timedelta(hours=5) if late else -timedelta(days=2, minutes=i))
            dossiers.append({"id": dossier_id, "round_id": round_.id, "candidate_id": i,
                             "status": "submitted", "lock_version": 2, "created_at": NOW,
                             "updated_at": NOW})  # fmt: skip
            versions.append({"dossier_id": dossier_id, "number": 1,
                             "receipt_no": f"BENCH-{dossier_id:05d}", "submitted_at": at,
                             "late": late, "content_hash": "0" * 64, "payload": {}})  # fmt: skip
            for column, raw in record.items():
                cell = _cell(raw)
                if cell is not None:
                    cells.append({"dossier_id": dossier_id, "column": column,
                                  "value": cell[0], "text_value": cell[1]})  # fmt: skip
        db.session.execute(insert(Dossier), dossiers)
        db.session.execute(insert(DossierVersion), versions)
        db.session.execute(insert(IndicatorValue), cells)
    db.session.commit()
    return movement.rounds[-1].id


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _check(fmt: str, data: bytes, units: int) -> None:
    """Open the file again: it must hold every unit."""
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(BytesIO(data), read_only=True)
        assert book["Xếp hạng"].max_row == units + 1
    elif fmt == "docx":
        from docx import Document

        assert len(Document(BytesIO(data)).tables) > 5
    elif fmt == "pdf":
        from pypdf import PdfReader

        assert len(PdfReader(BytesIO(data)).pages) > units // 60
    else:
        assert data.decode().count("<tr") > 2 * units


def main(argv: list[str] | None = None) -> dict:
    """Build the data, time the report in every format, print the figures (JSON last)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    parser.add_argument("--out", type=Path, help="a folder to keep the four files in")
    args = parser.parse_args(argv)

    from emulation.reports import RENDERERS, build_charts, build_report

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder,
                          "SECRET_KEY": "bench", "NOW": lambda: NOW})  # fmt: skip
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            start = time.perf_counter()
            round_id = populate(args.units)
            print(f"data: {args.units} units x 2 rounds, built in "
                  f"{time.perf_counter() - start:.1f} s")  # fmt: skip
            db.session.expire_all()
            from emulation.models import Round

            round_ = db.session.get(Round, round_id)
            seconds, sizes, peaks, files = {}, {}, {}, {}
            start = time.perf_counter()
            report = build_report(round_, now=NOW)
            seconds["data"] = time.perf_counter() - start
            peaks["data"] = _peak_mb()
            mark = time.perf_counter()
            charts = build_charts(report)
            seconds["charts"] = time.perf_counter() - mark
            peaks["charts"] = _peak_mb()
            for fmt in ("html", "xlsx", "pdf", "docx"):
                mark = time.perf_counter()
                data = RENDERERS[fmt][0](report, charts)
                seconds[fmt] = time.perf_counter() - mark
                peaks[fmt] = _peak_mb()
                sizes[fmt] = len(data)
                files[fmt] = data
            peak_mb = _peak_mb()
            for fmt, data in files.items():
                _check(fmt, data, args.units)
                if args.out:
                    (args.out / f"report-{args.units}.{fmt}").write_bytes(data)
            # The checks stay in the time, as they always were.
            total = time.perf_counter() - start
            db.engine.dispose()
    for step, value in seconds.items():
        print(
            f"{step:>8}: {value:6.2f} s"
            + (f"  {sizes[step] / 1024:8.0f} KB" if step in sizes else "")
        )
    figures = {
        "report": "final",
        "units": args.units,
        "database": url.split(":", 1)[0],
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        # The process's peak resident memory once each step is done (it only grows).
        "peak_mb_after": peaks,
        "total_s": round(total, 2),
        "peak_mb": round(peak_mb, 1),
        "peak_mb_with_checks": _peak_mb(),
        "limit_s": LIMIT_S,
        "limit_mb": LIMIT_MB,
        "ok": total <= LIMIT_S and peak_mb <= LIMIT_MB,
    }
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
