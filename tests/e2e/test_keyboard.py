"""Keyboard use: every action of every main page is reached with Tab and shows where the focus
is; the skip link leads into the page; a refused form says why, next to the field and aloud.
"""

import pytest
from flask import url_for
from playwright.sync_api import expect

from .conftest import PHONE, login, shoot
from .seed import AFTER, BEFORE, PASSWORD
from .test_accessibility import _check
from .test_screenshots import PAGES

# Everything a keyboard user can act on, shown on the page; each gets a key (radio buttons of
# one group share theirs: Tab stops at the group, arrows move inside it).
MARK_ACTIONS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [tabindex]';
  const found = [];
  document.querySelectorAll(selector).forEach((e, i) => {
    if (e.matches(':disabled') || e.tabIndex < 0) return;
    if (!e.checkVisibility({checkVisibilityCSS: true, visibilityProperty: true})) return;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    e.dataset.kbd = e.type === 'radio' ? 'radio:' + e.name : 'n' + i;
    const name = e.innerText || e.value || e.getAttribute('aria-label') || e.id || e.name;
    found.push([e.dataset.kbd, e.tagName.toLowerCase() + ' ' + (name || '').trim().slice(0, 40)]);
  });
  return Object.fromEntries(found);
}"""

# The focused element: its key, and whether a focus ring shows and it is on the screen.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
    && s.outlineColor !== 'rgba(0, 0, 0, 0)';
  return {
    key: e.dataset.kbd || null,
    what: e.tagName.toLowerCase() + ' '
      + (e.innerText || e.value || e.id || '').trim().slice(0, 40),
    ring: outline || s.boxShadow !== 'none',
    seen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
      && r.top < innerHeight && r.left < innerWidth,
  };
}"""

MAX_TABS = 400


def _tab_through(page) -> tuple[dict, list[dict]]:
    """Press Tab from the top of the page until the focus leaves it; (actions, stops)."""
    actions = page.evaluate(MARK_ACTIONS)
    # Tab starts from the focused element: start from a mark at the top of the page.
    page.evaluate(
        "() => { const start = document.createElement('span'); start.tabIndex = -1;"
        " document.body.prepend(start); start.focus(); }"
    )
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused["key"] == stops[0]["key"]):
            break
        stops.append(focused)
    return actions, stops


def _keyboard_problems(page, label: str) -> list[str]:
    actions, stops = _tab_through(page)
    reached = {s["key"] for s in stops}
    problems = [f"{label}: not reachable by Tab: {what}" for k, what in actions.items()
                if k not in reached]
    # Judged where Tab enters an element: a date input's later stops (month, year, the
    # calendar button) are parts inside it that the browser draws its own ring around.
    entries = [s for i, s in enumerate(stops) if i == 0 or stops[i - 1]["key"] != s["key"]]
    problems += [f"{label}: no visible focus ring on {s['what']}" for s in entries if not s["ring"]]
    problems += [f"{label}: focus off screen on {s['what']}" for s in stops if not s["seen"]]
    return problems


@pytest.mark.parametrize("username", list(PAGES))
def test_every_action_is_reached_by_tab_with_a_visible_focus_ring(main_pages, site, username):
    swept = main_pages(username)  # signed in as `username`, each page of _paths visited
    problems = [p for visit in swept.visits for p in visit.keyboard]
    assert problems == [], "\n".join(problems)
    assert swept.errors == [], "console errors"


def test_signing_in_and_skipping_to_the_content_by_keyboard(page, site):
    site.set_clock(BEFORE)
    page.goto(site.url("/login"))
    expect(page.locator("#username")).to_be_focused()  # the form is ready to type in
    page.keyboard.type("canbo.sontra")
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site.url("/"))

    page.keyboard.press("Tab")  # the first stop of every page skips the header and menu
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.screenshot(path=site.screenshots / "keyboard-skip-link-1366.png")
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    page.keyboard.press("Tab")
    inside = page.evaluate("document.getElementById('content').contains(document.activeElement)")
    assert inside, "the Tab after the skip link leaves the page's content"
    page.screenshot(path=site.screenshots / "keyboard-focus-1366.png")


def _error_is_told(page, field: str, message: str) -> None:
    """The refused field is marked invalid, names its error, and the error is announced."""
    control = page.locator(f"#{field}")
    expect(control).to_have_attribute("aria-invalid", "true")
    described = (control.get_attribute("aria-describedby") or "").split()
    texts = [page.locator(f"#{i}").inner_text() for i in described]
    assert any(message in t for t in texts), (described, texts)
    summary = page.locator("[role=alert][data-error-summary]")
    expect(summary).to_contain_text(message)
    expect(summary).to_be_focused()  # read out as the page opens
    expect(summary.locator(f"a[href='#{field}']")).to_be_visible()


def test_a_refused_form_names_the_error_at_the_field_and_announces_it(page, site):
    site.set_clock(BEFORE)
    page.goto(site.url("/login"))
    page.fill("#password", "anything")
    page.locator(".login-card button[type=submit]").click()
    _error_is_told(page, "username", "Vui lòng nhập tên đăng nhập.")
    shoot(page, site, "login-error")
    page.locator("[data-error-summary] a[href='#username']").click()
    expect(page.locator("#username")).to_be_focused()
    found = _check(page, "/login with an error")
    assert [f for f in found if f["impact"] in ("serious", "critical")] == []


def test_a_refused_choice_group_names_its_error(page, site):
    site.set_clock(AFTER)
    login(page, site, "thuky")
    with site.app.test_request_context():
        path = url_for("supervision.return_dossier", dossier_id=site.ids.dossier_ids["TTR"])
    page.goto(site.url(path))
    page.locator("main form button[type=submit]").click()
    group = page.locator("fieldset[aria-invalid=true]").first
    expect(group).to_be_visible()
    error_id = group.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_have_class("field-error")
    expect(page.locator("[role=alert][data-error-summary]")).to_be_focused()
    page.set_viewport_size(PHONE)
    assert _keyboard_problems(page, path) == []
