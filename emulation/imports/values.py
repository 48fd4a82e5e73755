"""Import indicator values for a round into the units' draft dossiers (wide VALUES format).

The cells are checked by the scoring package's own VALUES validator and stored with the
dossier operations' `set_values`; the deadline is the unit's SubmissionWindow, as in the UI.
A blank cell leaves the stored value as it is, and so does a column the file does not have.
"""

import difflib
from datetime import datetime

import numpy as np
from flask import has_request_context, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert

from ..dossiers.operations import set_values
from ..dossiers.scoring import rules_of
from ..dossiers.window import SubmissionWindow
from ..extensions import db
from ..models import (
    AuditEvent,
    Candidate,
    DeadlineExtension,
    Dossier,
    Round,
    Unit,
    User,
)
from ..scoring import ValuesError
from ..scoring.values import META_COLUMNS, validate_values, value_columns
from ..timefmt import format_deadline
from ..validation import number_message
from .bulk import insert_returning, insert_values, read_numbers, stored_values
from .report import Change, ImportReport, RowProblem
from .tables import Table, map_headers, open_import
from .units import audit_import

META_HEADERS = {
    "unit_code": ("unit_code", "mã đơn vị", "mã đv", "mã"),
    "unit_name": ("unit_name", "tên đơn vị"),
    "cluster": ("cluster", "cụm thi đua", "cụm", "khối thi đua"),
    "kind": ("kind", "loại"),
}
EDITABLE = ("draft", "withdrawn")


def _columns(table: Table, rules, report: ImportReport) -> dict[str, str]:
    """Map the file's columns to VALUES names; an unknown header is a problem (typos)."""
    found = map_headers(table.frame, META_HEADERS)
    names = {c.name for c in value_columns(rules)}
    mapping = {str(column): field for field, column in found.items()}
    headers = [str(c) for c in table.frame.columns]
    for position, column in enumerate(headers):
        if headers.index(column) != position:
            report.problems.append(RowProblem(_l("the column appears twice"), None, column or "?"))
        elif column in mapping:
            continue
        elif column in names or column in META_COLUMNS:
            mapping[column] = column
        elif not column:
            if table.frame.iloc[:, position].astype(bool).any():
                report.problems.append(
                    RowProblem(_l("a column holds values but has no header"), None, "?")
                )
        else:
            close = difflib.get_close_matches(column, sorted(names), n=1, cutoff=0.6)
            message = (
                _l("unknown column; did you mean '%(name)s'?", name=close[0])
                if close
                else _l("unknown column: it is no indicator of this round's rules")
            )
            report.problems.append(RowProblem(message, None, column or "?"))
    if "unit_code" not in found:
        report.problems.append(
            RowProblem(_l("missing column (expected header '%(header)s')", header="Mã đơn vị"),
                       None, "unit_code")
        )  # fmt: skip
    return mapping


def _validated(table: Table, rules, mapping: dict[str, str], report: ImportReport):
    """The rows checked by the scoring validator (None when it found problems)."""
    frame = table.frame[[c for c in table.frame.columns if str(c) in mapping]].copy()
    frame.columns = [mapping[str(c)] for c in frame.columns]
    # The unit's name and cluster come from the database; the file's copies are ignored.
    frame = frame.drop(columns=[c for c in ("unit_name", "cluster", "submitted_at", "complete")
                                if c in frame.columns])  # fmt: skip
    for spec in value_columns(rules):
        if spec.name not in frame.columns:
            # Blank: text for choices and yes/no, no number (NaN, as a blank cell reads) else.
            frame[spec.name] = "" if spec.kind in ("choice", "boolean") else np.nan
    header_of = {field: column for column, field in mapping.items()}
    # Numbers first, with the shared reader and a message in the user's language. They are
    # read once: the validator then gets them as numbers (a refused cell left blank).
    seen = set()
    for spec in value_columns(rules):
        if spec.kind in ("choice", "boolean") or spec.name not in header_of:
            continue
        numbers, refused = read_numbers(frame[spec.name])
        for position, value, reason in refused:
            column = header_of[spec.name]
            seen.add((position + 2, spec.name))
            message = number_message(reason, column, value)
            report.problems.append(RowProblem(message, table.rows[position], column))
        frame[spec.name] = numbers
    try:
        checked = validate_values(frame, rules, source=report.source)
    except ValuesError as exc:
        for problem in exc.errors:
            if (problem.row, problem.column) in seen:
                continue
            row = table.rows[problem.row - 2] if problem.row else None
            column = header_of.get(problem.column, problem.column)
            report.problems.append(RowProblem(problem.message, row, column))
        return None
    return None if seen else checked


