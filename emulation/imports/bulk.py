"""Many indicator values written at once: the driver's bulk path, without per-row ORM work.

PostgreSQL takes them through COPY; SQLite through one prepared statement of many rows;
other databases through one prepared statement run for every row (executemany). The rows
join the session's transaction, so a failure later in the import rolls them back with
everything else.
"""

import re
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy import func, insert

from ..extensions import db
from ..models import Dossier, IndicatorValue
from ..scoring.numbers import NumberRefused, read_number

COLUMNS = ("dossier_id", "column", "value", "text_value")
ROWS_PER_INSERT = 100  # 400 parameters, within any SQLite's limit
COPY_SLICE = 20_000
# Plain decimals, the bulk of any file: read by numpy; anything else by the shared reader.
PLAIN = r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?"
_PLAIN = re.compile(PLAIN)
# A whole column joined by newlines: every cell plain or blank, checked in one C-level match.
_PLAIN_LINES = re.compile(rf"(?:{PLAIN})?(?:\n(?:{PLAIN})?)*")
# COPY's text format: these characters are written as escapes.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def read_numbers(column: pd.Series) -> tuple[np.ndarray, list[tuple[int, object, str]]]:
    """A file's column as float64 (blank: NaN), and the refused cells (position, value, reason).

    Every cell reads exactly as `read_number(value, typed=False)` reads it.
    """
    raw = column.to_numpy(dtype=object)
    numbers = np.full(len(raw), np.nan)
    if _all_plain(raw):
        filled = raw != ""
        numbers[filled] = raw[filled].astype(float)
        return numbers, []
    is_text = np.array([type(v) is str for v in raw], dtype=bool)
    plain = np.zeros(len(raw), dtype=bool)
    if is_text.any():
        plain[is_text] = [_PLAIN.fullmatch(v) is not None for v in raw[is_text]]
    # within ±MAX_MAGNITUDE by construction (at most 12 digits before the point)
    numbers[plain] = raw[plain].astype(float)
    refused = []
    for i in np.flatnonzero(~plain):
        value = raw[i]
        try:
            number = read_number(value, typed=False)
        except NumberRefused as exc:
            refused.append((int(i), value, exc.reason))
            continue
        if number is not None:
            numbers[i] = number
    return numbers, refused


def _all_plain(raw: np.ndarray) -> bool:
    """Whether every cell is text holding a plain decimal or nothing (the usual column)."""
    if not len(raw):
        return False
    try:
        joined = "\n".join(raw)
    except TypeError:  # a cell that is no text
        return False
    # A cell holding a line break would pass as two cells: the count of breaks rules it out.
    return joined.count("\n") == len(raw) - 1 and _PLAIN_LINES.fullmatch(joined) is not None


def stored_values(round_id: int) -> dict[int, dict[str, float | str | None]]:
    """Per dossier of the round, its stored cells (the text, else the number), read in bulk."""
    connection = db.session.connection()
    number = IndicatorValue.text_value.is_(None)
    if connection.dialect.name == "postgresql":
        # One row per dossier, its cells in arrays: the server groups, the driver unpacks.
        columns = (
            IndicatorValue.dossier_id,
            func.array_agg(IndicatorValue.column).filter(number),
            func.array_agg(IndicatorValue.value).filter(number),
            func.array_agg(IndicatorValue.column).filter(~number),
            func.array_agg(IndicatorValue.text_value).filter(~number),
        )
    else:
        columns = (
            IndicatorValue.dossier_id,
            IndicatorValue.column,
            IndicatorValue.value,
            IndicatorValue.text_value,
        )
    query = (
        db.select(*columns)
        .join(Dossier, IndicatorValue.dossier_id == Dossier.id)
        .where(Dossier.round_id == int(round_id))
    )
    if connection.dialect.name == "postgresql":
        query = query.group_by(IndicatorValue.dossier_id)
    # The driver's own cursor: hundreds of thousands of plain cells, no result processing.
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    stored: dict[int, dict] = {}
    if connection.dialect.name == "postgresql":
        for dossier_id, names, numbers, text_names, texts in rows:
            cells = stored[dossier_id] = dict(zip(names or (), numbers or (), strict=True))
            cells.update(zip(text_names or (), texts or (), strict=True))
        return stored
    for dossier_id, column, value, text in rows:
        cells = stored.get(dossier_id)
        if cells is None:
            cells = stored[dossier_id] = {}
        cells[column] = text if text is not None else value
    return stored


