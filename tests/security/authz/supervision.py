"""The round page, deadline extensions and returning dossiers for supplement.

The council returns dossiers, except a member of the dossier's own unit (reviewer_own).
"""

from ._roles import COUNCIL, STAFF, only


def _round(w):
    return {"round_id": w.round.id}


ROUTES = {
    "supervision.round_page": {"url": _round, "GET": only(200, COUNCIL)},
    # A bare POST names no unit: 422 with the form's message.
    "supervision.extend": {"url": _round, "POST": only(422, STAFF)},
    "supervision.return_dossier": {
        "url": lambda w: {"dossier_id": w.dossier_a.id},
        "GET": only(200, ("reviewer", *STAFF)),
        "POST": only(200, ("reviewer", *STAFF)),
    },
}
