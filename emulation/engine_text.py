"""The rule engine's texts in the reader's language: each engine message id has a catalogue entry.

The engine writes Vietnamese (its command line's language) and knows nothing of Flask;
`scoring.texts.identify` gives back the id and arguments of any text it wrote, and this module
looks the id up in the Babel catalogue. Texts the engine did not write (a rule file's own
disqualifier reasons, band and award names) are the rule author's words and stay as written.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .scoring.texts import LISTS, SEPARATOR, identify
from .timefmt import format_datetime

MESSAGES = {
    "note.override": _l("points decided by the council"),
    "note.missing": _l("no data, counted as 0 points"),
    "note.manual_pending": _l("no council points yet, counted as 0 points"),
    "note.not_computable": _l(
        "cannot be computed (missing data or division by 0), counted as 0 points"
    ),
    "note.zero_denominator": _l("the denominator is 0"),
    "note.below_floor": _l("below the minimum threshold, counted as 0 points"),
    "note.negative": _l("negative result, counted as 0 points"),
    "note.capped": _l("above the maximum, counted as the maximum"),
    "note.no_target": _l("the unit registered no target, counted as 0 points"),
    "tier.other_round": _l("not considered in this round"),
    "tier.proposed": _l("proposed"),
    "tier.higher_tier": _l("already proposed for a higher award"),
    "tier.outside_quota": _l("eligible, but outside the number of awards allowed"),
    "tier.not_for_kind": _l("this award is not for this kind of candidate"),
    "tier.incomplete": _l("dossier or data incomplete"),
    "tier.late": _l("dossier submitted late"),
}
# Messages with arguments are translated when shown, with their arguments filled in.
_WITH_ARGUMENTS = {
    "late.refused": lambda a: _(
        "Submitted late (deadline %(deadline)s, grace window ended %(closes_at)s)", **a
    ),
    "late.refused_no_grace": lambda a: _("Submitted late (deadline %(deadline)s)", **a),
    "tier.ineligible": lambda a: _("not eligible: %(reasons)s", **a),
    "tier.disqualified": lambda a: _("excluded: %(reasons)s", **a),
    "tier.band_below": lambda a: _("band below '%(band)s'", **a),
    "tier.total_below": lambda a: _("total below %(total)s", **a),
}

METHOD_LABELS = {
    "ratio": _l("share of the target"),
    "steps": _l("by level reached"),
    "choice": _l("by the option chosen"),
    "relative": _l("compared with the best unit"),
    "count": _l("points per item"),
    "boolean": _l("yes / no"),
    "manual": _l("given by the council"),
    "index": _l("weighted index"),
    "formula": _l("formula"),
    "target_ratio": _l("share of the registered target"),
}


def engine_text(text) -> str:
    """An engine note, refusal reason or award status in the reader's language."""
    if not text:
        return "" if text is None else str(text)
    text = str(text)
    found = identify(text)
    if found is None:
        if SEPARATOR in text:
            return SEPARATOR.join(engine_text(part) for part in text.split(SEPARATOR))
        return text
    message_id, args = found
    if message_id in LISTS:
        args = {"reasons": engine_text(args["reasons"])}
    if message_id in _WITH_ARGUMENTS:
        return _WITH_ARGUMENTS[message_id](args)
    return str(MESSAGES[message_id])


def method_label(method: str) -> str:
    """A scoring method's name for people ('by level reached', not 'steps')."""
    label = METHOD_LABELS.get(method)
    return str(label) if label is not None else method


def instant(value) -> str:
    """An instant given as an ISO string or a datetime, as dd/mm/yyyy HH:MM local time."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return format_datetime(value)


def init_app(app) -> None:
    """Register the template filters."""
    app.jinja_env.filters["engine_text"] = engine_text
    app.jinja_env.filters["method_label"] = method_label
    app.jinja_env.filters["instant"] = instant
