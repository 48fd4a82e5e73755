"""Administration pages: clusters, units and accounts, for the secretariat and administrators."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import STAFF_ROLES, now, role_label, roles_required
from ..actions import committed, under
from ..extensions import db
from ..folding import matches
from ..imports.users import one_time_password
from ..models import ROLES, Cluster, Movement, Unit, User
from ..operations import OperationError, create_user
from . import operations as ops
from .forms import ButtonForm, ClusterForm, UnitForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def error_text(code: str) -> str:
    """The user's-language message for an OperationError code of these pages."""
    return {
        "cluster_code_taken": _("Another cluster already has this code."),
        "cluster_has_units": _("The cluster still has active units: move or retire them first."),
        "unit_code_taken": _("Another unit already has this code."),
        "movement_has_dossier": _(
            "The unit already has a dossier in a movement you unticked; it stays enrolled."
        ),
        "admin_only": _("Only an administrator may create or change administrator accounts."),
        "unit_needed": _("A unit officer or unit head needs a unit."),
        "own_role": _("You cannot change your own role."),
        "own_account": _("You cannot deactivate your own account."),
        "username_taken": _("This username is already taken."),
    }.get(code, code)


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    """Counts and links to each administration page."""

    def count(model, *where):
        """How many rows of `model` match."""
        return db.session.scalar(db.select(db.func.count()).select_from(model).where(*where))

    return render_template(
        "admin/index.html",
        clusters=count(Cluster, Cluster.active.is_(True)),
        units=count(Unit, Unit.active.is_(True)),
        users=count(User, User.active.is_(True)),
    )


