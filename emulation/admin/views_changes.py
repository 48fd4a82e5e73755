"""Units that change mid-movement (renamed, merged, split): the record and the form to make one."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import STAFF_ROLES, now, roles_required
from ..extensions import db
from ..history.succession import SuccessionError, merge_units, rename_unit, split_unit
from ..models import Unit, UnitChange
from .forms import UnitChangeForm
from .views import bp


def _form() -> UnitChangeForm:
    form = UnitChangeForm()
    units = db.session.execute(db.select(Unit).order_by(Unit.code)).scalars()
    choices = [SelectChoice(str(u.id), f"{u.code} — {u.name}") for u in units]
    form.units.choices = choices
    form.successors.choices = choices
    return form


def _page(form: UnitChangeForm, status: int = 200):
    changes = db.session.execute(
        db.select(UnitChange).order_by(UnitChange.effective_on.desc(), UnitChange.id.desc())
    ).scalars()
    return render_template("admin/unit_changes.html", form=form, changes=list(changes)), status


def _apply(form: UnitChangeForm) -> None:
    """Make the change the form describes (the operation checks and explains)."""
    chosen = [db.session.get(Unit, int(i)) for i in form.units.data or []]
    successors = [db.session.get(Unit, int(i)) for i in form.successors.data or []]
    args = {"effective_on": form.effective_on.day, "user": current_user, "now": now()}
    if form.kind.data == "rename":
        if len(chosen) != 1:
            raise SuccessionError(_("Choose the one unit to rename."))
        rename_unit(chosen[0], form.new_name.data or "", **args)
    elif form.kind.data == "merge":
        if len(successors) != 1:
            raise SuccessionError(_("Choose the one unit the others merge into."))
        merge_units(chosen, successors[0], **args)
    else:
        if len(chosen) != 1:
            raise SuccessionError(_("Choose the one unit that is split."))
        split_unit(chosen[0], successors, **args)


@bp.route("/unit-changes", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def unit_changes():
    """Rename, merge or split units from a date; successors carry dossiers and history."""
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 422 if form.errors else 200)
    try:
        _apply(form)
    except SuccessionError as exc:
        db.session.rollback()
        form.kind.errors = [*form.kind.errors, str(exc.message)]
        return _page(form, 422)
    db.session.commit()
    flash(_("The unit change is recorded."), "success")
    return redirect(url_for("admin.unit_changes"))
