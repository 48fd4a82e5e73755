"""A round's ranking and per-indicator score detail as CSV, XLSX or JSON.

Every figure comes from the round's standings (the frozen snapshot when the round is frozen,
else the council's live ranking): nothing is scored a second way here.
"""

import csv
import io
import json
import math
from dataclasses import dataclass, field

from ..models import Round
from ..scoring.explain import json_safe
from ..standings.model import Standings, standings_of
from .cells import safe_cell

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
TABLES = ("ranking", "detail")
DETAIL_COLUMNS = (
    "unit_code", "unit_name", "indicator_code", "indicator_name", "section", "method", "raw",
    "raw_text", "rule_points", "points", "max_points", "capped", "note",
)  # fmt: skip


class ExportError(ValueError):
    """The round cannot be exported (nothing submitted yet)."""


@dataclass
class RoundExport:
    """The rows of a round's ranking and of its score detail, with where they come from."""

    round: Round
    ranking: list[dict]
    detail: list[dict]
    tie_policy: str
    snapshot_hash: str | None
    notes: list[str] = field(default_factory=list)
    rules_file: tuple[str, str] = ("", "")


def build_export(round_: Round) -> RoundExport:
    """Collect the round's standings and their per-item detail (the snapshot's when frozen)."""
    standings = standings_of(round_)
    if standings.empty:
        raise ExportError(round_.code)
    notes = [
        f"Đợt: {round_.name} ({round_.code}) – {round_.movement.name}",
        "Quy tắc: {} (sha256 {})".format(*standings.rules_file),
        f"Quy tắc xếp hạng: {standings.tie_policy}",
        (
            f"Xếp hạng đã chốt (snapshot sha256 {standings.snapshot_hash})"
            if standings.frozen
            else "Xếp hạng trực tiếp (chưa chốt)"
        ),
    ]
    return RoundExport(
        round_,
        standings.records,
        _detail(standings),
        standings.tie_policy,
        standings.snapshot_hash,
        notes,
        standings.rules_file,
    )


def _detail(standings: Standings) -> list[dict]:
    """One row per candidate and scored item: raw value, computed and counted points, note."""
    names = {item.code: item.name for item in standings.rules.scored_items}
    units = {r["unit_code"]: r["unit_name"] for r in standings.records}
    rows = []
    for record in standings.detail_records():
        row = {name: json_safe(record.get(name)) for name in DETAIL_COLUMNS if name in record}
        row["unit_name"] = units.get(record["unit_code"], "")
        row["indicator_name"] = names.get(record["indicator_code"], "")
        for key in ("raw", "rule_points", "points", "max_points"):
            value = row.get(key)
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
        if not isinstance(row.get("raw_text"), str):
            row["raw_text"] = None
        rows.append({name: row.get(name) for name in DETAIL_COLUMNS})
    return rows


def _columns(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(key for row in rows[:1] for key in row))


def _plain(value):
    """A cell value a spreadsheet holds: lists and dicts as JSON text."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def render_csv(rows: list[dict]) -> bytes:
    """CSV with a BOM (Excel then reads UTF-8), every text cell formula-safe."""
    buffer = io.StringIO()
    columns = _columns(rows)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            ["" if row.get(c) is None else safe_cell(_plain(row.get(c))) for c in columns]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(export: RoundExport) -> bytes:
    """A workbook: ranking, score detail and notes sheets, every text cell formula-safe."""
    # Imported here: openpyxl takes some 7 MB that a process writing no such file need not hold.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in (("Xếp hạng", export.ranking), ("Chi tiết điểm", export.detail)):
        sheet = workbook.create_sheet(title)
        columns = _columns(rows)
        sheet.append(columns)
        for row in rows:
            sheet.append([safe_cell(_plain(row.get(c))) for c in columns])
    notes = workbook.create_sheet("Ghi chú")
    for line in export.notes:
        notes.append([safe_cell(line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_json(export: RoundExport) -> bytes:
    """The round, its rules, the ranking and the detail as one JSON document."""
    round_ = export.round
    data = {
        "round": {
            "id": round_.id,
            "code": round_.code,
            "name": round_.name,
            "kind": round_.kind,
            "deadline": round_.deadline.isoformat(),
            "movement": round_.movement.code,
        },
        "rules": {"filename": export.rules_file[0], "sha256": export.rules_file[1]},
        "tie_policy": export.tie_policy,
        "frozen_snapshot": export.snapshot_hash,
        "ranking": export.ranking,
        "detail": export.detail,
    }
    return json.dumps(json_safe(data), ensure_ascii=False, indent=1).encode("utf-8")


def export_round(round_: Round, fmt: str, table: str = "ranking") -> bytes:
    """The round as `fmt` bytes; a CSV holds one table (`ranking` or `detail`)."""
    export = build_export(round_)
    if fmt == "csv":
        return render_csv(export.ranking if table == "ranking" else export.detail)
    if fmt == "xlsx":
        return render_xlsx(export)
    return render_json(export)


def filename_for(round_: Round, fmt: str, table: str = "ranking") -> str:
    """A download name such as 'xep-hang-so-ket-2024.xlsx'."""
    stem = "chi-tiet-diem" if fmt == "csv" and table == "detail" else "xep-hang"
    return f"{stem}-{round_.code}.{fmt}"