def insert_returning(model, rows: list[dict], key: str) -> dict:
    """Insert `rows` of `model` in batched statements; the new ids by each row's `key` value.

    Column defaults apply as for ORM objects; pending ORM changes are flushed first, so rows
    keep the order they would have had.
    """
    if not rows:
        return {}
    db.session.flush()
    table = model.__table__
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        ids = _copy_with_ids(connection, table, rows)
        if ids is not None:
            return {row[key]: id_ for row, id_ in zip(rows, ids, strict=True)}
    result = db.session.execute(insert(table).returning(table.c[key], table.c.id), rows)
    return dict(result.all())


def _copy_with_ids(connection, table, rows: list[dict]) -> list[int] | None:
    """COPY the rows with ids drawn from the table's sequence, in order; None if it cannot.

    Columns the rows leave out get their constant default, as an INSERT would give them; a
    default computed in Python (a time) makes the caller take the INSERT path instead.
    """
    names = list(rows[0])
    defaults = {}
    for column in table.c:
        if column.name == "id" or column.name in names or column.default is None:
            continue
        if not column.default.is_scalar:
            return None
        defaults[column.name] = column.default.arg
    dialect = connection.dialect
    columns = [*names, *defaults]
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    quote = dialect.identifier_preparer.quote
    cursor = connection.connection.cursor()
    try:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            (table.name, len(rows)),
        )
        ids = [id_ for (id_,) in cursor.fetchall()]
        head = ", ".join(quote(name) for name in ("id", *columns))
        with cursor.copy(f"COPY {quote(table.name)} ({head}) FROM STDIN") as copy:
            for id_, row in zip(ids, rows, strict=True):
                values = [row[name] for name in names] + list(defaults.values())
                copy.write_row(
                    [
                        id_,
                        *(
                            v if f is None else f(v)
                            for f, v in zip(processors, values, strict=True)
                        ),
                    ]
                )
    finally:
        cursor.close()
    return ids


def insert_values(rows: list[tuple]) -> None:
    """Insert (dossier id, column, number, text) rows into indicator_values."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    table = IndicatorValue.__table__
    cursor = connection.connection.cursor()
    try:
        if dialect.name == "postgresql":
            names = ", ".join(dialect.identifier_preparer.quote(n) for n in COLUMNS)
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                # In slices: the server stores one while the next is being written out.
                for start in range(0, len(rows), COPY_SLICE):
                    copy.write(_copy_text(rows[start : start + COPY_SLICE]))
            return
        if dialect.name == "sqlite":
            _insert_sqlite(cursor, dialect, table.name, rows)
            return
        compiled = insert(table).compile(dialect=dialect, column_keys=list(COLUMNS))
        if not compiled.positional:
            cursor.close()
            cursor = None
            db.session.execute(insert(table), [dict(zip(COLUMNS, r, strict=True)) for r in rows])
            return
        order = [COLUMNS.index(name) for name in compiled.positiontup]
        if order != list(range(len(COLUMNS))):
            rows = [tuple(r[i] for i in order) for r in rows]
        cursor.executemany(str(compiled), rows)
    finally:
        if cursor is not None:
            cursor.close()


def _insert_sqlite(cursor, dialect, table: str, rows: list[tuple]) -> None:
    """Rows ROWS_PER_INSERT at a time: SQLite runs one statement per batch, not per row."""
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in COLUMNS)}) VALUES "
    one = "(" + ", ".join("?" * len(COLUMNS)) + ")"
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    if whole:
        flat = list(chain.from_iterable(rows[:whole]))
        size = ROWS_PER_INSERT * len(COLUMNS)
        cursor.executemany(
            head + ", ".join([one] * ROWS_PER_INSERT),
            [flat[i : i + size] for i in range(0, len(flat), size)],
        )
    if whole < len(rows):
        cursor.executemany(head + one, rows[whole:])


def _copy_text(rows: list[tuple]) -> str:
    """The rows in COPY's text format: numbers as repr writes them (exact), NULL as \\N."""
    names: dict[str, str] = {}
    lines = []
    for dossier_id, column, value, text in rows:
        name = names.get(column)
        if name is None:
            name = names[column] = column.translate(_COPY_ESCAPES)
        number = "\\N" if value is None else repr(float(value))
        text = "\\N" if text is None else text.translate(_COPY_ESCAPES)
        lines.append(f"{dossier_id}\t{name}\t{number}\t{text}\n")
    return "".join(lines)
