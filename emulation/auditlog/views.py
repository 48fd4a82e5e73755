"""The audit log pages: the secretariat and administrators read every audited event."""

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _

from ..access import STAFF_ROLES, now, roles_required
from ..timefmt import to_local
from . import query
from .export import FORMATS, render
from .labels import action_label

bp = Blueprint("auditlog", __name__, url_prefix="/audit")
bp.add_app_template_filter(action_label, "action_label")


def error_texts(errors: dict[str, str]) -> dict[str, str]:
    """The user's-language message for each filter that could not be read."""
    texts = {
        "id": _("Choose a value from the list."),
        "date": _("Type a date as dd/mm/yyyy, between 2000 and 2100."),
        "order": _("The end date is before the start date."),
    }
    return {key: texts[code] for key, code in errors.items()}


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    """Audited events, newest first, filtered by person, unit, dossier, round, kind and dates."""
    f = query.AuditFilter.from_args(request.args)
    events, total = query.page_of(f)
    pages = max(1, -(-total // query.PAGE_SIZE))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "auditlog/index.html",
        f=f,
        events=[(e, query.readable(e.details)) for e in events],
        total=total,
        pages=pages,
        args=args,
        actions=query.actions(),
        errors=error_texts(f.errors),
        **query.choices(),
    ), (422 if f.errors else 200)


@bp.route("/export.<fmt>")
@roles_required(*STAFF_ROLES)
def export(fmt: str):
    """The filtered events as a CSV or XLSX file."""
    if fmt not in FORMATS:
        abort(404)
    f = query.AuditFilter.from_args(request.args)
    stamp = to_local(now()).strftime("%Y%m%d-%H%M")
    return send_file(
        BytesIO(render(f, fmt)),
        mimetype=FORMATS[fmt],
        as_attachment=True,
        download_name=f"nhat-ky-{stamp}.{fmt}",
    )
