"""Downloads of the council's documents that go up to a higher body."""

from ..access import STAFF_ROLES, roles_required
from ..models import RankingSnapshot
from . import documents
from .common import load_round
from .views_vote import _docx, frozen_with_vote


@roles_required(*STAFF_ROLES)
def proposal_docx(round_id: int):
    """Proposal letter (Tờ trình) to the higher body for the awards only it may grant."""
    round_ = load_round(round_id)
    snapshot = frozen_with_vote(round_)
    if not isinstance(snapshot, RankingSnapshot):
        return snapshot
    data = documents.proposal(round_, snapshot.payload, frozen_hash=snapshot.payload_hash)
    return _docx((data, f"to-trinh-de-nghi-khen-thuong-{round_.code}"))
