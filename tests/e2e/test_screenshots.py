"""Every main page, as the role that uses it, at 1366×768 and at 390 px: it opens (status 200,
no script or CSP error) and its screenshots land in screenshots/ for people to look at.

Pages other features add appear here once their endpoint exists.
"""

import pytest
from flask import url_for

from .conftest import DESKTOP, PHONE, login, shoot
from .seed import AFTER

UNIT_CODE = "VKS-ST"

# username → [(endpoint, arguments)]; "round", "review", "movement" and "dossier:<unit code>"
# are replaced by the seeded ids.
PAGES = {
    "canbo.sontra": [
        ("main.home", {}),
        ("units.unit_page", {"code": UNIT_CODE}),
        ("units.awards", {"code": UNIT_CODE}),
        ("dossiers.edit", {"dossier_id": "dossier:VKS-ST"}),
        ("dossiers.history", {"dossier_id": "dossier:VKS-ST"}),
        ("dossiers.receipt", {"dossier_id": "dossier:VKS-ST", "number": 1}),
        ("units.dossier_page", {"dossier_id": "dossier:VKS-ST"}),
        ("plan.index", {}),
        ("security.account", {}),
        ("account.tokens", {}),
    ],
    "uyvien.tran": [
        ("main.home", {}),
        ("council.queue", {}),
        ("council.review_page", {"review_id": "review"}),
        ("supervision.round_page", {"round_id": "round"}),
        ("council.ranking_page", {"round_id": "round"}),
        ("council.candidate_page", {"round_id": "round", "dossier_id": "dossier:P-TK"}),
        ("council.vote_page", {"round_id": "round"}),
        ("reports.report_page", {"round_id": "round"}),
    ],
    "thuky": [
        ("main.home", {}),
        ("council.freeze_round", {"round_id": "round"}),
        ("supervision.round_page", {"round_id": "round"}),
        ("council.assignments", {"round_id": "round"}),
        ("council.ranking_page", {"round_id": "round"}),
        ("council.candidate_page", {"round_id": "round", "dossier_id": "dossier:VP"}),
        ("council.whatif_page", {"round_id": "round"}),
        ("council.gaps_page", {"round_id": "round"}),
        ("council.meeting_page", {"round_id": "round"}),
        ("supervision.return_dossier", {"dossier_id": "dossier:TTR"}),
        ("reports.report_page", {"round_id": "round"}),
        ("plan.plan_page", {"movement_id": "movement"}),
        ("plan.index", {}),
        ("movements.new_movement", {}),
    ],
    "admin": [
        ("main.home", {}),
        ("admin.index", {}),
        ("admin.units", {}),
        ("admin.unit_changes", {}),
        ("admin.users", {}),
        ("admin.clusters", {}),
        ("admin.import_upload", {}),
        ("security.account", {}),
        ("account.tokens", {}),
    ],
}


def _value(site, value):
    ids = site.ids
    named = {"round": ids.round_id, "review": ids.review_id, "movement": ids.movement_id}
    if isinstance(value, str) and value.startswith("dossier:"):
        return ids.dossier_ids[value.split(":")[1]]
    return named.get(value, value) if isinstance(value, str) else value


def _urls(site, username):
    """(screenshot name, path) of the pages this app has, for one user."""
    role = username.split(".")[0]
    with site.app.test_request_context():
        for endpoint, args in PAGES[username]:
            if endpoint not in site.app.view_functions:
                continue  # a feature not in this build
            path = url_for(endpoint, **{k: _value(site, v) for k, v in args.items()})
            yield f"{role}-{endpoint.replace('.', '-')}", path


def test_login_page(page, site):
    response = page.goto(site.url("/login"))
    assert response.status == 200
    assert page.locator(".login-card h1").inner_text() == "Đăng nhập"
    assert page.locator("#username").is_visible() and page.locator("#password").is_visible()
    assert page.locator(".login-card button[type=submit]").is_visible()
    assert shoot(page, site, "login") <= PHONE["width"], "the login page scrolls sideways"


@pytest.mark.parametrize("username", list(PAGES))
def test_every_main_page_opens_and_is_photographed(main_pages, site, username):
    swept = main_pages(username)  # signed in as `username`, each page of _urls photographed
    failed, too_wide = [], []
    for visit in swept.photographed():
        if visit.status != 200:
            failed.append((visit.path, visit.status))
        if visit.phone_width > PHONE["width"]:
            too_wide.append(visit.path)
    assert [v.shot for v in swept.photographed()] == [name for name, _ in _urls(site, username)]
    assert failed == []
    assert too_wide == [], "these pages scroll sideways on a 390 px phone"
    assert swept.errors == [], "console errors"


@pytest.mark.parametrize("width", [1366, 1024])
def test_ranking_tables_fit_a_laptop_screen(page, site, width):
    """On a laptop every comparison column is visible and unit names take at most 3 lines.

    The seeded round has fewer columns than a real final round (five groups and the interim
    comparison), so a small laptop's width stands in for the crowded case.
    """
    site.set_clock(AFTER)
    login(page, site, "thuky")
    for view in ("", "?view=overall"):
        page.goto(site.url(f"/council/rounds/{site.ids.round_id}/ranking{view}"))
        if width == DESKTOP["width"]:
            shoot(page, site, "thuky-ranking-layout" + ("-overall" if view else ""))
        page.set_viewport_size({"width": width, "height": 768})
        scrolling = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')]"
            ".filter(w => w.scrollWidth > w.clientWidth + 1).length"
        )
        assert scrolling == 0, f"a ranking table scrolls sideways at {width} px"
        lines = page.evaluate(
            "[...document.querySelectorAll('tr[data-key] .cell-title')].map(e =>"
            " e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight))"
        )
        assert lines and max(lines) <= 3.2, lines
