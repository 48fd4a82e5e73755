"""The one number reader every entry point uses, and the engine refusing what it refuses."""

import math

import numpy as np
import pandas as pd
import pytest

from emulation.scoring import ValuesError, score
from emulation.scoring.numbers import MAX_MAGNITUDE, NumberRefused, read_number
from tests.scoring.helpers import indicator, make_rules

RULES = make_rules(indicator("HOP", "steps", 5, "{ steps = [[2, 5], [1, 2]] }"))


@pytest.mark.parametrize(
    ("text", "typed", "number"),
    [
        ("99,5", True, 99.5),
        ("1.234,5", True, 1234.5),
        ("2.000", True, 2000.0),
        ("2.000", False, 2.0),
        ("0.750", True, 0.75),
        (" -3 ", True, -3.0),
        ("1e-05", False, 1e-05),
        ("", True, None),
        (None, True, None),
        (12, True, 12.0),
    ],
)
def test_reads_numbers_the_vietnamese_and_the_machine_way(text, typed, number):
    assert read_number(text, typed=typed) == number


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "not_finite"),
        ("-Infinity", "not_finite"),
        ("NaN", "not_finite"),
        ("1e400", "not_a_number"),  # a person types no exponent
        ("1" * 400, "too_large"),
        ("99999999999999999", "too_large"),
        ("١٢٣", "not_a_number"),  # Arabic-Indic digits
        ("１２", "not_a_number"),  # full-width digits
        ("1e6", "not_a_number"),
        (math.inf, "not_finite"),
        (10**20, "too_large"),
        (True, "not_a_number"),
    ],
)
def test_refuses_what_no_indicator_can_hold(value, reason):
    with pytest.raises(NumberRefused) as refused:
        read_number(value)
    assert refused.value.reason == reason


def test_a_file_may_not_hold_infinity_either():
    with pytest.raises(NumberRefused) as refused:
        read_number("1e400", typed=False)
    assert refused.value.reason == "not_finite"


@pytest.mark.parametrize("bad", [np.inf, -np.inf, MAX_MAGNITUDE * 10, "Infinity", "1" * 400])
def test_the_engine_refuses_naming_unit_and_indicator(bad):
    frame = pd.DataFrame(
        {"unit_code": ["DV-A", "DV-B"], "unit_name": ["A", "B"], "HOP": [2.0, bad]}
    )
    if isinstance(bad, str):
        frame["HOP"] = frame["HOP"].astype(str)
    with pytest.raises(ValuesError) as refused:
        score(RULES, frame)
    [problem] = refused.value.errors
    assert problem.column == "HOP" and "DV-B" in problem.message and problem.row == 3
