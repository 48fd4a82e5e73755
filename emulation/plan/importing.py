"""Read a plan from XLSX: every bad row reported at once (row, column, reason), else all rows."""

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from ..extensions import db
from ..models import Unit
from ..validation import date_in_range, date_range_message
from .operations import ActivityInput

# Accepted headers (compared case-insensitively), Vietnamese first.
HEADERS = {
    "number": ("stt", "số tt", "số thứ tự", "no", "number"),
    "title": ("nội dung", "nội dung công việc", "hoạt động", "nhiệm vụ", "title", "activity"),
    "lead": ("đơn vị chủ trì", "chủ trì", "lead unit", "lead"),
    "coordinators": ("đơn vị phối hợp", "phối hợp", "coordinating units"),
    "starts": ("bắt đầu", "từ ngày", "start", "starts on"),
    "due": ("thời hạn", "thời gian thực hiện", "hạn hoàn thành", "due", "due date"),
    "output": ("sản phẩm", "sản phẩm dự kiến", "kết quả dự kiến", "expected output"),
}
REQUIRED = ("title", "lead", "due")
MAX_ROWS = 2000
_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_SPLIT_UNITS = re.compile(r"[;,\n]+")


@dataclass(frozen=True)
class ImportProblem:
    """A problem in the uploaded file; row counts like the spreadsheet (header = row 1)."""

    row: int | None
    column: str | None
    message: str


class PlanImportError(Exception):
    """The file cannot be imported; `problems` lists every one found."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def parse_day(value) -> date | None:
    """A date cell or dd/mm/yyyy text; None when unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not _DATE.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def parse_period(value) -> tuple[date | None, date | None] | None:
    """'dd/mm/yyyy' (a due date) or 'dd/mm/yyyy - dd/mm/yyyy' (a period); None if unreadable."""
    if isinstance(value, date | datetime):
        return None, parse_day(value)
    found = _DATE.findall(_text(value))
    if len(found) == 1 and _DATE.fullmatch(_text(value)):
        day = parse_day(found[0])
        return (None, day) if day else None
    if len(found) == 2 and re.fullmatch(
        r"\s*\d{1,2}/\d{1,2}/\d{4}\s*[-–—]\s*\d{1,2}/\d{1,2}/\d{4}\s*", _text(value)
    ):
        start, end = parse_day(found[0]), parse_day(found[1])
        return (start, end) if start and end else None
    return None


def _unit_lookup() -> dict[str, Unit]:
    units = db.session.execute(db.select(Unit)).scalars()
    lookup = {}
    for unit in units:
        lookup[unit.code.casefold()] = unit
        lookup[" ".join(unit.name.split()).casefold()] = unit
    return lookup


def read_plan(data: bytes) -> list[ActivityInput]:
    """Check the whole sheet; raise PlanImportError with every problem, or return the rows."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not XLSX
        raise PlanImportError(
            [ImportProblem(None, None, _("The file is not an Excel workbook (.xlsx)."))]
        ) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    book.close()
    if not rows:
        raise PlanImportError([ImportProblem(None, None, _("The sheet is empty."))])
    header = [_text(h) for h in rows[0]]
    where: dict[str, int] = {}
    for index, name in enumerate(header):
        for key, names in HEADERS.items():
            if name.casefold() in names and key not in where:
                where[key] = index
    missing = [HEADERS[key][0] for key in REQUIRED if key not in where]
    if missing:
        problem = _("Missing column(s): %(names)s. Row 1 must hold the column titles.",
                    names=", ".join(f"«{m}»" for m in missing))  # fmt: skip
        raise PlanImportError([ImportProblem(1, None, problem)])
    units = _unit_lookup()
    out, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: row[i] if i < len(row) else None for key, i in where.items()}
        if not any(_text(v) for v in cells.values()):
            continue
        found = _check_row(number, cells, header, where, units, problems)
        if found is not None:
            out.append(found)
    if problems:
        raise PlanImportError(problems)
    if not out:
        raise PlanImportError([ImportProblem(None, None, _("The sheet holds no activity."))])
    return out


def _check_row(number, cells, header, where, units, problems) -> ActivityInput | None:
    before = len(problems)

    def bad(key: str, message: str) -> None:
        problems.append(ImportProblem(number, header[where[key]], message))

    title = _text(cells["title"])
    if not title:
        bad("title", _("The activity has no content."))
    lead_name = _text(cells["lead"])
    lead = units.get(lead_name.casefold())
    if not lead_name:
        bad("lead", _("No lead unit."))
    elif lead is None:
        bad("lead", _("Unknown unit «%(name)s» (give its code or exact name).", name=lead_name))
    coordinators = []
    for name in _SPLIT_UNITS.split(_text(cells.get("coordinators"))):
        if name.strip():
            unit = units.get(name.strip().casefold())
            if unit is None:
                bad(
                    "coordinators",
                    _("Unknown unit «%(name)s» (give its code or exact name).", name=name.strip()),
                )
            else:
                coordinators.append(unit)
    period = parse_period(cells["due"]) if _text(cells["due"]) else None
    if not _text(cells["due"]):
        bad("due", _("No due date."))
    elif period is None:
        bad("due", _("Write the due date as dd/mm/yyyy or a period dd/mm/yyyy - dd/mm/yyyy."))
    starts = period[0] if period else None
    if "starts" in cells and _text(cells["starts"]):
        starts = parse_day(cells["starts"])
        if starts is None:
            bad("starts", _("Write the start date as dd/mm/yyyy."))
    for column, day in (("due", period[1] if period else None), ("starts", starts)):
        if day is not None and not date_in_range(day):
            column = column if column in where else "due"
            bad(column, date_range_message(header[where[column]]))
    if period and starts and period[1] and starts > period[1]:
        bad("due", _("The due date is before the start date."))
    if len(problems) > before:
        return None
    return ActivityInput(
        number=_text(cells.get("number")),
        title=title,
        lead_unit=lead,
        coordinators=coordinators,
        starts_on=starts,
        due_on=period[1],
        expected_output=_text(cells.get("output")),
    )


def template_workbook(unit_codes: list[str]) -> bytes:
    """An empty plan workbook with the expected column titles and one example row."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Kế hoạch"
    sheet.append(["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"])
    lead = unit_codes[0] if unit_codes else ""
    helpers = "; ".join(unit_codes[1:3])
    sheet.append(["1", "Tập huấn kỹ năng số", lead, helpers, "01/03/2024 - 30/04/2024", "Báo cáo"])
    for column, width in zip("ABCDEF", (6, 60, 22, 30, 26, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
