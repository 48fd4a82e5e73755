"""Accessibility (WCAG 2.x, as Circular 26/2020/TT-BTTTT asks of public web services).

axe-core (bundled by axe-playwright-python; nothing is fetched while testing) checks every
main page, as the role that uses it, at 1366 px and at 390 px: no serious or critical
violation. Every finding, whatever its impact, is also written to screenshots/axe-<name>.json
so people can read what axe saw.
"""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import url_for
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, login
from .seed import BEFORE
from .test_screenshots import PAGES, _value

BLOCKING = {"serious", "critical"}
# Tags of the WCAG 2.0, 2.1 and 2.2 A and AA rules, plus axe's best practices (landmarks,
# one main heading, a skip link that leads somewhere).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}

# Pages people work on that have no screenshot of their own, checked here as well.
MORE_PAGES = {
    "canbo.sontra": [
        ("notify.inbox", {}),
        ("notify.settings", {}),
        ("nominees.page", {"movement_id": "movement"}),
    ],
    "uyvien.tran": [
        ("notify.inbox", {}),
    ],
    "thuky": [
        ("notify.outbox", {}),
        ("auditlog.index", {}),
        ("notify.announcement", {"movement_id": "movement"}),
        ("initiatives.page", {}),
        ("council.paper_votes_page", {"round_id": "round"}),
        ("council.decisions_page", {"round_id": "round"}),
    ],
    "admin": [
        ("auditlog.index", {}),
        ("admin.unit_edit", {}),
        ("admin.user_edit", {}),
    ],
}

NEXT_FRAME = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

_axe = Axe()


def _paths(site, username):
    """The paths of the main pages this build has, for one user."""
    with site.app.test_request_context():
        for endpoint, args in PAGES[username] + MORE_PAGES.get(username, []):
            if endpoint in site.app.view_functions:
                yield url_for(endpoint, **{k: _value(site, v) for k, v in args.items()})


def _findings(page, label: str) -> list[dict]:
    """axe's violations on the page as it is now: rule, impact, elements.

    axe is put into the page the first time it is checked after loading, as Axe.run does at
    every check, then run with the same options.
    """
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(_axe.axe_script)
    results = page.evaluate(f"axe.run({json.dumps(AXE_OPTIONS)})")
    return [
        {
            "page": label,
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]],
        }
        for v in results["violations"]
    ]


def _check(page, label: str) -> list[dict]:
    """axe's findings at laptop width and at phone width."""
    found = []
    for width, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.evaluate(NEXT_FRAME)  # the page's resize handlers have run
        found += _findings(page, f"{label} @{width}")
    page.set_viewport_size(DESKTOP)
    return found


def _record(site, name: str, found: list[dict]) -> None:
    (site.screenshots / f"axe-{name}.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=1)
    )


def _blocking(found: list[dict]) -> list[str]:
    return [
        f"{f['page']}: {f['rule']} ({f['impact']}) {f['help']} — {', '.join(f['targets'][:5])}"
        for f in found
        if f["impact"] in BLOCKING
    ]


def test_login_page_has_no_serious_violation(page, site):
    for language in ("vi", "en"):
        page.goto(site.url("/login"))
        if language == "en":
            page.locator("button.lang[value=en]").click()
        assert page.locator("html").get_attribute("lang") == language
        found = _check(page, f"/login ({language})")
        _record(site, f"login-{language}", found)
        assert _blocking(found) == []


@pytest.mark.parametrize("username", list(PAGES))
def test_every_main_page_has_no_serious_violation(main_pages, site, username):
    swept = main_pages(username)  # signed in as `username`, each page of _paths visited
    found = []
    for visit in swept.visits:
        assert visit.status == 200, visit.path
        assert visit.lang == "vi", visit.path
        found += visit.findings
    _record(site, username.split(".")[0], found)
    assert _blocking(found) == [], "\n".join(_blocking(found))
    assert swept.errors == [], "console errors"


def test_english_pages_say_they_are_english(page, site):
    """The page's language follows the interface language, so screen readers speak it right."""
    site.set_clock(BEFORE)
    login(page, site, "canbo.sontra")
    page.locator("button.lang[value=en]").click()
    found = []
    try:
        for path in _paths(site, "canbo.sontra"):
            page.goto(site.url(path))
            assert page.locator("html").get_attribute("lang") == "en", path
            found += _check(page, path)
    finally:  # the choice is kept with the account; other journeys expect Vietnamese
        page.locator("button.lang[value=vi]").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")
    _record(site, "canbo-en", found)
    assert _blocking(found) == [], "\n".join(_blocking(found))
