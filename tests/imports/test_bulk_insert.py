"""Values written in bulk read back exactly, in order, whatever their digits or characters."""

import math

from emulation.extensions import db
from emulation.imports.bulk import ROWS_PER_INSERT, insert_values
from emulation.models import IndicatorValue

NUMBERS = [0.1, 1e-05, -0.0, 123456789012.5, 2 / 3, 1e12, -7.0, 5e-324, 0.30000000000000004]
TEXTS = ["Thủ trưởng", "a\tb", "back\\slash", "line\nbreak", "cr\rlf", "\\N", "\\.", " x "]


def test_bulk_rows_read_back_exactly_in_insertion_order(app, make):
    movement = make.movement()
    dossiers = [
        make.dossier(movement.rounds[0], make.candidate(movement, make.unit())) for _ in range(3)
    ]
    rows = []
    for d in dossiers:
        for i in range(ROWS_PER_INSERT - 7):  # batches of many rows and a remainder
            if i % 5 == 4:
                rows.append((d.id, f"C{i}", None, TEXTS[i % len(TEXTS)]))
            else:
                rows.append((d.id, f"C{i}", NUMBERS[i % len(NUMBERS)] * (i + 1), None))
    insert_values(rows)
    db.session.flush()
    stored = db.session.execute(
        db.select(
            IndicatorValue.dossier_id,
            IndicatorValue.column,
            IndicatorValue.value,
            IndicatorValue.text_value,
        ).order_by(IndicatorValue.id)
    ).all()
    assert [tuple(r) for r in stored] == rows
    if db.engine.dialect.name == "postgresql":  # SQLite keeps no sign of zero, however written
        signs = [math.copysign(1, r.value) for r in stored if r.value is not None]
        assert signs == [math.copysign(1, r[2]) for r in rows if r[2] is not None]
