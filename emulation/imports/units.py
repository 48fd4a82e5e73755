"""Import units and their clusters from a table: upsert by unit code, all or nothing."""

import hashlib
import re
import unicodedata
from datetime import datetime
from itertools import islice

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..extensions import db
from ..models import MAX_HEADCOUNT, Cluster, Unit, User
from ..scoring.numbers import NumberRefused, read_number
from .bulk import insert_returning
from .report import Change, ImportReport, RowProblem
from .tables import Table, fold, map_headers, open_import

UNIT_HEADERS = {
    "unit_code": ("unit_code", "code", "mã đơn vị", "mã đv", "mã"),
    "unit_name": ("unit_name", "name", "tên đơn vị", "tên"),
    "cluster": ("cluster", "cluster_name", "cụm thi đua", "cụm", "khối thi đua", "cụm/khối thi đua",
                "tên cụm", "tên cụm thi đua"),
    "cluster_code": ("cluster_code", "mã cụm", "mã cụm thi đua", "mã khối"),
    "headcount": ("headcount", "biên chế", "số biên chế", "số người", "số cán bộ", "quân số"),
}  # fmt: skip
CODE_MAX, NAME_MAX = 40, 200


def header_problems(table: Table, found: dict, required: dict[str, str]) -> list[RowProblem]:
    """A problem for each required field whose column the file lacks."""
    return [
        RowProblem(_l("missing column (expected header '%(header)s')", header=header), None, field)
        for field, header in required.items()
        if field not in found
    ]


