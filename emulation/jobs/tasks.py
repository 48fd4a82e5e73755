"""What a job can do: each task takes its parameters and a progress callback, returns a file."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..models import Round, User


class JobFailed(Exception):
    """A job that cannot finish, with a message for the person who started it."""


@dataclass(frozen=True)
class Result:
    """A job's output file."""

    data: bytes
    name: str
    mimetype: str


Progress = Callable[[int, int], None]


def _round(params: dict) -> Round:
    round_ = db.session.get(Round, int(params["round_id"]))
    if round_ is None:
        raise JobFailed(_("The round no longer exists."))
    return round_


def report_task(params: dict, *, progress: Progress, user_id, now: datetime) -> Result:
    """The round's interim or final report in one format (pdf, docx, xlsx, html)."""
    from ..reports import RENDERERS, ReportError, build_charts, build_report
    from ..scoring import RuleError
    from ..signatures.seal import seal_pdf

    round_ = _round(params)
    fmt = params["format"]
    if fmt not in RENDERERS:
        raise JobFailed(_("Unknown report format %(fmt)s.", fmt=fmt))
    render, mimetype = RENDERERS[fmt]
    progress(0, 3)
    try:
        report = build_report(round_, kind=params.get("kind"), now=now)
        progress(1, 3)
        charts = build_charts(report)
        progress(2, 3)
        data = render(report, charts)
        if fmt == "pdf":
            data = seal_pdf(data, current_app.config, reason="Báo cáo thi đua")
    except (ReportError, RuleError) as exc:
        raise JobFailed(str(exc)) from None
    progress(3, 3)
    return Result(data, f"bao-cao-{round_.code}.{fmt}", mimetype)


def export_task(params: dict, *, progress: Progress, user_id, now: datetime) -> Result:
    """The round's ranking or score detail as CSV, XLSX or JSON."""
    from ..exports.ranking import FORMATS, TABLES, ExportError, export_round, filename_for

    round_ = _round(params)
    fmt, table = params["format"], params.get("table", "ranking")
    if fmt not in FORMATS or table not in TABLES:
        raise JobFailed(_("Unknown export %(table)s as %(fmt)s.", table=table, fmt=fmt))
    progress(0, 1)
    try:
        data = export_round(round_, fmt, table)
    except ExportError:
        raise JobFailed(
            _("Nothing to export yet: no dossier of this round has been submitted.")
        ) from None
    progress(1, 1)
    return Result(data, filename_for(round_, fmt, table), FORMATS[fmt])


def import_values_task(params: dict, *, progress: Progress, user_id, now: datetime) -> Result:
    """A VALUES file (kept in the evidence store) into the round's draft dossiers."""
    from ..evidence.backends import evidence_store
    from ..imports.values import import_values

    round_ = _round(params)
    with evidence_store().open(params["sha256"]) as body:
        data = body.read()
    actor = db.session.get(User, user_id) if user_id else None
    report = import_values(
        round_, data, params["source"], now=now, actor=actor,
        dry_run=bool(params.get("dry_run")), progress=progress,
    )  # fmt: skip
    text = "\n".join(report.summary()) + "\n"
    if not report.ok:
        raise JobFailed(text)
    return Result(text.encode(), "ket-qua-nhap.txt", "text/plain; charset=utf-8")


def whatif_task(params: dict, *, progress: Progress, user_id, now: datetime) -> Result:
    """Random weight perturbations: how often each candidate keeps its award tier (CSV)."""
    from ..council.ranking import live_ranking
    from ..council.whatif import Sandbox, stability

    round_ = _round(params)
    ranking = live_ranking(round_)
    if ranking.result is None:
        raise JobFailed(_("No dossier has been submitted in this round."))
    runs = int(params["runs"])
    rows = stability(
        Sandbox(ranking.result), runs=runs, spread=float(params["spread"]),
        seed=int(params.get("seed", 0)), progress=progress,
    )  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["key"])
    writer.writeheader()
    writer.writerows(rows)
    return Result(out.getvalue().encode("utf-8-sig"), f"on-dinh-{round_.code}.csv", "text/csv")


TASKS = {
    "report": report_task,
    "export": export_task,
    "import_values": import_values_task,
    "whatif": whatif_task,
}
