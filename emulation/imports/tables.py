"""Read an uploaded CSV or XLSX into text cells, whatever encoding Excel saved it in."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from flask_babel import lazy_gettext as _l

from ..folding import fold

# Letters cp1258 has and cp1252 lacks (ă, đ, ơ, ư and the combining tone marks): a file
# that decodes to any of them under cp1258 was written by a Vietnamese Windows.
_CP1258_SIGNS = set("ĂăĐđƠơƯư\u0300\u0301\u0303\u0309\u0323")
_SPACES = re.compile(r"\s+")


class TableError(ValueError):
    """The file cannot be read as a table at all; `message` says why."""

    def __init__(self, message):
        super().__init__("table not readable")
        self.message = message


@dataclass
class Table:
    """The cells of a file as stripped text ('' for empty), with its encoding.

    `rows[i]` is the spreadsheet row number (header = its own row) of the frame's row i.
    """

    frame: pd.DataFrame
    encoding: str
    rows: list[int]
    # (row number, cells) of rows holding more filled cells than the header has columns
    too_wide: list[tuple[int, int]] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (BOM or not), UTF-16 with BOM, else cp1258 or cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1258", errors="replace")
    if _CP1258_SIGNS & set(text):
        # cp1258 writes tones as combining marks; compose them so "Hải" matches "Hải".
        return unicodedata.normalize("NFC", text), "cp1258"
    return data.decode("cp1252", errors="replace"), "cp1252"


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in ("\t", ";", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(data: bytes, filename: str = "") -> Table:
    """Parse CSV/TSV text or an XLSX workbook (first sheet) into a frame of text cells."""
    if not data.strip():
        raise TableError(_l("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl", header=None)
        except Exception:  # openpyxl raises many types for a damaged workbook
            raise TableError(_l("The file is not a readable XLSX workbook.")) from None
        encoding = "xlsx"
        rows = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    else:
        if filename.lower().endswith((".xlsx", ".xls", ".xlsm")):
            raise TableError(_l("The file is not a readable XLSX workbook."))
        text, encoding = decode(data)
        try:
            reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
            rows = [list(map(str.strip, row)) for row in reader]
        except csv.Error:
            raise TableError(_l("The file is not a readable CSV table.")) from None
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise TableError(_l("The file is empty."))
    header = numbered[0][1]
    body = [row for _n, row in numbered[1:]]
    columns = _width(header)
    # An unquoted comma shifts every later cell; such a row is refused, never trimmed.
    too_wide = [(n, _width(row)) for n, row in numbered[1:] if _width(row) > columns]
    width = max(len(header), *(len(r) for r in body)) if body else len(header)
    header = [_SPACES.sub(" ", h) for h in header] + [""] * (width - len(header))
    body = [r if len(r) == width else r + [""] * (width - len(r)) for r in body]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    frame.columns = header
    return Table(frame, encoding, [n for n, _row in numbered[1:]], too_wide)


def _width(row: list[str]) -> int:
    """Cells up to the last filled one (trailing empty cells do not count)."""
    width = len(row)
    while width and not row[width - 1]:
        width -= 1
    return width


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value).strip()


def map_headers(frame: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map each known field to the file's column holding it (Vietnamese or English header)."""
    lookup = {fold(alias): field for field, names in aliases.items() for alias in names}
    found = {}
    for column in frame.columns:
        field = lookup.get(fold(str(column)))
        if field is not None and field not in found:
            found[field] = column
    return found


def open_import(kind: str, data: bytes, source: str, dry_run: bool):
    """A new import report and the file's table (None when the file itself cannot be read)."""
    from .report import ImportReport, RowProblem

    report = ImportReport(kind, source, dry_run)
    try:
        table = read_table(data, source)
    except TableError as exc:
        report.problems.append(RowProblem(exc.message))
        return report, None
    report.encoding = table.encoding
    if table.too_wide:
        header = _width(list(table.frame.columns))
        for row, cells in table.too_wide:
            message = _l(
                "the row has %(cells)s cells but the header has %(columns)s columns; put a text"
                " containing a comma or semicolon in double quotes",
                cells=cells,
                columns=header,
            )
            report.problems.append(RowProblem(message, row))
        return report, None
    return report, table
