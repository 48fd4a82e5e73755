"""One visit of each of a user's main pages gathers what three tests check there.

test_screenshots photographs the pages at 1366 and 390 px and measures their width on the
phone, test_accessibility runs axe at both widths, test_keyboard tabs through them. Loading,
resizing and putting axe into each page once instead of three times is most of the browser
tests' time. On each page, in an order where no step disturbs a later one: at 1366 px the
screenshot, then axe; at 390 px the screenshot, the width, then axe; back at 1366 px the walk
with Tab last, as it marks the actions, adds a starting point and moves the focus and scroll.
(Compared with a fresh load for each test, this order gives the same axe findings, Tab stops,
phone widths and screenshots on every page.) A user's pages are visited when the first of the
three tests asks for them, so all three see the data as they are at that moment.
"""

from dataclasses import dataclass, field

from .conftest import DESKTOP, PHONE, login, new_context
from .seed import AFTER, BEFORE
from .test_accessibility import NEXT_FRAME, _findings, _paths
from .test_keyboard import _keyboard_problems
from .test_screenshots import _urls


@dataclass
class Visit:
    """What one main page showed."""

    path: str
    shot: str | None  # the screenshot's name; None for pages test_screenshots doesn't take
    status: int
    lang: str | None
    phone_width: int  # document width at 390 px: wider means sideways scrolling
    findings: list[dict]  # axe's, at 1366 then at 390 px
    keyboard: list[str]  # what the walk with Tab found wrong


@dataclass
class Sweep:
    """A user's main pages, in the order visited, and the console errors met on the way."""

    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def photographed(self) -> list[Visit]:
        """The visits that took screenshots, in order."""
        return [v for v in self.visits if v.shot is not None]


def sweep(browser, site, username: str) -> Sweep:
    """Sign in as `username` and visit each of their main pages once."""
    site.set_clock(BEFORE if username.startswith("canbo") else AFTER)
    result, where = Sweep(), ["/login"]
    context = new_context(browser, lambda text: result.errors.append(f"{where[0]}: {text}"))
    try:
        page = context.new_page()
        login(page, site, username)
        shots = {path: name for name, path in _urls(site, username)}
        for path in _paths(site, username):
            where[0] = path
            result.visits.append(_visit(page, site, path, shots.get(path)))
    finally:
        context.close()
    return result


def _visit(page, site, path: str, shot: str | None) -> Visit:
    response = page.goto(site.url(path))
    lang = page.locator("html").get_attribute("lang")
    if shot:
        page.screenshot(path=site.screenshots / f"{shot}-1366.png", full_page=True)
    page.evaluate(NEXT_FRAME)
    findings = _findings(page, f"{path} @1366")
    page.set_viewport_size(PHONE)
    if shot:
        page.screenshot(path=site.screenshots / f"{shot}-390.png", full_page=True)
    phone_width = page.evaluate("document.documentElement.scrollWidth")
    page.evaluate(NEXT_FRAME)  # the page's resize handlers have run
    findings += _findings(page, f"{path} @390")
    page.set_viewport_size(DESKTOP)
    page.evaluate(NEXT_FRAME)
    keyboard = _keyboard_problems(page, path)
    return Visit(path, shot, response.status, lang, phone_width, findings, keyboard)
