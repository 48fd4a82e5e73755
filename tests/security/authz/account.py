"""The personal API token page: every signed-in user manages their own tokens only."""

from emulation.api.tokens import create_token
from emulation.extensions import db

from ._roles import only, statuses
from ._world import AFTER


def _token_of_editor_a(w) -> dict:
    """A token of editor_a (made for this request's world)."""
    token, _secret = create_token(w.users["editor_a"], "authz", now=AFTER)
    db.session.commit()
    return {"token_id": token.id}


ROUTES = {
    # POST without a name: the form answers 422.
    "account.tokens": {"GET": statuses(200), "POST": statuses(422)},
    "account.revoke": {"url": _token_of_editor_a, "POST": only(302, ("editor_a",), others=404)},
}
