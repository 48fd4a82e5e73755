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

from .scoring.texts import NESTED, SCOPE_SEPARATOR, SEPARATOR, STEP_SEPARATOR, identify
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
    "tie.where_overall": _l("overall"),
    "tie.scope_cluster": _l("cluster"),
    "tie.scope_kind": _l("kind of candidate (collective, individual)"),
    "tie.by_bonus": _l("more bonus points"),
    "tie.by_penalty": _l("fewer penalty points"),
    "tie.by_submitted_at": _l("earlier submission"),
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
    "tie.shared": lambda a: _(
        "Ranked by total points, highest first, %(where)s; equal totals share a rank and the"
        " next rank is skipped (e.g. 1, 2, 2, 4). Excluded candidates (disqualifying faults,"
        " refused late dossiers) are not ranked.",
        **a,
    ),
    "tie.chain": lambda a: _(
        "Ranked by total points, highest first, %(where)s; on equal totals, in turn: %(steps)s;"
        " if still equal, they share a rank (e.g. 1, 2, 2, 4). Excluded candidates"
        " (disqualifying faults, refused late dossiers) are not ranked.",
        **a,
    ),
    "tie.where_groups": lambda a: _("within each %(scope)s and overall", **a),
    "tie.by_group": lambda a: _("more points in group '%(name)s'", **a),
    "tie.by_indicator": lambda a: _("more points in indicator '%(name)s'", **a),
    "rounding.exact": lambda a: _(
        "Indicator, group, bonus, penalty and total points are shown rounded to %(decimals)s"
        " decimals (half up); sums add the unrounded points. Index values are rounded to"
        " %(index_decimals)s decimals.",
        **a,
    ),
    "rounding.rounded_items": lambda a: _(
        "Each indicator's points are rounded to %(decimals)s decimals (half up) before they are"
        " added into group, bonus, penalty and total points. Index values are rounded to"
        " %(index_decimals)s decimals.",
        **a,
    ),
}


def _joiner(separator: str | None) -> str:
    return {STEP_SEPARATOR: _(", then "), SCOPE_SEPARATOR: _(" and ")}.get(separator, SEPARATOR)

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
    if SEPARATOR in text and (found is None or found[0] not in NESTED):
        # several messages joined, unless the separator is inside one message's argument
        parts = text.split(SEPARATOR)
        if found is None or all(identify(part) for part in parts):
            return SEPARATOR.join(engine_text(part) for part in parts)
    if found is None:
        return text
    message_id, args = found
    for name, separator in NESTED.get(message_id, {}).items():
        if separator is None or separator == SEPARATOR:
            args[name] = engine_text(args[name])
        else:
            parts = args[name].split(separator)
            args[name] = _joiner(separator).join(engine_text(part) for part in parts)
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
