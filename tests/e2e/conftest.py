"""Browser tests: the app served by a real server process, driven by Debian's Chromium.

The server runs on a free loopback port against the session's fresh test database (SQLite
file or a new PostgreSQL database, from tests/conftest.py), seeded here once for the
package and emptied afterwards. Its clock is a file the tests write (see server.py).
Without Chromium the tests skip locally but fail in CI (CI=true).
"""

import os
import selectors
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from emulation import create_app
from emulation.extensions import db
from tests.conftest import _empty_all_tables

from .seed import PASSWORD, seed

# Debian's old headless shell (package chromium-headless-shell) is the same Blink as its
# Chromium without the desktop browser around it, as Playwright itself uses for headless runs:
# the same screenshots and axe findings for about a third less of the machine. Debian's full
# Chromium serves when only it is installed.
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
CHROMIUM = os.environ.get("E2E_CHROMIUM") or (
    HEADLESS_SHELL if Path(HEADLESS_SHELL).is_file() else "/usr/bin/chromium"
)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Largest evidence file while testing; a request above 4 × this + 1 MB gets the 413 page.
MAX_UPLOAD_MB = 1
SERVER_START_SECONDS = 60
TIMEOUT_MS = 15_000


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def playwright_api():
    """Playwright's sync API, started once."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install '.[test]')")
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium-headless-shell)")
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="package")
def browser(playwright_api):
    """Debian's Chromium headless shell (or its full Chromium, headless)."""
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Site:
    """The running server: its address, its clock and the seeded ids."""

    def __init__(self, base_url: str, clock_file: Path, app, ids, screenshots: Path, log: Path):
        self.base_url = base_url
        self.log = log
        self.clock_file = clock_file
        self.app = app
        self.ids = ids
        self.screenshots = screenshots

    def url(self, path: str) -> str:
        """The absolute address of `path`."""
        return self.base_url + path

    def set_clock(self, instant: datetime) -> None:
        """Set the server's clock (takes effect at the next request)."""
        self.clock_file.write_text(instant.isoformat())

    @contextmanager
    def session(self):
        """A database session on the server's database, to check what a journey stored."""
        with self.app.app_context():
            yield db.session
            db.session.remove()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the end of the server's log to a failed browser test."""
    report = yield
    site = getattr(item, "funcargs", {}).get("site")
    if report.failed and site is not None and site.log.exists():
        tail = site.log.read_text(errors="replace").splitlines()[-80:]
        report.sections.append(("server log (last 80 lines)", "\n".join(tail)))
    return report


def _start_server(env: dict, log_path: Path) -> subprocess.Popen:
    server = Path(__file__).with_name("server.py")
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, str(server)], env=env, stdout=subprocess.PIPE, stderr=log
        )


def _stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()


def _server_port(process: subprocess.Popen, log_path: Path) -> int:
    """The port the server prints once it listens."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    ready = selector.select(timeout=SERVER_START_SECONDS)
    line = process.stdout.readline().decode().strip() if ready else ""
    selector.close()
    if not line.isdigit():
        _stop_server(process)
        pytest.fail(f"the test server did not start:\n{log_path.read_text()[-3000:]}")
    return int(line)


@pytest.fixture(scope="package")
def site(migrated, tmp_path_factory, request):
    """The seeded app served on a free port; every table is emptied afterwards."""
    root = tmp_path_factory.mktemp("e2e")
    clock_file = root / "clock"
    env = {
        **os.environ,
        "E2E_DATABASE_URL": migrated,
        "E2E_INSTANCE_PATH": str(root / "instance"),
        "E2E_CLOCK_FILE": str(clock_file),
        "E2E_MAX_UPLOAD_MB": str(MAX_UPLOAD_MB),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = root / "server.log"
    # The server takes a couple of seconds to import and build the app, touching no table
    # until the first request: it starts while the database is seeded.
    process = _start_server(env, log_path)
    try:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": migrated,
                "INSTANCE_PATH": str(root / "seed-instance"),
                "SECRET_KEY": "e2e-seed",
            }
        )
        with app.app_context():
            _empty_all_tables()
            ids = seed()
            db.session.remove()
            db.engine.dispose()
        port = _server_port(process, log_path)
    except BaseException:
        _stop_server(process)
        raise
    screenshots = Path(os.environ.get("E2E_SCREENSHOTS") or request.config.rootpath / "screenshots")
    screenshots.mkdir(parents=True, exist_ok=True)
    try:
        yield Site(f"http://127.0.0.1:{port}", clock_file, app, ids, screenshots, log_path)
    finally:
        _stop_server(process)
        with app.app_context():
            _empty_all_tables()
            db.session.remove()
            db.engine.dispose()


def new_context(browser, on_error, **options):
    """A fresh browser profile (own cookies) at laptop size; console errors go to `on_error`.

    Error statuses (403, 404…) are expected by some tests and not passed on.
    """
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, **options)
    context.set_default_timeout(TIMEOUT_MS)

    def collect(message):
        if message.type == "error" and "the server responded with a status" not in message.text:
            on_error(message.text)

    context.on("console", collect)
    return context


@pytest.fixture
def open_page(browser, site):
    """Open a page in a fresh browser profile (own cookies) at laptop size.

    Console errors fail the test: a Content-Security-Policy violation or a broken script
    shows up there. Error statuses (403, 404…) are expected by some tests and ignored.
    """
    contexts, errors = [], []

    def open_(**options):
        context = new_context(browser, errors.append, **options)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
    assert errors == []


@pytest.fixture
def page(open_page):
    """A page in a fresh browser profile."""
    return open_page()


def login(page, site, username: str) -> None:
    """Sign in through the login form and wait for the home page."""
    page.goto(site.url("/login"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator(".login-card button[type=submit]").click()
    page.wait_for_url(site.url("/"))


def shoot(page, site, name: str) -> int:
    """Save full-page screenshots of the current page at laptop and phone width.

    Returns how wide the page is on the phone: wider than the screen means sideways scrolling.
    """
    for label, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=site.screenshots / f"{name}-{label}.png", full_page=True)
    phone_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    return phone_width


def make_pdf(path: Path, text: str) -> Path:
    """A small, valid one-page PDF file (uploads are checked by content)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(text=text)
    pdf.output(str(path))
    return path


@pytest.fixture
def pdfs(tmp_path):
    """Two evidence PDFs: a statistics report and the achievement report."""
    return (
        make_pdf(tmp_path / "thong-ke-van-ban-di.pdf", "Bao cao thong ke van ban di 2024"),
        make_pdf(tmp_path / "bao-cao-thanh-tich.pdf", "Bao cao thanh tich 2024"),
    )


@pytest.fixture(scope="package")
def main_pages(browser, site):
    """`main_pages(username)`: what the screenshot, accessibility and keyboard tests check on
    that user's main pages, gathered in one visit of each page (see sweep.py) the first time
    one of them asks.
    """
    from .sweep import sweep  # it uses the tests' page lists and checks, which import this module

    swept = {}

    def of(username: str):
        if username not in swept:
            try:
                swept[username] = sweep(browser, site, username)
            except Exception as error:  # each test that needs these pages fails with it
                swept[username] = error
        if isinstance(swept[username], Exception):
            raise swept[username]
        return swept[username]

    return of
