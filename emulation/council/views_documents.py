"""Downloads of the council's documents that go up to a higher body."""

from flask import flash, redirect, url_for

from ..access import STAFF_ROLES, roles_required
from . import documents
from .common import error_text, load_round
from .state import active_snapshot
from .views_vote import _docx


@roles_required(*STAFF_ROLES)
def proposal_docx(round_id: int):
    """Proposal letter (Tờ trình) to the higher body for the awards only it may grant."""
    round_ = load_round(round_id)
    snapshot = active_snapshot(round_)
    if snapshot is None:
        flash(error_text("not_frozen"), "error")
        return redirect(url_for("council.ranking_page", round_id=round_.id))
    if snapshot.payload.get("votes") is None:
        flash(error_text("no_vote"), "error")
        return redirect(url_for("council.meeting_page", round_id=round_.id))
    data = documents.proposal(round_, snapshot.payload, frozen_hash=snapshot.payload_hash)
    return _docx(data, f"to-trinh-de-nghi-khen-thuong-{round_.code}.docx")