@bp.route("/clusters", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def clusters():
    """Every cluster with its number of units; a form to add one."""
    form = ClusterForm()
    if form.validate_on_submit():
        created = _("Cluster %(code)s created.", code=form.code.data)
        with committed(created, refused=OperationError, explain=_explain,
                       show=under(form.code)) as outcome:  # fmt: skip
            ops.save_cluster(None, code=form.code.data.strip(), name=form.name.data.strip(),
                             actor=current_user, now=now())  # fmt: skip
        if outcome.ok:
            return redirect(url_for("admin.clusters"))
    rows = db.session.execute(db.select(Cluster).order_by(Cluster.code)).scalars().all()
    status = 422 if form.errors else 200
    return render_template(
        "admin/clusters.html", clusters=rows, form=form, button=ButtonForm()
    ), status


def _explain(exc: OperationError) -> str:
    return error_text(exc.code)


def _load(model, object_id: int):
    return db.session.get(model, object_id) or abort(404)


@bp.route("/clusters/<int:cluster_id>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def cluster_edit(cluster_id: int):
    """Rename a cluster or change its code."""
    cluster = _load(Cluster, cluster_id)
    form = ClusterForm(obj=cluster)
    if form.validate_on_submit():
        with committed(_("Saved."), refused=OperationError, explain=_explain,
                       show=under(form.code)) as outcome:  # fmt: skip
            ops.save_cluster(cluster, code=form.code.data.strip(), name=form.name.data.strip(),
                             actor=current_user, now=now())  # fmt: skip
        if outcome.ok:
            return redirect(url_for("admin.clusters"))
    title = _("Cluster %(code)s", code=cluster.code)
    return render_template("admin/form.html", form=form, title=title,
                           back=url_for("admin.clusters")), 422 if form.errors else 200  # fmt: skip


@bp.route("/<any(clusters, units, users):kind>/<int:object_id>/active", methods=["POST"])
@roles_required(*STAFF_ROLES)
def set_active(kind: str, object_id: int):
    """Retire (deactivate) or restore a cluster, unit or account."""
    model, setter = {
        "clusters": (Cluster, ops.set_cluster_active),
        "units": (Unit, ops.set_unit_active),
        "users": (User, ops.set_user_active),
    }[kind]
    obj = _load(model, object_id)
    if ButtonForm().validate_on_submit():
        active = request.form.get("active") == "1"
        done = _("Restored.") if active else _("Deactivated.")
        with committed(done, refused=OperationError, explain=_explain):
            setter(obj, active, actor=current_user, now=now())
    return redirect(url_for(f"admin.{kind}"))


def _unit_choices(form: UnitForm) -> None:
    clusters = db.session.execute(db.select(Cluster).order_by(Cluster.code)).scalars()
    form.cluster.choices = [SelectChoice("", _("— no cluster —"))] + [
        SelectChoice(str(c.id), f"{c.code} — {c.name}") for c in clusters if c.active
    ]
    form.movements.choices = [
        SelectChoice(str(m.id), m.name)
        for m in db.session.execute(db.select(Movement).order_by(Movement.id.desc())).scalars()
    ]


@bp.route("/units", methods=["GET"])
@roles_required(*STAFF_ROLES)
def units():
    """Units, filtered by text (diacritics ignored) and cluster; retired ones on request."""
    query = db.select(Unit).order_by(Unit.code)
    text = request.args.get("q", "").strip()[:100]
    cluster_id = id_arg("cluster")
    if cluster_id is not None:
        query = query.where(Unit.cluster_id == cluster_id)
    if request.args.get("inactive") != "1":
        query = query.where(Unit.active.is_(True))
    rows = [u for u in db.session.execute(query).scalars() if matches(text, u.code, u.name)]
    clusters = db.session.execute(db.select(Cluster).order_by(Cluster.code)).scalars().all()
    return render_template("admin/units.html", units=rows[:500], q=text, button=ButtonForm(),
                           clusters=clusters, cluster_id=cluster_id)  # fmt: skip


def id_arg(name: str) -> int | None:
    """A row id from the query string; None when absent or not a sensible whole number."""
    text = request.args.get(name, "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


@bp.route("/units/new", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def unit_edit(unit_id: int | None):
    """Create or change a unit: code, name, cluster and movements."""
    unit = _load(Unit, unit_id) if unit_id is not None else None
    form = UnitForm(obj=unit)
    _unit_choices(form)
    if request.method == "GET" and unit is not None:
        form.cluster.data = str(unit.cluster_id) if unit.cluster_id else ""
        form.movements.data = [
            str(c.movement_id)
            for c in db.session.execute(
                db.select(ops.Candidate).filter_by(unit_id=unit.id, kind="collective")
            ).scalars()
        ]
    if form.validate_on_submit():
        cluster = db.session.get(Cluster, int(form.cluster.data)) if form.cluster.data else None
        movements = [db.session.get(Movement, int(m)) for m in form.movements.data or []]
        field = under(lambda exc: form.code if exc.code == "unit_code_taken" else form.movements)
        with committed(refused=OperationError, explain=_explain, show=field) as outcome:
            saved = ops.save_unit(unit, code=form.code.data.strip(), name=form.name.data.strip(),
                                  cluster=cluster, movements=movements, actor=current_user,
                                  now=now(), headcount=form.headcount.data)  # fmt: skip
            outcome.message = _("Unit %(code)s saved.", code=saved.code)
        if outcome.ok:
            return redirect(url_for("admin.units"))
    title = _("Unit %(code)s", code=unit.code) if unit else _("New unit")
    return render_template("admin/form.html", form=form, title=title,
                           back=url_for("admin.units")), 422 if form.errors else 200  # fmt: skip


def _user_choices(form: UserForm, user: User | None) -> None:
    roles = ROLES if current_user.role == "admin" else tuple(r for r in ROLES if r != "admin")
    form.role.choices = [SelectChoice(r, role_label(r)) for r in roles]
    # A retired unit is offered only to the account that already belongs to it.
    keep = user.unit_id if user is not None else None
    active_units = db.session.execute(
        db.select(Unit).where(Unit.active.is_(True) | (Unit.id == keep)).order_by(Unit.code)
    ).scalars()
    form.unit.choices = [SelectChoice("", _("— none (council, secretariat, admin) —"))] + [
        SelectChoice(str(u.id), f"{u.code} — {u.name}") for u in active_units
    ]


@bp.route("/users")
@roles_required(*STAFF_ROLES)
def users():
    """Accounts, filtered by text (without regard to diacritics), role, unit and status."""
    query = db.select(User).order_by(User.username)
    text = request.args.get("q", "").strip()[:100]
    role, status, unit_id = (
        request.args.get("role", ""),
        request.args.get("status", ""),
        id_arg("unit"),
    )
    if role in ROLES:
        query = query.where(User.role == role)
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    if status in ("active", "inactive"):
        query = query.where(User.active.is_(status == "active"))
    rows = [
        u for u in db.session.execute(query).scalars() if matches(text, u.username, u.full_name)
    ]
    units = db.session.execute(db.select(Unit).order_by(Unit.code)).scalars().all()
    return render_template("admin/users.html", users=rows[:500], q=text, button=ButtonForm(),
                           roles=[(r, role_label(r)) for r in ROLES], units=units,
                           role=role, status=status, unit_id=unit_id)  # fmt: skip


@bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def user_edit(user_id: int | None):
    """Create or change an account; a new one without password gets a one-time password."""
    user = _load(User, user_id) if user_id is not None else None
    if user is not None and user.role == "admin" and current_user.role != "admin":
        abort(403)
    form = UserForm(obj=user)
    _user_choices(form, user)
    if user is not None:
        del form.username, form.password
        if request.method == "GET":
            form.unit.data = str(user.unit_id) if user.unit_id else ""
    if form.validate_on_submit():
        unit = db.session.get(Unit, int(form.unit.data)) if form.unit.data else None
        email = (form.email.data or "").strip() or None
        try:
            if user is None:
                ops.check_role_change(current_user, None, form.role.data)
                if ops.username_taken(form.username.data.strip()):
                    raise OperationError("username_taken")
                password = form.password.data or one_time_password()
                created = create_user(
                    username=form.username.data.strip(), password=password,
                    role=form.role.data, full_name=form.full_name.data.strip(), email=email,
                    unit=unit, now=now(), actor=current_user,
                    must_change_password=not form.password.data,
                )  # fmt: skip
                db.session.commit()
                if not form.password.data:
                    return _show_password(created, password)
                flash(_("Account %(name)s created.", name=created.username), "success")
            else:
                ops.update_user(user, full_name=form.full_name.data.strip(), email=email,
                                role=form.role.data, unit=unit, actor=current_user,
                                now=now())  # fmt: skip
                db.session.commit()
                flash(_("Saved."), "success")
            return redirect(url_for("admin.users"))
        except OperationError as exc:
            db.session.rollback()
            form.role.errors = [*form.role.errors, error_text(exc.code)]
    title = _("Account %(name)s", name=user.username) if user else _("New account")
    return render_template("admin/form.html", form=form, title=title, user=user,
                           button=ButtonForm(), back=url_for("admin.users")), (
        422 if form.errors else 200)  # fmt: skip


def _show_password(user: User, password: str):
    """The one-time password, on this page only (never stored in clear, never flashed)."""
    response = render_template("admin/password.html", user=user, password=password)
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required(*STAFF_ROLES)
def user_password(user_id: int):
    """Give the account a new one-time password, shown once."""
    user = _load(User, user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    password = one_time_password()
    try:
        ops.reset_password(user, password, actor=current_user, now=now())
    except OperationError as exc:
        db.session.rollback()
        flash(error_text(exc.code), "error")
        return redirect(url_for("admin.users"))
    db.session.commit()
    return _show_password(user, password)
