"""Plan pages: the plan (enter, import), an activity with its reports, the calendar."""

from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import COUNCIL_ROLES, STAFF_ROLES, now, roles_required
from ..evidence import UploadRefused
from ..evidence.backends import evidence_store
from ..evidence.download import blob_response
from ..evidence.messages import refusal_text
from ..extensions import db
from ..models import UNIT_ROLES, Candidate, Movement, PlanActivity, PlanReport, Unit
from . import operations as ops
from .forms import ActivityForm, ImportForm, ProgressForm
from .ics import movement_calendar
from .importing import PlanImportError, read_plan, template_workbook
from .queries import activities_of, overdue_activities

bp = Blueprint("plan", __name__)
ALL_ROLES = (*UNIT_ROLES, *COUNCIL_ROLES)


@bp.app_template_global()
def plan_overdue(unit=None) -> list[PlanActivity]:
    """Overdue activities for the home pages: a unit's own, or every one (council)."""
    return overdue_activities(now(), unit)


def _movement(movement_id: int) -> Movement:
    return db.session.get(Movement, movement_id) or abort(404)


def _units(movement: Movement) -> list[Unit]:
    return list(
        db.session.execute(
            db.select(Unit)
            .join(Candidate, Candidate.unit_id == Unit.id)
            .where(Candidate.movement_id == movement.id, Candidate.kind == "collective")
            .order_by(Unit.code)
        ).scalars()
    )


def _activity_form(movement: Movement) -> ActivityForm:
    form = ActivityForm()
    choices = [SelectChoice(str(u.id), f"{u.code} — {u.name}") for u in _units(movement)]
    form.lead_unit.choices = [SelectChoice("", _("— choose —")), *choices]
    form.coordinators.choices = choices
    return form


def _visible(activity: PlanActivity) -> PlanActivity:
    """Unit users see only activities their unit leads or coordinates (403 otherwise)."""
    if current_user.is_unit_user:
        involved = {activity.lead_unit_id} | {c.unit_id for c in activity.coordinators}
        if current_user.unit_id not in involved:
            abort(403)
    return activity


@bp.route("/plan")
@roles_required(*ALL_ROLES)
def index():
    """Every movement with links to its plan, registration and calendar."""
    from ..registration.operations import RegistrationWindow

    movements = db.session.execute(
        db.select(Movement).order_by(Movement.created_at.desc(), Movement.id.desc())
    ).scalars()
    rows = [(m, RegistrationWindow.for_movement(m)) for m in movements]
    return render_template("plan/index.html", rows=rows, now=now())


@bp.route("/movements/<int:movement_id>/plan")
@roles_required(*ALL_ROLES)
def plan_page(movement_id: int):
    """The plan: a unit sees the activities it takes part in; the secretariat edits it."""
    movement = _movement(movement_id)
    unit = current_user.unit if current_user.is_unit_user else None
    staff = current_user.role in STAFF_ROLES
    return render_template(
        "plan/plan.html",
        movement=movement,
        activities=activities_of(movement, unit),
        form=_activity_form(movement) if staff else None,
        import_form=ImportForm() if staff else None,
        problems=[],
        now=now(),
    )


@bp.route("/movements/<int:movement_id>/plan/activities", methods=["POST"])
@roles_required(*STAFF_ROLES)
def add_activity(movement_id: int):
    """The secretariat adds one activity."""
    movement = _movement(movement_id)
    form = _activity_form(movement)
    if not form.validate_on_submit():
        return _plan_again(movement, form, ImportForm(), []), 422
    ops.add_activity(movement, _form_input(form, movement), user=current_user, now=now())
    db.session.commit()
    flash(_("Activity added to the plan."), "success")
    return redirect(url_for(".plan_page", movement_id=movement.id))


def _plan_again(movement, form, import_form, problems):
    return render_template(
        "plan/plan.html",
        movement=movement,
        activities=activities_of(movement),
        form=form,
        import_form=import_form,
        problems=problems,
        now=now(),
    )


def _form_input(form: ActivityForm, movement: Movement) -> ops.ActivityInput:
    units = {str(u.id): u for u in _units(movement)}
    return ops.ActivityInput(
        number=form.number.data or "",
        title=form.title.data,
        lead_unit=units[form.lead_unit.data],
        coordinators=[units[i] for i in form.coordinators.data or [] if i in units],
        starts_on=form.starts_on.day,
        due_on=form.due_on.day,
        expected_output=form.expected_output.data or "",
    )