def cluster_code_for(name: str) -> str:
    """A cluster code made from its name: 'Cụm thi đua số 1' → 'CUM-THI-DUA-SO-1'."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    code = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").upper()
    if len(code) > CODE_MAX:
        code = code[: CODE_MAX - 9] + "-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return code or "CUM"


class _Clusters:
    """Existing clusters by code and by folded name, plus the ones this file adds."""

    def __init__(self):
        self.by_code = {c.code: c for c in db.session.execute(db.select(Cluster)).scalars()}
        self.by_name = {fold(c.name): c for c in self.by_code.values()}
        self.new: dict[str, str] = {}  # code -> name
        self.renamed: dict[str, str] = {}

    def resolve(self, code: str, name: str) -> str:
        """The code of the cluster a row names (creating or renaming it in the plan)."""
        if not code:
            existing = self.by_code.get(name) or self.by_name.get(fold(name))
            if existing is not None:
                return existing.code
            code = cluster_code_for(name)
        existing = self.by_code.get(code)
        if existing is None:
            self.new.setdefault(code, name or code)
        elif name and name != existing.name and code not in self.renamed:
            self.renamed[code] = name
        return code


def plan_units(table: Table, report: ImportReport):
    """Check every row and fill the report; returns the planned rows and their clusters."""
    found = map_headers(table.frame, UNIT_HEADERS)
    report.problems += header_problems(
        table, found, {"unit_code": "Mã đơn vị", "unit_name": "Tên đơn vị"}
    )
    if report.problems:
        return [], None
    column = {field: str(found[field]) for field in found}
    clusters = _Clusters()
    seen: dict[str, int] = {}
    rows = []
    frame = table.frame
    for position, values in enumerate(frame.itertuples(index=False)):
        cells = dict(zip(frame.columns, values, strict=True))
        row = table.rows[position]
        code = cells[found["unit_code"]]
        name = cells[found["unit_name"]]
        cluster_name = cells[found["cluster"]] if "cluster" in found else ""
        cluster_code = cells[found["cluster_code"]] if "cluster_code" in found else ""
        problems = []
        if not code:
            problems.append(RowProblem(_l("the unit code is empty"), row, column["unit_code"]))
        elif len(code) > CODE_MAX:
            problems.append(
                RowProblem(_l("at most %(n)s characters", n=CODE_MAX), row, column["unit_code"])
            )
        elif code in seen:
            problems.append(
                RowProblem(
                    _l(
                        "unit code %(code)s already appears in row %(other)s",
                        code=code,
                        other=seen[code],
                    ),
                    row,
                    column["unit_code"],
                )  # fmt: skip
            )
        if not name:
            problems.append(RowProblem(_l("the unit name is empty"), row, column["unit_name"]))
        elif len(name) > NAME_MAX:
            problems.append(
                RowProblem(_l("at most %(n)s characters", n=NAME_MAX), row, column["unit_name"])
            )
        if len(cluster_code) > CODE_MAX:
            problems.append(
                RowProblem(_l("at most %(n)s characters", n=CODE_MAX), row, column["cluster_code"])
            )
        if len(cluster_name) > NAME_MAX:
            problems.append(
                RowProblem(_l("at most %(n)s characters", n=NAME_MAX), row, column["cluster"])
            )
        headcount = None
        if "headcount" in found:
            headcount = _headcount(cells[found["headcount"]])
            if headcount == 0:
                problems.append(RowProblem(
                    _l("the headcount must be a whole number from 1 to %(n)s", n=MAX_HEADCOUNT),
                    row, column["headcount"],
                ))  # fmt: skip
        if code and code not in seen:
            seen[code] = row
        if problems:
            report.problems += problems
            continue
        target = None
        if cluster_code or cluster_name:
            target = clusters.resolve(cluster_code, cluster_name)
        rows.append((code, name, target, headcount))
    report.rows = len(frame)
    _record_changes(rows, clusters, report)
    return rows, clusters


def _headcount(cell) -> int | None:
    """A headcount cell: None when blank (kept as it is), 0 when not a sane whole number."""
    try:
        number = read_number(cell or None, typed=False)
    except NumberRefused:
        return 0
    if number is None:
        return None
    if number != int(number) or not 1 <= number <= MAX_HEADCOUNT:
        return 0
    return int(number)


def _record_changes(rows, clusters: _Clusters, report: ImportReport) -> None:
    for code in sorted(clusters.new):
        report.changes.append(Change("cluster", code, "created", ("name",)))
    for code in sorted(clusters.renamed):
        report.changes.append(Change("cluster", code, "updated", ("name",)))
    existing = {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}
    cluster_codes = {c.id: c.code for c in clusters.by_code.values()}
    for code, name, cluster, headcount in rows:
        unit = existing.get(code)
        if unit is None:
            report.changes.append(Change("unit", code, "created"))
            continue
        changed = []
        if unit.name != name:
            changed.append("name")
        if cluster_codes.get(unit.cluster_id) != cluster:
            changed.append("cluster")
        if headcount is not None and unit.headcount != headcount:
            changed.append("headcount")
        action = "updated" if changed else "unchanged"
        report.changes.append(Change("unit", code, action, tuple(changed)))


def apply_units(
    rows, clusters: _Clusters, report: ImportReport, *, now: datetime, actor: User | None
) -> None:
    """Write the planned units and clusters (flushes; the caller commits or rolls back)."""
    for code, name in clusters.new.items():
        cluster = Cluster(code=code, name=name)
        db.session.add(cluster)
        clusters.by_code[code] = cluster
    for code, name in clusters.renamed.items():
        clusters.by_code[code].name = name
    existing = {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}
    new = []
    for code, name, cluster, headcount in rows:
        unit = existing.get(code)
        if unit is None:
            new.append((code, name, cluster, headcount))
            continue
        unit.name = name
        if headcount is not None:
            unit.headcount = headcount
        unit.cluster = clusters.by_code[cluster] if cluster else None
    db.session.flush()
    # New units in one batched insert, in file order as the ORM would add them.
    insert_returning(
        Unit,
        [{"code": code, "name": name, "headcount": headcount,
          "cluster_id": clusters.by_code[cluster].id if cluster else None}
         for code, name, cluster, headcount in new],
        "code",
    )  # fmt: skip
    audit_import(report, "units_imported", now=now, actor=actor)


def audit_import(report: ImportReport, action: str, *, now, actor) -> None:
    """One audit event for a whole import: file, counts and what changed."""
    changed = islice((c for c in report.changes if c.action != "unchanged"), 2000)
    record(
        action,
        now=now,
        actor=actor,
        details={
            "file": report.source,
            "counts": report.counts(),
            "changed": [[c.kind, c.key, c.action, list(c.fields)] for c in changed],
        },
    )
    report.applied = True


def import_units(
    data: bytes, source: str, *, now: datetime, actor: User | None = None, dry_run: bool = False
) -> ImportReport:
    """Import (or, with dry_run, only check) a units file; nothing is written on any problem."""
    report, table = open_import("units", data, source, dry_run)
    if table is None:
        return report
    rows, clusters = plan_units(table, report)
    if report.ok and not dry_run:
        apply_units(rows, clusters, report, now=now, actor=actor)
    return report
