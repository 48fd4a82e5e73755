"""A file's number column read in bulk reads every cell as the shared reader reads it."""

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from emulation.imports.bulk import read_numbers
from emulation.scoring.numbers import NumberRefused, read_number

CELLS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet="0123456789.,-+ eEinfa", max_size=16),
    st.from_regex(r"-?[0-9]{1,14}(\.[0-9]{1,14})?", fullmatch=True),
)


def _one(value):
    try:
        number = read_number(value, typed=False)
    except NumberRefused as exc:
        return "refused", exc.reason
    return "read", number


# A file's column: text only, mostly plain decimals (read a whole column at a time).
TEXTS = st.one_of(
    st.just(""),
    st.text(alphabet="0123456789.,-+\n\r e", max_size=8),
    st.from_regex(r"-?[0-9]{1,14}(\.[0-9]{1,14})?", fullmatch=True),
)


@given(st.lists(CELLS, max_size=30))
def test_bulk_reading_equals_the_shared_reader_cell_by_cell(cells):
    _check(cells)


@given(st.lists(TEXTS, min_size=1, max_size=30))
def test_a_text_column_reads_as_the_shared_reader_reads_each_cell(cells):
    _check(cells)


def _check(cells):
    numbers, refused = read_numbers(pd.Series(cells, dtype=object))
    reasons = {position: reason for position, _value, reason in refused}
    for i, cell in enumerate(cells):
        if i in reasons:
            got = ("refused", reasons[i])
        else:
            got = ("read", None if math.isnan(numbers[i]) else float(numbers[i]))
        assert got == _one(cell), cell
