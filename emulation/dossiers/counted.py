"""Values counted from the evidence rather than typed: the share of PDFs validly signed."""

from __future__ import annotations

from ..evidence.sniff import PDF
from ..extensions import db
from ..models import Dossier
from .operations import set_values


def counted_indicators(rules) -> list:
    """Ratio indicators whose a/b the rule file has counted from the evidence."""
    return [
        item
        for item in rules.indicators
        if item.method == "ratio" and getattr(item.config, "count_from_evidence", None)
    ]


def counted_columns(rules) -> set[str]:
    """The VALUES columns the system fills itself (never taken from the form)."""
    return {f"{item.code}_{part}" for item in counted_indicators(rules) for part in "ab"}


def counted_values(dossier: Dossier, rules) -> dict[str, float]:
    """a = PDFs of the indicator's criterion with a valid signature, b = its PDFs."""
    values = {}
    for item in counted_indicators(rules):
        pdfs = [
            e for e in dossier.evidence
            if e.criterion_code == item.criterion_code and e.content_type == PDF
        ]
        values[f"{item.code}_a"] = float(sum(e.signature_verdict == "valid" for e in pdfs))
        values[f"{item.code}_b"] = float(len(pdfs))
    return values


def recount(dossier: Dossier, rules) -> None:
    """Write the counted values into the dossier (after files were added or removed)."""
    if not counted_indicators(rules):
        return
    db.session.flush()
    db.session.expire(dossier, ["evidence"])  # a file just removed must not count
    set_values(dossier, counted_values(dossier, rules))
