"""Report pages: the HTML report (council members too) and file downloads (secretariat)."""

from datetime import date, datetime
from io import BytesIO

from flask import Blueprint, abort, current_app, render_template, request, send_file

from ..access import COUNCIL_ROLES, STAFF_ROLES, now, roles_required
from ..extensions import db
from ..models import Round
from ..refusals import refused_page
from ..scoring import RuleError
from ..signatures.seal import SealError, seal_pdf
from . import RENDERERS, build_report
from .render_html import context

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _load(round_id: int) -> Round:
    return db.session.get(Round, round_id) or abort(404)


def report_date(round_: Round) -> date | None:
    """The date the report bears: the one the secretariat chose, else the council meeting's."""
    text = request.args.get("dated", "").strip()
    chosen = None
    # Typed as dd/mm/yyyy like every date in the system; links carry it the same way.
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            chosen = datetime.strptime(text, pattern).date() if text else None
            break
        except ValueError:
            continue
    if chosen is not None and date(2000, 1, 1) <= chosen <= date(2100, 12, 31):
        return chosen
    from ..council.votes import get_meeting
    from ..timefmt import to_local

    meeting = get_meeting(round_)
    return to_local(meeting.held_at).date() if meeting is not None else None


def _refused(round_: Round, exc: RuleError):
    return refused_page(round_, exc)


@roles_required(*COUNCIL_ROLES)
def report_page(round_id: int):
    """The round's interim or final report, with its charts, printable."""
    round_ = _load(round_id)
    try:
        report = build_report(round_, now=now())
    except RuleError as exc:  # ValuesError too: data the engine refuses, listed
        return _refused(round_, exc)
    report.dated = report_date(round_)
    dated = report.dated.strftime("%d/%m/%Y") if report.dated else ""
    return render_template("reports/page.html", round=round_, dated=dated, **context(report))


@roles_required(*STAFF_ROLES)
def report_file(round_id: int, fmt: str):
    """The report as a file: PDF, DOCX, XLSX or standalone HTML."""
    round_ = _load(round_id)
    if fmt not in RENDERERS:
        abort(404)
    try:
        report = build_report(round_, now=now())
    except RuleError as exc:
        return _refused(round_, exc)
    report.dated = report_date(round_)
    render, mimetype = RENDERERS[fmt]
    data = render(report)
    if fmt == "pdf":
        try:
            data = seal_pdf(data, current_app.config, reason="Báo cáo thi đua")
        except SealError:
            # An official PDF is not issued unsealed when a seal is configured but broken.
            current_app.logger.exception("the sealing certificate could not be used")
            abort(503)
    return send_file(
        BytesIO(data),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"bao-cao-{round_.code}.{fmt}",
    )


bp.add_url_rule("/rounds/<int:round_id>", view_func=report_page)
bp.add_url_rule("/rounds/<int:round_id>/report.<fmt>", view_func=report_file)
