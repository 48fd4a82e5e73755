"""Numbers typed the Vietnamese way (and the English way) are read as meant."""

import pytest

from emulation.dossiers.forms import format_number_input, parse_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12", 12.0),
        ("99,5", 99.5),
        ("99.5", 99.5),
        ("0,85", 0.85),
        ("2.000", 2000.0),
        ("1.234.567", 1234567.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("-3", -3.0),
        ("12345,678", 12345.678),
    ],
)
def test_parse_number(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "12a", "", "1..2", "1e6"])
def test_not_a_number(typed):
    assert parse_number(typed) is None


@pytest.mark.parametrize("value", [1234567.0, 12345.678, 0.85, 99.5, 30.0, 0.0001])
def test_written_back_and_read_again_unchanged(value):
    assert parse_number(format_number_input(value)) == value
    assert "e" not in format_number_input(value)
