"""Downloads of a round's ranking and score detail for the secretariat."""

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..access import STAFF_ROLES, roles_required
from ..extensions import db
from ..models import Round
from .ranking import FORMATS, TABLES, ExportError, export_round, filename_for

bp = Blueprint("exports", __name__)


@bp.route("/rounds/<int:round_id>/export.<fmt>")
@roles_required(*STAFF_ROLES)
def download(round_id: int, fmt: str):
    """The ranking (and detail) as CSV, XLSX or JSON; ?table=detail for the CSV detail."""
    round_ = db.session.get(Round, round_id) or abort(404)
    table = request.args.get("table", "ranking")
    if fmt not in FORMATS or table not in TABLES:
        abort(404)
    try:
        data = export_round(round_, fmt, table)
    except ExportError:
        flash(_("Nothing to export yet: no dossier of this round has been submitted."), "error")
        return redirect(url_for("council.ranking_page", round_id=round_.id))
    name = filename_for(round_, fmt, table)
    return Response(
        data,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
