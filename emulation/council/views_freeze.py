"""Freezing a round's ranking: a confirmation page listing what is unfinished."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from .common import flash_error, load_round
from .forms import FreezeForm
from .freezing import unfinished
from .snapshots import freeze, live_payload
from .state import CouncilError, active_snapshot


@roles_required(*STAFF_ROLES)
def freeze_round(round_id: int):
    """List the unfinished work, then freeze on explicit confirmation (with a reason if needed)."""
    round_ = load_round(round_id)
    if active_snapshot(round_) is not None:
        flash_error(CouncilError("frozen"))
        return redirect(url_for("council.ranking_page", round_id=round_.id))
    left = unfinished(round_, live_payload(round_))
    form = FreezeForm()
    if form.validate_on_submit():
        reason = (form.reason.data or "").strip()
        if left.reviews and not reason:
            form.reason.errors = [_("Reviews are unfinished: say why the ranking is frozen now.")]
        else:
            try:
                snapshot = freeze(
                    round_,
                    user=current_user,
                    now=now(),
                    reason=reason,
                    unfinished=None if left.empty else left.summary(),
                )
            except CouncilError as exc:
                db.session.rollback()
                flash_error(exc)
                return redirect(url_for("council.ranking_page", round_id=round_.id))
            db.session.commit()
            flash(_("Ranking frozen. Hash: %(hash)s", hash=snapshot.payload_hash), "success")
            return redirect(url_for("council.ranking_page", round_id=round_.id))
    status = 422 if form.is_submitted() else 200
    return render_template("council/freeze.html", round=round_, left=left, form=form), status
