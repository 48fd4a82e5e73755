"""A unit's page and the read-only view of one dossier."""

from flask import Blueprint, render_template
from flask_login import login_required

from ..access import get_dossier, get_unit, now
from ..council.state import active_snapshot
from ..dossiers.fields import all_value_fields
from ..dossiers.scoring import rules_of
from ..history.operations import awards_of
from ..queries import unit_rounds
from ..standings.outcome import decided_rounds, unit_outcome

bp = Blueprint("units", __name__)


@bp.route("/units/<code>")
@login_required
def unit_page(code: str):
    """The unit's rounds and dossiers (its own users and the council only)."""
    unit = get_unit(code)
    rows = unit_rounds(unit)
    decided = decided_rounds({r.round for r in rows})
    return render_template("units/unit.html", unit=unit, rows=rows, now=now(), decided=decided)


@bp.route("/units/<code>/awards")
@login_required
def awards(code: str):
    """The titles and awards of the unit and of its people, by year (predecessors' too)."""
    unit = get_unit(code)
    records = awards_of(unit)
    years = sorted({r.year for r in records}, reverse=True)
    return render_template("units/awards.html", unit=unit, records=records, years=years)


@bp.route("/dossiers/<int:dossier_id>")
@login_required
def dossier_page(dossier_id: int):
    """A dossier's values and submitted versions."""
    dossier = get_dossier(dossier_id)
    labels = {f.column: f for f in all_value_fields(rules_of(dossier.round))}
    return render_template(
        "units/dossier.html",
        dossier=dossier,
        labels=labels,
        now=now(),
        frozen=active_snapshot(dossier.round),
        outcome=unit_outcome(dossier),
    )
