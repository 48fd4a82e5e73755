"""Every council page is refused (403) to the roles that must not see it; anonymous users log in."""

from datetime import timedelta

import pytest

from emulation.council.assignment import assign_reviewer
from emulation.council.snapshots import freeze
from emulation.extensions import db

from .conftest import AFTER, FINAL_DEADLINE, submit, values_of

STAFF = {"secretariat", "admin"}
COUNCIL = STAFF | {"r1", "r2"}
ACTORS = ["secretariat", "admin", "r1", "r2", "editor", "head"]

# (method, path, who may use it); r1 holds the review, r2 is another council member
PAGES = [
    ("GET", "/council/rounds/{round}/reviews", STAFF),
    ("POST", "/council/rounds/{round}/reviews/assign", STAFF),
    ("POST", "/council/rounds/{round}/reviews/auto", STAFF),
    ("POST", "/council/reviews/{review}/unassign", STAFF),
    ("GET", "/council/queue", {"r1", "r2"}),
    ("GET", "/council/reviews/{review}", STAFF | {"r1"}),
    ("POST", "/council/reviews/{review}/adjust", {"r1"}),
    ("POST", "/council/reviews/{review}/finish", {"r1"}),
    ("POST", "/council/reviews/{review}/reopen", {"r1"}),
    ("POST", "/council/reviews/{review}/recuse", {"r1"}),
    ("POST", "/council/reviews/{review}/flag", {"r1"}),
    ("POST", "/council/reviews/{review}/flags/A1/clear", {"r1"}),
    ("GET", "/council/rounds/{round}/ranking", COUNCIL),
    ("GET", "/council/rounds/{round}/ranking?view=overall", COUNCIL),
    ("GET", "/council/rounds/{round}/candidates/{dossier}", COUNCIL),
    ("POST", "/council/rounds/{round}/freeze", STAFF),
    ("POST", "/council/rounds/{round}/reopen", STAFF),
    ("GET", "/council/snapshots/{snapshot}.json", COUNCIL),
    ("GET", "/council/rounds/{round}/whatif", STAFF),
    ("GET", "/council/rounds/{round}/gaps", STAFF),
    ("GET", "/council/rounds/{round}/meeting", STAFF),
    ("GET", "/council/rounds/{round}/vote", {"r1", "r2"}),
    ("GET", "/council/rounds/{round}/minutes.docx", STAFF),
    ("GET", "/council/rounds/{round}/decision.docx", STAFF),
]


@pytest.fixture
def ids(council, interim_dossiers):
    """Ids for the paths: a review held by r1, a frozen snapshot of the final round."""
    review = assign_reviewer(
        interim_dossiers["U2"], council.r1, user=council.secretariat, now=AFTER
    )

    submit(
        council.final,
        council.candidates["U2"],
        values_of(100, 4, 1, 10),
        FINAL_DEADLINE - timedelta(days=1),
    )
    snapshot = freeze(council.final, user=council.secretariat, now=AFTER)
    db.session.commit()
    return {
        "round": council.interim.id,
        "review": review.id,
        "dossier": interim_dossiers["U2"].id,
        "snapshot": snapshot.id,
    }


@pytest.mark.parametrize(
    ("method", "path", "allowed"), PAGES, ids=[f"{m} {p}" for m, p, _a in PAGES]
)
def test_refused_to_roles_that_must_not_see_it(council, ids, auth, client, method, path, allowed):
    url = path.format(**ids)
    assert client.open(url, method=method).status_code == 302  # anonymous: to the login page
    for actor in ACTORS:
        auth.login(getattr(council, actor))
        status = client.open(url, method=method).status_code
        auth.logout()
        if actor in allowed:
            assert status != 403, f"{actor} refused {method} {url}"
        else:
            assert status == 403, f"{actor} got {status} for {method} {url}"
