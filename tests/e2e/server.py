"""Serve the app for the browser tests: a real HTTP server on a free loopback port.

Run as a script by tests/e2e/conftest.py. The clock is read from the file named by
E2E_CLOCK_FILE at every request (an ISO instant; empty means the real time), so a test can
move past the deadline while the server runs. This exists only here, never in the app's
configuration. The chosen port is printed as the first line on stdout.
"""

import os
from datetime import datetime
from pathlib import Path

from werkzeug.serving import make_server

from emulation import create_app
from emulation.models import utcnow


def file_clock(path: Path):
    """A clock reading the instant from `path` at every call."""

    def clock() -> datetime:
        text = path.read_text().strip() if path.exists() else ""
        return datetime.fromisoformat(text) if text else utcnow()

    return clock


def broken():
    """A page that fails, to show the 500 page in the browser."""
    raise RuntimeError("a deliberate failure for the 500 page")


def main() -> None:
    """Create the app from E2E_* variables and serve it until killed."""
    config = {
        "SQLALCHEMY_DATABASE_URI": os.environ["E2E_DATABASE_URL"],
        "INSTANCE_PATH": os.environ["E2E_INSTANCE_PATH"],
        "SECRET_KEY": "e2e-secret",
        "NOW": file_clock(Path(os.environ["E2E_CLOCK_FILE"])),
        # Every journey signs in from 127.0.0.1; production's per-address limit would refuse.
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    if os.environ.get("E2E_MAX_UPLOAD_MB"):
        config["MAX_UPLOAD_MB"] = int(os.environ["E2E_MAX_UPLOAD_MB"])
    app = create_app(config)
    app.add_url_rule("/e2e/broken", "e2e_broken", broken)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
