"""Benchmark: a sector-wide movement end to end — 10,000 units × 100 indicators, through the queue.

Builds a throw-away database (SQLite in a temporary folder unless --database-url is given)
with one synthetic movement of --indicators indicators and two rounds (interim and final),
starts its own Redis (Debian's redis-server, on a free loopback port) and times each step:
import the units (CSV); import each round's VALUES file as a background job; submit every
dossier; score and rank each round; then each round's report in the four formats (PDF, DOCX,
XLSX, HTML) as background jobs, run by an RQ worker (burst) in this process, which forks a
work horse per job as `emulation worker` does.

Run: PYTHONPATH=. python bench/scale.py [--units 10000] [--indicators 100] [--database-url URL]
The last line printed is JSON: per step its seconds and peak resident memory in MB — "peak_mb"
of this process and "job_peak_mb" of the largest work horse so far (both only grow), the
limit (2 GB per process) and ok.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulation import create_app  # noqa: E402
from emulation.extensions import db  # noqa: E402
from emulation.imports import import_units  # noqa: E402
from emulation.models import Dossier, Job, Round  # noqa: E402
from emulation.operations import create_movement_from_rules  # noqa: E402
from emulation.scoring import loads_rules  # noqa: E402
from emulation.scoring.values import value_columns  # noqa: E402
from tests.scale.topology import free_port  # noqa: E402
from tests.scoring.synthetic import synthetic_rules_text, synthetic_values  # noqa: E402

LIMIT_MB = 2048.0
NOW = datetime(2024, 3, 1, 3, 0, tzinfo=UTC)  # both rounds open
FINAL_NOW = datetime(2024, 8, 1, 3, 0, tzinfo=UTC)
INTERIM = """[[rounds]]
code = "r0"
kind = "interim"
name = "Sơ kết"
opens_at = 2024-01-01T00:00:00+07:00
deadline = 2024-03-31T23:59:59+07:00
grace_minutes = 0
late_policy = "reject"
award_date = 2024-04-10

[[rounds]]
"""


SUBMIT_BATCH = 200


def _mb(kilobytes: int) -> float:
    return round(kilobytes / 1024, 1)


class Steps:
    """Times each step and notes memory after it."""

    def __init__(self):
        self.figures: dict[str, dict] = {}

    def run(self, label: str, call):
        """Run `call` as the step `label`; print and keep its figures."""
        start = time.perf_counter()
        result = call()
        self.figures[label] = {
            "s": round(time.perf_counter() - start, 2),
            "peak_mb": _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            "job_peak_mb": _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        }
        print(f"{label:<26} {json.dumps(self.figures[label])}", flush=True)
        return result


def _through_queue(app, jobs: list[tuple[str, dict, str]]) -> None:
    """Enqueue the jobs, run a burst worker until the queue is empty, check each one ended done."""
    from emulation.jobs import create_job, dispatch
    from emulation.jobs.worker import run_worker

    ids = []
    for kind, params, title in jobs:
        ids.append(create_job(kind, params, title=title, user=None, now=NOW).id)
    db.session.commit()
    for job_id in ids:
        dispatch(app, job_id)
    run_worker(app, burst=True)
    db.session.expire_all()
    for job_id in ids:
        job = db.session.get(Job, job_id)
        assert job.status == "done", (job.kind, job.error)


def main(argv: list[str] | None = None) -> dict:
    """Build the data, time every step, print the figures (JSON on the last line)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    args = parser.parse_args(argv)
    if shutil.which("redis-server") is None:
        raise SystemExit("needs Debian's redis-server")
    steps = Steps()
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"], stdout=subprocess.DEVNULL,
    )  # fmt: skip
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or f"sqlite:///{Path(folder) / 'scale.db'}"
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder,
                              "REDIS_URL": f"redis://127.0.0.1:{port}/0", "JOB_QUEUE": "rq",
                              "NOW": lambda: clock[0]})  # fmt: skip
            clock = [NOW]
            with app.app_context():
                _run(app, args, steps, Path(folder), clock)
                db.engine.dispose()
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    figures = {"units": args.units, "indicators": args.indicators, "steps": steps.figures,
               "total_s": round(time.perf_counter() - start, 2), "limit_mb": LIMIT_MB}  # fmt: skip
    figures["ok"] = all(
        f["peak_mb"] <= LIMIT_MB and f["job_peak_mb"] <= LIMIT_MB for f in steps.figures.values()
    )
    print(json.dumps(figures))
    return figures


def _run(app, args, steps: Steps, folder: Path, clock: list) -> None:
    from flask_migrate import upgrade

    from emulation.council.ranking import live_ranking
    from emulation.dossiers.operations import submit_dossier
    from emulation.evidence.backends import evidence_store

    upgrade(directory=app.extensions["migrate"].directory)
    text = synthetic_rules_text(args.indicators).replace("[[rounds]]\n", INTERIM, 1)
    rules = loads_rules(text, source="bench-scale.toml")
    movement = create_movement_from_rules(rules, filename="bench-scale.toml", text=text, now=NOW)
    db.session.commit()
    values = synthetic_values(rules, args.units, seed=11)
    units_csv = values[["unit_code", "unit_name", "cluster"]].rename(
        columns={"unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị", "cluster": "Cụm thi đua"}
    ).to_csv(index=False).encode("utf-8-sig")

    def units():
        report = import_units(units_csv, "don-vi.csv", now=NOW)
        assert report.ok, [p.as_dict() for p in report.problems[:5]]
        db.session.commit()

    steps.run("import units", units)
    columns = [c.name for c in value_columns(rules) if c.kind != "points"]
    rounds = {r.kind: r.id for r in movement.rounds}
    for kind, round_id in rounds.items():
        data = values[["unit_code", *columns]].to_csv(index=False).encode()
        sha256 = hashlib.sha256(data).hexdigest()
        evidence_store().put_verified(sha256, io.BytesIO(data))
        clock[0] = NOW if kind == "interim" else FINAL_NOW
        params = {"round_id": round_id, "sha256": sha256, "source": "so-lieu.csv"}
        steps.run(f"import values {kind} (job)",
                  lambda p=params: _through_queue(app, [("import_values", p, "Nhập số liệu")]))

        def submit(round_id=round_id):
            ids = db.session.scalars(
                db.select(Dossier.id).where(Dossier.round_id == round_id).order_by(Dossier.id)
            ).all()
            # Each unit submits in a request of its own: commit and forget in small batches,
            # as the servers would, rather than hold 10,000 submissions in one transaction.
            for start in range(0, len(ids), SUBMIT_BATCH):
                batch = ids[start:start + SUBMIT_BATCH]
                for dossier in db.session.scalars(db.select(Dossier).where(Dossier.id.in_(batch))):
                    submit_dossier(dossier, user=None, now=clock[0])
                db.session.commit()
                db.session.expunge_all()
            return len(ids)

        steps.run(f"submit {kind}", submit)
    clock[0] = datetime(2024, 9, 5, 3, 0, tzinfo=UTC)
    for kind, round_id in rounds.items():
        steps.run(f"score and rank {kind}",
                  lambda r=round_id: live_ranking(db.session.get(Round, r)).result)
    for kind, round_id in rounds.items():
        jobs = [("report", {"round_id": round_id, "format": fmt}, f"Báo cáo {fmt}")
                for fmt in ("pdf", "docx", "xlsx", "html")]  # fmt: skip
        steps.run(f"reports {kind} ×4 (jobs)", lambda j=jobs: _through_queue(app, j))


if __name__ == "__main__":
    main()
