"""The engine's full explanation of a candidate, written in the reader's language.

The engine's own summary is Vietnamese sentences for its command line and the record; pages
build the same lines from the structured explanation, through the Babel catalogue.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .engine_text import engine_text, instant, method_label
from .timefmt import format_number


def _num(value) -> str:
    return "—" if value is None else format_number(value)


def _shown_value(ind: dict) -> str:
    """What the unit reported for an indicator, as the engine read it."""
    inputs = ind.get("inputs") or {}
    if ind.get("weights"):
        weights, scales = ind["weights"], ind.get("scales") or {}
        parts = []
        for column, value in inputs.items():
            scale = scales.get(column, 1)
            shown = _num(value) + (f"/{_num(scale)}" if scale != 1 else "")
            parts.append(
                _("%(column)s=%(value)s × weight %(weight)s",
                  column=column, value=shown, weight=_num(weights[column]))  # fmt: skip
            )
        return _(
            "%(parts)s (index = Σ value × weight / %(total)s = %(raw)s)",
            parts="; ".join(parts), total=_num(sum(weights.values())), raw=_num(ind.get("raw")),
        )  # fmt: skip
    if ind.get("input_unit") == "%":
        value = next(iter(inputs.values()), None)
        return "—" if value is None else f"{_num(value)} %"
    raw_text = ind.get("raw_text")
    shown = raw_text if raw_text is not None else _num(ind.get("raw"))
    labels = ind.get("labels") or {}
    if raw_text is not None and raw_text in labels:
        shown = f"{labels[raw_text]} ({raw_text})"
    if len(inputs) > 1:
        parts = ", ".join(f"{k}={_num(v)}" for k, v in inputs.items())
        shown = _("%(parts)s (value %(value)s)", parts=parts, value=shown)
    return shown


def _submission(e: dict) -> list[str]:
    submitted = instant(e["submitted_at"]) if e.get("submitted_at") else _("time unknown")
    if e.get("round") is None:
        timing = _("no deadline considered (no round given)")
    else:
        deadline = instant(e["round"]["deadline"])
        timing = (_("on time (deadline %(deadline)s)", deadline=deadline) if e["on_time"]
                  else _("LATE (deadline %(deadline)s)", deadline=deadline))  # fmt: skip
    complete = (_("complete") if e["complete"]
                else _("INCOMPLETE (data or documents missing)"))  # fmt: skip
    return [
        _("Submitted: %(when)s — %(timing)s", when=submitted, timing=timing),
        _("Dossier and data: %(state)s", state=complete),
    ]


def _awards(e: dict) -> list[str]:
    if e.get("award"):
        return [_("Proposed award: %(name)s", name=e["award"]["name"])]
    if not e.get("awards"):
        return [_("Proposed award: none (the rules define no award)")]
    lines = [_("Proposed award: none")]
    lines += [f"  {a['name']}: {engine_text(a['status'])}" for a in e["awards"]]
    return lines


def explanation_lines(e: dict) -> list[str]:
    """The explanation as short sentences in the reader's language (indented lines start with
    two spaces, as in the engine's summary)."""
    lines = [
        _("Unit %(code)s – %(name)s (%(cluster)s)", code=e["unit_code"], name=e["unit_name"],
          cluster=e.get("cluster") or _("no cluster")),  # fmt: skip
        _("Rules: %(source)s (hash %(hash)s…)", source=e["rules"]["source"],
          hash=e["rules"]["content_hash"][:12]),  # fmt: skip
        *_submission(e),
    ]
    for group in e["groups"]:
        lines.append(_("Group %(code)s – %(name)s: %(points)s/%(max)s points", code=group["code"],
                       name=group["name"], points=_num(group["points"]),
                       max=_num(group["max_points"])))  # fmt: skip
        for criterion in group["criteria"]:
            for ind in criterion["indicators"]:
                note = f" — {engine_text(ind['note'])}" if ind.get("note") else ""
                line = _(
                    "%(code)s %(name)s: reported %(value)s → %(points)s/%(max)s points"
                    " (%(method)s)",
                    code=ind["code"], name=ind["name"], value=_shown_value(ind),
                    points=_num(ind["points"]), max=_num(ind["max_points"]),
                    method=method_label(ind["method"]),
                )  # fmt: skip
                lines.append(f"  {line}{note}")
    for key, word in (("bonus", _("Bonus points")), ("penalty", _("Penalty points"))):
        part = e[key]
        cap = _(" (at most %(cap)s)", cap=_num(part["cap"])) if part.get("cap") is not None else ""
        lines.append(f"{word}: {_num(part['points'])}{cap}")
        for item in part["items"]:
            lines.append("  " + _("%(code)s %(name)s: %(points)s points", code=item["code"],
                                  name=item["name"], points=_num(item["points"])))  # fmt: skip
    lines.append(_("Total: %(total)s/%(max)s", total=_num(e["total"]), max=_num(e["max_total"])))
    if e["disqualified"]:
        reasons = "; ".join(engine_text(d["reason"]) for d in e["disqualifiers"])
        lines.append(_("Excluded: %(reasons)s", reasons=reasons))
    else:
        if e.get("bands_defined"):
            band = e["band"]["name"] if e.get("band") else _("no band reached")
            lines.append(_("Band: %(band)s", band=band))
        lines.append(_("Rank in %(group)s: %(rank)s; overall rank: %(overall)s",
                       group=e["ranking_group"], rank=e["rank_in_group"],
                       overall=e["rank_overall"]))  # fmt: skip
    lines += _awards(e)
    lines.append(engine_text(e["tie_policy"]))
    lines.append(engine_text(e["rounding"]))
    return lines
