"""SQLite in WAL mode survives a server killed (SIGKILL) in the middle of a submission."""

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from emulation import create_app
from emulation.extensions import db
from emulation.models import Candidate, Movement, Round, Unit
from tests.support.instants import DEADLINE

RULES = Path(__file__).parents[1] / "data" / "rules_small.toml"
UNITS = 12

CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from emulation import create_app
    from emulation.dossiers.operations import fill_and_submit
    from emulation.extensions import db
    from emulation.models import Candidate, Round

    url, instance, at = sys.argv[1:4]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
                      "SECRET_KEY": "x"})
    with app.app_context():
        round_ = db.session.execute(db.select(Round)).scalar_one()
        candidates = db.session.execute(db.select(Candidate).order_by(Candidate.id)).scalars()
        for i, candidate in enumerate(list(candidates)):
            fill_and_submit(round_, candidate, {"HOP": float(i)}, user=None,
                            now=datetime.fromisoformat(at))
            db.session.flush()
            print("flushed", i, flush=True)
            time.sleep(0.2)  # the write transaction is open: this is where the kill lands
            db.session.commit()
            print("committed", i, flush=True)
    """
)


@pytest.fixture
def database(tmp_path):
    """A migrated SQLite file with one open round and UNITS enrolled units."""
    from flask_migrate import upgrade

    url = f"sqlite:///{tmp_path / 'crash.db'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"}
    )
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        movement = Movement(code="M", name="Phong trào")
        movement.rounds.append(
            Round(code="R", kind="interim", name="Sơ kết", opens_at=DEADLINE - timedelta(days=30),
                  deadline=DEADLINE, grace_seconds=0, late_policy="reject",
                  rules_filename=RULES.name, rules_text=RULES.read_text(encoding="utf-8"),
                  rules_hash=hashlib.sha256(RULES.read_bytes()).hexdigest())
        )  # fmt: skip
        db.session.add(movement)
        for n in range(UNITS):
            db.session.add(
                Candidate(movement=movement, unit=Unit(code=f"U{n}", name=f"Đơn vị {n}"))
            )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return tmp_path / "crash.db", url


def test_sqlite_runs_in_wal_mode(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the app's test database is PostgreSQL")
    assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"


def test_kill_mid_submit_keeps_the_database_consistent_and_committed_work(database, tmp_path):
    path, url = database
    at = (DEADLINE - timedelta(days=1)).isoformat()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(tmp_path), at],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    told = []
    try:
        for line in child.stdout:
            told.append(line.split())
            if told[-1] == ["flushed", "5"]:
                child.send_signal(signal.SIGKILL)
                break
    finally:
        child.wait(timeout=60)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    committed = [int(n) for word, n in told if word == "committed"]
    assert committed == [0, 1, 2, 3, 4]
    assert Path(str(path) + "-wal").exists()  # the crash left a write-ahead log to recover

    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        versions = connection.execute(
            "SELECT u.code, d.status, v.number FROM dossier_versions v"
            " JOIN dossiers d ON d.id = v.dossier_id"
            " JOIN candidates c ON c.id = d.candidate_id JOIN units u ON u.id = c.unit_id"
            " ORDER BY u.code"
        ).fetchall()
        assert versions == [(f"U{i}", "submitted", 1) for i in committed]
        # The half-done submission left nothing: no dossier, no value, no audit event.
        assert connection.execute("SELECT COUNT(*) FROM dossiers").fetchone() == (5,)
        audited = connection.execute(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'dossier_submitted'"
        ).fetchone()
        assert audited == (5,)
    finally:
        connection.close()
