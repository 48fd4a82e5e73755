"""Many indicator values written at once: the driver's bulk path, without per-row ORM work.

PostgreSQL takes them through COPY; other databases through one prepared statement run for
every row (executemany). The rows join the session's transaction, so a failure later in the
import rolls them back with everything else.
"""

import numpy as np
import pandas as pd
from sqlalchemy import insert

from ..extensions import db
from ..models import IndicatorValue
from ..scoring.numbers import NumberRefused, read_number

COLUMNS = ("dossier_id", "column", "value", "text_value")
# Plain decimals, the bulk of any file: read by numpy; anything else by the shared reader.
PLAIN = r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?"


def read_numbers(column: pd.Series) -> tuple[np.ndarray, list[tuple[int, object, str]]]:
    """A file's column as float64 (blank: NaN), and the refused cells (position, value, reason).

    Every cell reads exactly as `read_number(value, typed=False)` reads it.
    """
    raw = column.to_numpy(dtype=object)
    numbers = np.full(len(raw), np.nan)
    is_text = np.array([type(v) is str for v in raw], dtype=bool)
    plain = np.zeros(len(raw), dtype=bool)
    if is_text.any():
        texts = pd.Series(raw[is_text], dtype=object)
        plain[is_text] = texts.str.fullmatch(PLAIN).to_numpy(dtype=bool)
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
                for row in rows:
                    copy.write_row(row)
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
