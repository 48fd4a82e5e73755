"""Editing, submitting and withdrawing dossiers; evidence and submitted versions (unit A's).

Only unit A's own users change A's dossier; the council reads it; unit B sees nothing of it.
A bare POST after the deadline is refused with a message on the page it redirects to (302).
"""

from ._roles import UNIT_A, only, statuses


def _dossier(w):
    return {"dossier_id": w.dossier_a.id}


READ = statuses(200, editor_b=403)
CHANGE = only(302, UNIT_A)

ROUTES = {
    # Each unit user starts its own unit's dossier in the round; the council starts none.
    "dossiers.start": {
        "url": lambda w: {"round_id": w.round.id},
        "POST": only(302, (*UNIT_A, "editor_b")),
    },
    "dossiers.edit": {"url": _dossier, "GET": only(200, UNIT_A), "POST": CHANGE},
    # The confirmation page; A's dossier is submitted and closed, so it sends A back to it.
    "dossiers.submit": {"url": _dossier, "GET": CHANGE, "POST": CHANGE},
    "dossiers.withdraw": {"url": _dossier, "POST": CHANGE},
    "dossiers.signoff_page": {"url": _dossier, "GET": only(200, UNIT_A)},
    # Only the unit's head signs off; the editor sees the page but may not confirm.
    "dossiers.signoff_confirm": {"url": _dossier, "POST": only(302, ("head_a",))},
    "dossiers.signoff_return": {"url": _dossier, "POST": only(302, ("head_a",))},
    "dossiers.history": {"url": _dossier, "GET": READ},
    "dossiers.evidence_zip": {"url": _dossier, "GET": READ},
    "dossiers.receipt": {
        "url": lambda w: {"dossier_id": w.dossier_a.id, "number": w.version_a.number},
        "GET": READ,
    },
    "dossiers.receipt_file": {
        "url": lambda w: {"dossier_id": w.dossier_a.id, "number": w.version_a.number},
        "GET": READ,
    },
    "dossiers.version_file": {
        "url": lambda w: {
            "dossier_id": w.dossier_a.id,
            "number": w.version_a.number,
            "sha256": w.evidence_a.sha256,
        },
        "GET": READ,
    },
    "dossiers.evidence": {"url": lambda w: {"evidence_id": w.evidence_a.id}, "GET": READ},
    "dossiers.delete_evidence": {
        "url": lambda w: {"evidence_id": w.evidence_a.id},
        "POST": CHANGE,
    },
}
