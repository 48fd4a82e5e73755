"""Benchmark: the council's ranking page for a round of 1,000 candidates x 50 indicators.

Builds a throw-away database (SQLite in a temporary folder unless --database-url is given),
fills one round with submitted dossiers, two finished reviews per dossier with council points
on every manual indicator, then times GET /council/rounds/<id>/ranking through Flask's test
client in this process (server time: request in, response out, no network). The process is
prepared as the WSGI entry point prepares a worker (emulation.runtime.settle_heap, once, after
the app is built and before any request); --plain skips that, for comparison.

Run: PYTHONPATH=. python bench/ranking.py [--candidates 1000] [--indicators 50] [--requests 100]
     [--plain] [--frozen] [--cold | --empty] [--database-url URL]
The last line printed is JSON: p50_ms, p95_ms, max_ms, limit_ms and ok (p95 within the limit).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sqlalchemy import insert, update  # noqa: E402

from emulation import create_app  # noqa: E402
from emulation.extensions import db  # noqa: E402
from emulation.models import (  # noqa: E402
    Adjustment,
    Candidate,
    Cluster,
    Dossier,
    DossierVersion,
    IndicatorValue,
    Review,
    Round,
    Unit,
    User,
)
from emulation.operations import create_movement_from_rules  # noqa: E402
from emulation.runtime import settle_heap  # noqa: E402
from emulation.scoring import loads_rules  # noqa: E402
from emulation.scoring.values import value_columns  # noqa: E402
from emulation.standings import live, scored  # noqa: E402
from emulation.standings.loading import _VALUES_CACHE  # noqa: E402
from tests.scoring.synthetic import synthetic_rules_text, synthetic_values  # noqa: E402

LIMIT_MS = 300
NOW = datetime(2024, 9, 5, 2, 0, tzinfo=UTC)
PASSWORD = "Bench-ranking-2024"


def _cell(value):
    """(number, text) for one VALUES cell; blanks are not stored."""
    if isinstance(value, str):
        return None, value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value), None


def populate(rules_text: str, candidates: int, seed: int) -> int:
    """Create the round, units, submitted dossiers, reviews and council points; return round id."""
    rs = loads_rules(rules_text, source="bench-ranking.toml")
    movement = create_movement_from_rules(
        rs, filename="bench-ranking.toml", text=rules_text, now=NOW
    )
    round_ = movement.rounds[0]
    values = synthetic_values(rs, candidates, seed=seed)
    clusters = {}
    for name in sorted(set(values["cluster"])):
        clusters[name] = Cluster(code=name.replace(" ", "-"), name=name)
        db.session.add(clusters[name])
    db.session.flush()
    units = [
        {
            "id": i + 1,
            "code": row.unit_code,
            "name": row.unit_name,
            "cluster_id": clusters[row.cluster].id,
        }
        for i, row in enumerate(values.itertuples(index=False))
    ]
    db.session.execute(insert(Unit), units)
    ids = range(1, candidates + 1)
    db.session.execute(
        insert(Candidate),
        [{"id": i, "movement_id": movement.id, "unit_id": i, "kind": "collective"} for i in ids],
    )
    db.session.execute(
        insert(Dossier),
        [
            {
                "id": i,
                "round_id": round_.id,
                "candidate_id": i,
                "status": "submitted",
                "lock_version": 2,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i in ids
        ],
    )
    stamps = values["submitted_at"].fillna(round_.deadline - timedelta(days=1))
    db.session.execute(
        insert(DossierVersion),
        [
            {
                "dossier_id": i,
                "number": 1,
                "receipt_no": f"BENCH-{i:05d}-1",
                "submitted_at": min(stamp.to_pydatetime(), round_.deadline),
                "late": False,
                "content_hash": "0" * 64,
                "payload": {},
            }
            for i, stamp in zip(ids, stamps, strict=True)
        ],
    )
    columns = [c.name for c in value_columns(rs) if c.kind != "points"]
    rows = []
    for i, record in zip(ids, values[columns].to_dict("records"), strict=True):
        for column, raw in record.items():
            cell = _cell(raw)
            if cell is not None:
                rows.append(
                    {"dossier_id": i, "column": column, "value": cell[0], "text_value": cell[1]}
                )
    db.session.execute(insert(IndicatorValue), rows)
    _reviews(rs, ids, seed)
    db.session.commit()
    return round_.id


def _reviews(rs, ids, seed: int) -> None:
    """Two finished reviews per dossier, each with council points on every manual indicator."""
    members = []
    for n in range(4):
        member = User(username=f"uyvien{n}", full_name=f"Ủy viên {n}", role="reviewer")
        member.set_password(PASSWORD)
        db.session.add(member)
        members.append(member)
    db.session.flush()
    manual = [item for item in rs.scored_items if item.method == "manual"]
    rng = np.random.default_rng(seed)
    reviews, adjustments, review_id = [], [], 0
    for i in ids:
        for member in (members[i % 4], members[(i + 1) % 4]):
            review_id += 1
            reviews.append(
                {
                    "id": review_id,
                    "dossier_id": i,
                    "reviewer_id": member.id,
                    "assigned_at": NOW,
                    "status": "done",
                    "finished_at": NOW,
                }
            )
            for item in manual:
                points = float(np.round(rng.random() * item.max_points * 2) / 2)
                adjustments.append(
                    {
                        "review_id": review_id,
                        "indicator_code": item.code,
                        "points": points,
                        "reason": "Hội đồng chấm",
                        "created_at": NOW,
                    }
                )
    db.session.execute(insert(Review), reviews)
    db.session.execute(insert(Adjustment), adjustments)


def main(argv: list[str] | None = None) -> dict:
    """Build the data, time the ranking page, print the figures (JSON on the last line)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    parser.add_argument(
        "--plain", action="store_true", help="skip the worker's heap preparation, to compare"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="before every request one dossier changes: a new version with another value, "
        "committed (what the page meets after a unit resubmits)",
    )
    parser.add_argument(
        "--empty",
        action="store_true",
        help="empty every cache before every request (a server that just started)",
    )
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="freeze the ranking first: the page then reads the snapshot (payload size printed)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "INSTANCE_PATH": folder,
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "bench",
                "NOW": lambda: NOW,
            }
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=app.extensions["migrate"].directory)
            start = time.perf_counter()
            round_id = populate(synthetic_rules_text(args.indicators), args.candidates, seed=2024)
            print(
                f"data: {args.candidates} candidates x {args.indicators} indicators, "
                f"built in {time.perf_counter() - start:.1f} s"
            )
            secretariat = User(username="thuky", full_name="Thư ký", role="secretariat")
            secretariat.set_password(PASSWORD)
            db.session.add(secretariat)
            db.session.commit()
            if args.frozen:
                from emulation.council.snapshots import canonical_json, freeze

                start = time.perf_counter()
                snapshot = freeze(db.session.get(Round, round_id), user=secretariat, now=NOW)
                db.session.commit()
                print(
                    f"frozen in {time.perf_counter() - start:.1f} s, payload "
                    f"{len(canonical_json(snapshot.payload).encode()) / 1024:.0f} KB"
                )
        if not args.plain:
            settle_heap()  # as emulation.wsgi does once the app exists, before any request
        client = app.test_client()
        client.post("/login", data={"username": "thuky", "password": PASSWORD})
        url_path = f"/council/rounds/{round_id}/ranking"
        for _ in range(2):  # warm-up: imports, rule parsing cache, first allocations
            assert client.get(url_path).status_code == 200
        change = _changer(app, round_id) if args.cold else None
        times, size_kb = _time(client, url_path, args.requests, empty=args.empty, change=change)
        with app.app_context():
            db.engine.dispose()
    p95 = _p95(times)
    figures = {
        "page": "ranking (frozen)" if args.frozen else "ranking",
        "candidates": args.candidates,
        "indicators": args.indicators,
        "requests": args.requests,
        "database": url.split(":", 1)[0],
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(times), 1),
        "settle_heap": not args.plain,
        "values_cache": "cold" if args.cold else "empty" if args.empty else "warm",
        "page_kb": round(size_kb, 1),
        "limit_ms": LIMIT_MS,
        "ok": p95 <= LIMIT_MS,
    }
    print("request times (ms): " + ", ".join(f"{t:.0f}" for t in times))
    print(json.dumps(figures))
    return figures