def _rows_values(checked, specs) -> list[dict[str, float | str]]:
    """Per row, its non-blank cells, as set_values takes them."""
    names = [spec.name for spec in specs]
    columns = []
    for name in names:
        column = checked[name]
        if column.dtype.kind == "f":
            # Python floats at C speed; a blank is NaN, dropped below (NaN != NaN).
            columns.append(column.tolist())
            continue
        columns.append([
            None if v is None or (isinstance(v, float) and np.isnan(v))
            else v if isinstance(v, str) else float(v)
            for v in column.to_numpy(dtype=object)
        ])  # fmt: skip
    return [
        {name: v for name, v in zip(names, row, strict=True) if v is not None and v == v}
        for row in zip(*columns, strict=True)
    ]


def _rows(query) -> list:
    return db.session.execute(query).all()


def plan_values(round_: Round, table: Table, report: ImportReport, *, now: datetime):
    """Check the file against the round's rules, units, dossiers and deadlines."""
    rules = rules_of(round_)
    mapping = _columns(table, rules, report)
    if report.problems:
        return []
    checked = _validated(table, rules, mapping, report)
    if checked is None:
        return []
    header = next((c for c, f in mapping.items() if f == "unit_code"), "unit_code")
    codes = list(checked["unit_code"])
    # Plain rows, not ORM objects: one dict each for thousands of units and dossiers.
    units = {u.code: u for u in _rows(db.select(Unit.id, Unit.code, Unit.name, Unit.active))}
    candidates = dict(_rows(
        db.select(Candidate.unit_id, Candidate.id)
        .filter_by(movement_id=round_.movement_id, kind="collective")
    ))  # fmt: skip
    dossiers = {
        d.candidate_id: d
        for d in _rows(
            db.select(Dossier.candidate_id, Dossier.id, Dossier.status).filter_by(
                round_id=round_.id
            )
        )
    }
    extensions = dict(_rows(
        db.select(DeadlineExtension.unit_id, DeadlineExtension.until).filter_by(
            round_id=round_.id
        )
    ))  # fmt: skip
    stored = stored_values(round_.id)
    specs = value_columns(rules)
    kinds = checked["kind"].to_numpy(dtype=object)
    windows: dict = {}
    planned = []
    rows_values = _rows_values(checked, specs)
    for i, code in enumerate(codes):
        row = table.rows[i]
        unit = units.get(code)
        if unit is None or not unit.active:
            message = (
                _l("no unit with code %(code)s", code=code)
                if unit is None
                else _l("unit %(code)s is deactivated", code=code)
            )
            report.problems.append(RowProblem(message, row, header))
            continue
        if kinds[i] != "collective":
            report.problems.append(
                RowProblem(_l("only a unit's own (collective) dossier can be imported"), row,
                           "kind")
            )  # fmt: skip
            continue
        candidate = candidates.get(unit.id)
        dossier = dossiers.get(candidate) if candidate else None
        until = extensions.get(unit.id)
        if until not in windows:
            window = SubmissionWindow(round_, until)
            windows[until] = (window, window.state(now))
        problem = _refusal(round_, unit, dossier, *windows[until])
        if problem is not None:
            report.problems.append(RowProblem(problem, row, header))
            continue
        new = rows_values[i]
        old = stored.get(dossier.id, {}) if dossier else {}
        if not old:
            changed = new
        elif new.items() <= old.items():  # the usual re-import: every cell as stored
            changed = {}
        else:
            changed = {c: v for c, v in new.items() if old.get(c) != v}
        if candidate is None:
            report.changes.append(Change("candidate", code, "created"))
        action = "created" if dossier is None else "updated" if changed else "unchanged"
        report.changes.append(Change("dossier", code, action, tuple(sorted(changed))))
        planned.append((unit.id, candidate, dossier.id if dossier else None, changed))
    report.rows = len(codes)
    return planned