@bp.route("/plan/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit_activity(activity_id: int):
    """The secretariat corrects an activity, or deletes one entered by mistake."""
    activity = db.session.get(PlanActivity, activity_id) or abort(404)
    form = _activity_form(activity.movement)
    if form.validate_on_submit():
        ops.update_activity(
            activity, _form_input(form, activity.movement), user=current_user, now=now()
        )
        db.session.commit()
        flash(_("Activity updated."), "success")
        return redirect(url_for(".activity_page", activity_id=activity.id))
    if request.method == "GET":
        local = activity.due_at.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
        form.number.data = activity.number
        form.title.data = activity.title
        form.lead_unit.data = str(activity.lead_unit_id)
        form.coordinators.data = [str(c.unit_id) for c in activity.coordinators]
        form.starts_on.data = activity.starts_on.strftime("%d/%m/%Y") if activity.starts_on else ""
        form.due_on.data = local.strftime("%d/%m/%Y")
        form.expected_output.data = activity.expected_output
    status = 422 if request.method == "POST" else 200
    return render_template("plan/edit.html", activity=activity, form=form), status


@bp.route("/plan/activities/<int:activity_id>/delete", methods=["POST"])
@roles_required(*STAFF_ROLES)
def delete_activity(activity_id: int):
    """Delete an activity without progress reports."""
    activity = db.session.get(PlanActivity, activity_id) or abort(404)
    movement_id = activity.movement_id
    if activity.reports:
        flash(_("An activity with progress reports cannot be deleted."), "error")
        return redirect(url_for(".activity_page", activity_id=activity.id))
    ops.delete_activity(activity, user=current_user, now=now())
    db.session.commit()
    flash(_("Activity deleted."), "success")
    return redirect(url_for(".plan_page", movement_id=movement_id))


@bp.route("/movements/<int:movement_id>/plan/import", methods=["POST"])
@roles_required(*STAFF_ROLES)
def import_plan(movement_id: int):
    """Import activities from XLSX: all rows or, if any row is bad, none (every error listed)."""
    movement = _movement(movement_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _plan_again(movement, _activity_form(movement), form, []), 422
    try:
        rows = read_plan(form.file.data.read())
    except PlanImportError as exc:
        flash(_("Nothing was imported: correct the rows listed below and upload again."), "error")
        return _plan_again(movement, _activity_form(movement), form, exc.problems), 422
    ops.import_activities(movement, rows, user=current_user, now=now())
    db.session.commit()
    flash(_("%(n)d activities imported.", n=len(rows)), "success")
    return redirect(url_for(".plan_page", movement_id=movement.id))


@bp.route("/movements/<int:movement_id>/plan/template.xlsx")
@roles_required(*STAFF_ROLES)
def import_template(movement_id: int):
    """A workbook to fill in and import, naming the movement's units as examples."""
    movement = _movement(movement_id)
    data = template_workbook([u.code for u in _units(movement)])
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{movement.code}-ke-hoach.xlsx"'},
    )


@bp.route("/plan/activities/<int:activity_id>", methods=["GET", "POST"])
@roles_required(*ALL_ROLES)
def activity_page(activity_id: int):
    """An activity with its reports; the lead unit reports progress here."""
    activity = _visible(db.session.get(PlanActivity, activity_id) or abort(404))
    is_lead = current_user.is_unit_user and current_user.unit_id == activity.lead_unit_id
    form = ProgressForm()
    if request.method == "POST":
        if not is_lead:
            abort(403)
        if form.validate_on_submit():
            stored = None
            upload = form.file.data
            if upload and upload.filename:
                try:
                    stored = evidence_store().store(
                        upload.stream,
                        upload.filename,
                        max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
                    )
                except UploadRefused as exc:
                    flash(refusal_text(exc) + " " + _("Nothing was saved."), "error")
                    return _activity(activity, form, is_lead), 422
            ops.report_progress(
                activity,
                progress=int(form.progress.number or 0),
                done=form.done.data,
                note=form.note.data or "",
                stored=stored,
                user=current_user,
                now=now(),
            )
            db.session.commit()
            flash(_("Progress report saved."), "success")
            return redirect(url_for(".activity_page", activity_id=activity.id))
        return _activity(activity, form, is_lead), 422
    return _activity(activity, form, is_lead)


def _activity(activity, form, is_lead):
    return render_template(
        "plan/activity.html", activity=activity, form=form, is_lead=is_lead, now=now()
    )


@bp.route("/plan/reports/<int:report_id>/file")
@roles_required(*ALL_ROLES)
def report_file(report_id: int):
    """Download the evidence file of a progress report."""
    report = db.session.get(PlanReport, report_id) or abort(404)
    _visible(report.activity)
    if not report.sha256:
        abort(404)
    try:
        return blob_response(
            report.sha256, mimetype=report.content_type, download_name=report.file_name
        )
    except FileNotFoundError:
        abort(404)


@bp.route("/movements/<int:movement_id>/calendar.ics")
@roles_required(*ALL_ROLES)
def calendar(movement_id: int):
    """The movement's deadlines and due dates; a unit gets its own, the council any (?unit=)."""
    from ..registration.operations import RegistrationWindow

    movement = _movement(movement_id)
    unit = None
    if current_user.is_unit_user:
        unit = current_user.unit
    elif request.args.get("unit"):
        unit = db.session.execute(
            db.select(Unit).filter_by(code=request.args["unit"])
        ).scalar_one_or_none() or abort(404)
    window = RegistrationWindow.for_movement(movement)
    body = movement_calendar(
        movement,
        registration_deadline=window.deadline if window else None,
        unit=unit,
        now=now(),
    )
    name = f"{movement.code}-{unit.code}.ics" if unit else f"{movement.code}.ics"
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