def _time(client, url_path: str, requests: int, empty=False, change=None):
    """Server times (ms) of `requests` GETs, and the page size in KB."""
    times = []
    for n in range(requests):
        if empty:
            _VALUES_CACHE.clear()
            scored.clear()
            live.clear_cache()  # the ranking and each dossier's values too
        if change is not None:
            change(n)
        start = time.perf_counter()
        response = client.get(url_path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.data.decode()[-3000:]
    return times, len(response.data) / 1024


def _changer(app, round_id: int):
    """A function that halves one number of dossier n (rounded, so whole numbers stay whole)
    and submits the dossier again as a new version, as a unit answering the council would."""

    def change(n: int) -> None:
        with app.app_context():
            # Any number but a ratio's denominator (halving it could make the ratio above 1).
            rows = [
                (dossier_id, value_id)
                for dossier_id, value_id, column in db.session.execute(
                    db.select(Dossier.id, IndicatorValue.id, IndicatorValue.column)
                    .join(IndicatorValue, IndicatorValue.dossier_id == Dossier.id)
                    .where(Dossier.round_id == round_id, IndicatorValue.value.is_not(None))
                    .order_by(Dossier.id, IndicatorValue.id)
                )
                if not column.endswith("_b")
            ]
            dossier_id, value_id = rows[(n * 997) % len(rows)]
            first = db.session.execute(
                db.select(DossierVersion).filter_by(dossier_id=dossier_id, number=1)
            ).scalar_one()
            number = (
                1
                + db.session.execute(
                    db.select(db.func.count()).where(DossierVersion.dossier_id == dossier_id)
                ).scalar_one()
            )
            db.session.execute(
                update(IndicatorValue)
                .where(IndicatorValue.id == value_id)
                .values(value=db.cast(IndicatorValue.value / 2, db.Integer))
            )
            db.session.execute(
                insert(DossierVersion),
                [
                    {
                        "dossier_id": dossier_id,
                        "number": number,
                        "receipt_no": f"BENCH-{dossier_id:05d}-{number}",
                        "submitted_at": first.submitted_at,
                        "late": False,
                        "content_hash": f"{n + 1:064x}",
                        "payload": {},
                    }
                ],
            )
            db.session.execute(
                update(Dossier)
                .where(Dossier.id == dossier_id)
                .values(lock_version=Dossier.lock_version + 1)
            )
            db.session.commit()

    return change


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


if __name__ == "__main__":
    main()