def _refusal(round_, unit, dossier, window, state):
    """Why values cannot go into this unit's dossier now (its window is in `state`), or None."""
    if dossier is not None and dossier.status not in EDITABLE:
        if dossier.status == "submitted":
            return _l("the dossier of %(unit)s is already submitted; its values cannot change",
                      unit=unit.name)  # fmt: skip
        return _l("the dossier of %(unit)s was returned for supplement; the unit itself "
                  "edits the reopened criteria", unit=unit.name)  # fmt: skip
    # LazyString: the time is formatted in the language of whoever reads the report.
    if state == "not_started":
        return LazyString(
            lambda: _("the round opens on %(when)s", when=format_deadline(round_.opens_at))
        )
    if state == "closed":
        return LazyString(
            lambda: _(
                "the deadline for %(unit)s (%(when)s) has passed; values can no longer change",
                unit=unit.name, when=format_deadline(window.deadline),
            )
        )  # fmt: skip
    return None


def apply_values(
    round_, planned, report: ImportReport, *, now: datetime, actor, progress=None
) -> None:
    """Write the planned values: enrol units, create drafts, set values; flushes only.

    Existing drafts change through `set_values`. New candidates, drafts and their values are
    inserted in bulk (the same rows the ORM and set_values would add): thousands in seconds.
    `progress(done, total)` is called as rows are written (the CLI's progress bar).
    """
    enrolled = insert_returning(
        Candidate,
        [{"movement_id": round_.movement_id, "unit_id": u, "kind": "collective"}
         for u, c, _d, _v in planned if c is None],
        "unit_id",
    )  # fmt: skip
    changing = [d for _u, _c, d, v in planned if d is not None and v]
    existing = {}
    if changing:
        existing = {
            d.id: d
            for d in db.session.execute(db.select(Dossier).filter_by(round_id=round_.id)).scalars()
        }
    created = []
    for done, (unit_id, candidate_id, dossier_id, changed) in enumerate(planned, start=1):
        if progress is not None and (done % 100 == 0 or done == len(planned)):
            progress(done, len(planned))
        if dossier_id is None:
            created.append((candidate_id or enrolled[unit_id], changed))
        elif changed:
            dossier = existing[dossier_id]
            dossier.touch(now)
            set_values(dossier, changed)
            _audit_dossier(dossier.id, changed, report, now=now, actor=actor)
    drafts = insert_returning(
        Dossier,
        [{"round_id": round_.id, "candidate_id": c, "created_at": now, "updated_at": now}
         for c, _v in created],
        "candidate_id",
    )  # fmt: skip
    insert_values([
        (dossier_id, column, None, raw) if isinstance(raw, str) else (dossier_id, column, raw, None)
        for dossier_id, values in ((drafts[c], values) for c, values in created)
        for column, raw in values.items()
    ])  # fmt: skip
    # The same events _audit_dossier adds, inserted in one statement (no object per dossier).
    remote = _remote_addr()
    events = [
        _audit_row(drafts[c], values, report, now=now, actor=actor, remote_addr=remote)
        for c, values in created
    ]
    if events:
        db.session.execute(insert(AuditEvent), events)
    db.session.flush()
    audit_import(report, "values_imported", now=now, actor=actor)


def _remote_addr() -> str | None:
    return request.remote_addr if has_request_context() else None


def _audit_row(dossier_id, changed, report, *, now, actor, remote_addr) -> dict:
    """The dossier's own audit event, as audit.record writes it."""
    return {
        "at": now,
        "actor_id": actor.id if actor is not None else None,
        "action": "dossier_values_imported",
        "object_type": "Dossier",
        "object_id": dossier_id,
        "details": {"changed": sorted(changed), "file": report.source},
        "remote_addr": remote_addr,
    }


def _audit_dossier(dossier_id, changed, report, *, now, actor) -> None:
    """Add the dossier's own audit event (without a flush per row)."""
    row = _audit_row(dossier_id, changed, report, now=now, actor=actor, remote_addr=_remote_addr())
    db.session.add(AuditEvent(**row))


def import_values(
    round_: Round,
    data: bytes,
    source: str,
    *,
    now: datetime,
    actor: User | None = None,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """Import (or, with dry_run, only check) a VALUES file for `round_`; all or nothing."""
    report, table = open_import("values", data, source, dry_run)
    if table is None:
        return report
    planned = plan_values(round_, table, report, now=now)
    if report.ok and not dry_run:
        apply_values(round_, planned, report, now=now, actor=actor, progress=progress)
    return report
