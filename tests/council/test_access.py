"""Every council page answers each council role with its exact status, signed in through the form.

The authorisation matrix (tests/security) checks every route on a minimal world with the
session set directly; this checks the council's pages on a full council world, signing in
through the login form: refused roles get 403, allowed ones the page (200), a redirect after
the action (302) or the form's answer (422), never an error; anonymous users go to login.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from emulation.council.assignment import assign_reviewer
from emulation.council.snapshots import freeze
from emulation.extensions import db

from .conftest import AFTER, FINAL_DEADLINE, submit, values_of

ACTORS = ["secretariat", "admin", "r1", "r2", "editor", "head"]
STAFF = ("secretariat", "admin")
COUNCIL = (*STAFF, "r1", "r2")


def only(status, actors) -> dict:
    """`status` for each of `actors`; every other actor is refused (403)."""
    return dict.fromkeys(actors, status)


# (method, path, {actor: status}); r1 holds the review, r2 is another council member.
# Actors act in turn on one world: after the secretariat unassigns r1, the review is gone (404).
PAGES = [
    ("GET", "/council/rounds/{round}/reviews", only(200, STAFF)),
    ("POST", "/council/rounds/{round}/reviews/assign", only(422, STAFF)),
    ("POST", "/council/rounds/{round}/reviews/auto", only(302, STAFF)),
    ("POST", "/council/reviews/{review}/unassign", {"secretariat": 302, "admin": 404}),
    ("GET", "/council/queue", only(200, ("r1", "r2"))),
    ("GET", "/council/reviews/{review}", only(200, (*STAFF, "r1"))),
    ("POST", "/council/reviews/{review}/adjust", only(302, ("r1",))),
    ("POST", "/council/reviews/{review}/finish", only(302, ("r1",))),
    ("POST", "/council/reviews/{review}/reopen", only(302, ("r1",))),
    ("POST", "/council/reviews/{review}/recuse", only(302, ("r1",))),
    ("POST", "/council/reviews/{review}/flag", only(302, ("r1",))),
    ("POST", "/council/reviews/{review}/flags/A1/clear", only(302, ("r1",))),
    ("GET", "/council/rounds/{round}/ranking", only(200, COUNCIL)),
    ("GET", "/council/rounds/{round}/ranking?view=overall", only(200, COUNCIL)),
    ("GET", "/council/rounds/{round}/candidates/{dossier}", only(200, COUNCIL)),
    ("POST", "/council/rounds/{round}/freeze", only(302, STAFF)),
    ("POST", "/council/rounds/{round}/reopen", only(302, STAFF)),
    ("GET", "/council/snapshots/{snapshot}.json", only(200, COUNCIL)),
    ("GET", "/council/rounds/{round}/whatif", only(200, STAFF)),
    ("GET", "/council/rounds/{round}/gaps", only(200, STAFF)),
    ("GET", "/council/rounds/{round}/meeting", only(200, STAFF)),
    ("GET", "/council/rounds/{round}/vote", only(200, ("r1", "r2"))),
    # The round is not frozen: the documents redirect to the meeting page with a message.
    ("GET", "/council/rounds/{round}/minutes.docx", only(302, STAFF)),
    ("GET", "/council/rounds/{round}/decision.docx", only(302, STAFF)),
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
    anonymous = client.open(url, method=method)
    assert anonymous.status_code == 302
    assert urlsplit(anonymous.headers["Location"]).path == "/login"
    answers = {}
    for actor in ACTORS:
        auth.login(getattr(council, actor))
        answers[actor] = client.open(url, method=method).status_code
        auth.logout()
    expected = {actor: allowed.get(actor, 403) for actor in ACTORS}
    assert answers == expected, f"{method} {url}"
