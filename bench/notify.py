"""Benchmark: 10,000 queued reminders for 5,000 units delivered to a local SMTP server.

Creates a throw-away database (PostgreSQL when DATABASE_URL points at one, dropped at the end;
else a temporary SQLite file), 5,000 units each with an editor and a head (with addresses),
enrolled in a movement whose round closes in two days. The reminder planner queues the
7-day reminder for every unit: 10,000 messages. An aiosmtpd server on 127.0.0.1 counts what
arrives by Message-ID. Then --senders `emulation notify run` processes (four by default on
PostgreSQL, one on SQLite) deliver the outbox concurrently; `seconds` is their wall time
(with the processes' start-up), `first_to_last_message_seconds` the delivery alone.

sent = distinct messages received; duplicates = messages received more than once;
lost = queued messages never received. Target: seconds <= 60, duplicates 0, lost 0.

Run: .venv/bin/python bench/notify.py [--units 5000] [--senders 2]
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from emulation import create_app  # noqa: E402
from emulation.extensions import db  # noqa: E402
from emulation.models import Candidate, Unit, User  # noqa: E402
from emulation.notify.models import Notification  # noqa: E402
from emulation.notify.planning import plan_all  # noqa: E402
from emulation.operations import create_movement_from_rules  # noqa: E402
from emulation.scoring import load_rules  # noqa: E402

RULES = ROOT / "tests" / "data" / "rules_small.toml"


class Counting:
    """SMTP handler: counts each Message-ID received."""

    def __init__(self):
        self.ids: Counter = Counter()
        self.lock = threading.Lock()
        self.first = self.last = None

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                with self.lock:
                    self.ids[line.split(b":", 1)[1].strip().decode()] += 1
                    self.last = time.monotonic()
                    self.first = self.first or self.last
                break
        return "250 OK"


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_database(base: str, folder: str) -> tuple[str, callable]:
    """A new empty database and the function that removes it."""
    if not base.startswith("postgresql"):
        return f"sqlite:///{folder}/bench.db", lambda: None
    url = make_url(base)
    name = f"bench_notify_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def seed(app, units: int, now: datetime) -> tuple[int, float]:
    """Units, editors, heads, the movement; then plan the reminders. Returns (queued, seconds)."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        rules = load_rules(RULES)
        movement = create_movement_from_rules(
            rules, filename=RULES.name, text=RULES.read_text(encoding="utf-8"), now=now
        )
        round_ = movement.rounds[0]
        round_.opens_at, round_.deadline = now - timedelta(days=30), now + timedelta(days=2)
        db.session.execute(
            insert(Unit), [{"code": f"DV{i:05d}", "name": f"Đơn vị {i}"} for i in range(units)]
        )
        ids = dict(db.session.execute(db.select(Unit.code, Unit.id)).all())
        secret = generate_password_hash("Bench-notify-2024!")
        people = [
            {
                "username": f"{role}.{code.lower()}",
                "full_name": f"Cán bộ {code}",
                "email": f"{role}.{code.lower()}@donvi.example",
                "password_hash": secret,
                "role": role,
                "unit_id": unit_id,
                "active": True,
                "created_at": now,
            }
            for code, unit_id in ids.items()
            for role in ("unit_editor", "unit_head")
        ]
        db.session.execute(insert(User), people)
        db.session.execute(
            insert(Candidate),
            [{"movement_id": movement.id, "unit_id": i, "kind": "collective"} for i in ids.values()],  # noqa: E501
        )
        db.session.commit()
        started = time.monotonic()
        plan_all(now)
        db.session.commit()
        planned = time.monotonic() - started
        queued = db.session.scalar(
            db.select(db.func.count(Notification.id)).where(Notification.status == "pending")
        )
        db.engine.dispose()
    return queued, planned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--senders", type=int, default=None)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    postgres = base.startswith("postgresql")
    senders = args.senders or (4 if postgres else 1)
    folder = tempfile.mkdtemp(prefix="bench-notify-")
    url, drop = make_database(base, folder)
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        now = datetime.now(UTC)
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench"}
        )
        queued, planned = seed(app, args.units, now)
        print(f"queued {queued} reminders in {planned:.1f} s; {senders} sender(s)", flush=True)
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            DATABASE_URL=url,
            EMULATION_INSTANCE_PATH=folder,
            SECRET_KEY="bench",
            EMULATION_SMTP_HOST="127.0.0.1",
            EMULATION_SMTP_PORT=str(port),
            EMULATION_SMTP_SECURITY="none",
        )
        command = [sys.executable, "-c", "from emulation.cli import main; main()", "notify", "run"]
        started = time.monotonic()
        server_cpu = time.process_time()
        processes = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for _ in range(senders)
        ]
        outputs = [p.communicate(timeout=900)[0].decode() for p in processes]
        seconds = time.monotonic() - started
        server_cpu = time.process_time() - server_cpu
        sender_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        sender_cpu = sender_cpu.ru_utime + sender_cpu.ru_stime
        for output in outputs:
            print(output.strip().splitlines()[-1] if output.strip() else "(no output)")
        with app.app_context():
            sent_in_db = db.session.scalar(
                db.select(db.func.count(Notification.id)).where(Notification.status == "sent")
            )
            db.engine.dispose()
    finally:
        controller.stop()
        drop()
    received = sum(handler.ids.values())
    distinct = len(handler.ids)
    result = {
        "queued": queued,
        "sent": distinct,
        "marked_sent": sent_in_db,
        "duplicates": received - distinct,
        "lost": queued - distinct,
        "seconds": round(seconds, 1),
        "first_to_last_message_seconds": round((handler.last or 0) - (handler.first or 0), 1),
        "plan_seconds": round(planned, 1),
        "cpu_seconds": {"smtp_server": round(server_cpu, 1), "senders": round(sender_cpu, 1)},
        "senders": senders,
        "database": "postgresql" if postgres else "sqlite",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
