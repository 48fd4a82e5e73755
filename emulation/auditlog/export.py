"""The filtered audit events as a CSV or XLSX file, formula cells neutralised."""

import csv
import io

from ..exports.cells import safe_cell
from ..extensions import db
from ..timefmt import format_datetime
from .labels import action_label
from .query import AuditFilter, readable_text, select_events

MAX_ROWS = 50_000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADER = ("Thời điểm", "Người thực hiện", "Tài khoản", "Loại sự kiện", "Mã loại sự kiện",
          "Đối tượng", "Mã đối tượng", "Địa chỉ IP", "Chi tiết")  # fmt: skip


def export_rows(f: AuditFilter) -> list[list]:
    """The events the filter selects (at most MAX_ROWS), one list of cells each."""
    events = db.session.execute(select_events(f).limit(MAX_ROWS)).scalars()
    return [
        [
            format_datetime(e.at),
            e.actor.full_name if e.actor else "",
            e.actor.username if e.actor else "",
            action_label(e.action),
            e.action,
            e.object_type,
            e.object_id if e.object_id is not None else "",
            e.remote_addr or "",
            readable_text(e.details),
        ]
        for e in events
    ]


def render(f: AuditFilter, fmt: str) -> bytes:
    """The file's bytes in `fmt` ('csv' or 'xlsx')."""
    rows = [list(HEADER)] + [[safe_cell(cell) for cell in row] for row in export_rows(f)]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    # Imported here: openpyxl takes some 7 MB that a process writing no such file need not hold.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhat ky"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
