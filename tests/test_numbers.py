"""One number formatter: pages, report files and form fields write numbers the same way."""

import pytest
from flask import session

from emulation.council.numbers import number_formatter
from emulation.dossiers.forms import format_number_input
from emulation.reports import fmt
from emulation.timefmt import format_number


@pytest.mark.parametrize(
    ("value", "page", "report", "field"),
    [
        (1234.5, "1.234,5", "1.234,5", "1234,5"),
        (-0.00001, "0", "0", "-0,00001"),
        (-2.5, "-2,5", "-2,5", "-2,5"),
        (8.8849, "8,8849", "8,88", "8,8849"),
        (1000000, "1.000.000", "1.000.000", "1000000"),
    ],
)
def test_vietnamese_numbers_agree_everywhere(app, value, page, report, field):
    with app.test_request_context("/"):
        session["lang"] = "vi"
        assert format_number(value) == number_formatter()(value) == page
        assert fmt.number(value) == report
        assert fmt.locale_number(2)(value) == report
        assert format_number_input(value) == field


def test_english_pages_use_english_symbols_and_reports_stay_vietnamese(app):
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert format_number(1234.5) == "1,234.5" and fmt.number(1234.5) == "1.234,5"
