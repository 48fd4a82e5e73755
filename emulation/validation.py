"""Numbers and dates entering through the web and the API: one reader, messages naming the field.

Numbers are read by `scoring.numbers.read_number` (shared with imports and the engine);
typed dates and times must fall between EARLIEST and LATEST, so no later arithmetic on them
(grace periods, time zones) can overflow.
"""

from datetime import UTC, date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField

from .scoring.numbers import MAX_MAGNITUDE, NumberRefused, read_number

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)


def number_message(reason: str, label=None, value=None) -> LazyString:
    """The sentence for a refused number, naming the field (and what was typed).

    Lazy: an import run from the command line renders it later, in the language it chooses.
    """
    texts = {
        "not_finite": _l("%(field)s: enter an ordinary number (not infinity or NaN)."),
        "too_large": _l(
            "%(field)s: the number is too large; at most %(max)s in size.",
        ),
    }
    if reason in texts:
        text = texts[reason]
    elif isinstance(value, str) and value.strip():
        text = _l("%(field)s: “%(value)s” is not a number; enter for example 12 or 99,5.")
    else:
        text = _l("%(field)s: enter a number, for example 12 or 99,5.")
    shown = str(value)[:40] if value is not None else ""
    return LazyString(
        lambda: (
            str(text)
            % {"field": str(label or _l("Value")), "max": f"{MAX_MAGNITUDE:,.0f}", "value": shown}
        )
    )


def parse_field_number(text, label) -> float | None:
    """A typed number (None if blank); ValueError with a message naming `label` if refused."""
    try:
        return read_number(text)
    except NumberRefused as exc:
        raise ValueError(str(number_message(exc.reason, label, text))) from None


def date_in_range(value: date | datetime) -> bool:
    """Whether a typed date or instant lies between EARLIEST and LATEST."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        try:
            return EARLIEST <= aware <= LATEST
        except OverflowError:
            return False
    return EARLIEST.date() <= value <= LATEST.date()


def date_range_message(label) -> str:
    """'<field>: enter a date between 01/01/2000 and 31/12/2100.'"""
    return str(_l("%(field)s: enter a date between %(first)s and %(last)s.")) % {
        "field": str(label),
        "first": EARLIEST.strftime("%d/%m/%Y"),
        "last": LATEST.strftime("%d/%m/%Y"),
    }


def check_date_range(form, field) -> None:
    """WTForms validator: the field's date or time lies in the accepted range."""
    if field.data is not None and not date_in_range(field.data):
        from wtforms.validators import ValidationError

        raise ValidationError(date_range_message(field.label.text))


class IntField(IntegerField):
    """A whole number read by the shared reader (ASCII digits, finite, sane); data is an int."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        number = parse_field_number(valuelist[0], self.label.text)
        if number is None or not number.is_integer():
            message = str(_l("%(field)s: enter a whole number.")) % {"field": self.label.text}
            raise ValueError(message)
        self.data = int(number)
