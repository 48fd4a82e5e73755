"""Freezing a round's ranking: a confirmation page listing what is unfinished."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import STAFF_ROLES, now, roles_required
from ..actions import committed
from .common import error_message, load_round
from .forms import FreezeForm
from .freezing import unfinished
from .snapshots import freeze, live_payload
from .state import CouncilError, active_snapshot


@roles_required(*STAFF_ROLES)
def freeze_round(round_id: int):
    """List the unfinished work, then freeze on explicit confirmation (with a reason if needed)."""
    round_ = load_round(round_id)
    if active_snapshot(round_) is not None:
        error_message(CouncilError("frozen"))
        return redirect(url_for("council.ranking_page", round_id=round_.id))
    left = unfinished(round_, live_payload(round_))
    form = FreezeForm()
    if form.validate_on_submit():
        reason = (form.reason.data or "").strip()
        if left.reviews and not reason:
            form.reason.errors = [_("Reviews are unfinished: say why the ranking is frozen now.")]
        else:
            with committed(refused=CouncilError, explain=error_message) as outcome:
                snapshot = freeze(
                    round_,
                    user=current_user,
                    now=now(),
                    reason=reason,
                    unfinished=None if left.empty else left.summary(),
                )
                outcome.message = _("Ranking frozen. Hash: %(hash)s", hash=snapshot.payload_hash)
            return redirect(url_for("council.ranking_page", round_id=round_.id))
    status = 422 if form.is_submitted() else 200
    return render_template("council/freeze.html", round=round_, left=left, form=form), status
