"""Pages for assigning dossiers, a member's queue, and reviewing one dossier."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import COUNCIL_ROLES, STAFF_ROLES, now, roles_required
from ..actions import committed
from ..confirm import confirmation_page, confirmed
from ..dossiers.fields import criteria_forms, extra_forms, input_fields
from ..extensions import db
from ..models import Dossier, Review, Round, User
from ..standings.model import standings_of
from . import assignment, reviewing
from .common import error_message, error_text, is_staff, load_review, load_round
from .forms import AdjustForm, AssignForm, AutoAssignForm, ButtonForm, FlagForm, RecuseForm
from .listing import filter_queue
from .progress import cluster_progress, member_loads
from .ranking import rule_points_of
from .state import CouncilError, active_snapshot, council_members


def _assign_context(round_: Round, form: AssignForm) -> dict:
    reviews = assignment.round_reviews(round_)
    members = council_members()
    dossiers = list(
        db.session.execute(
            db.select(Dossier)
            .where(Dossier.round_id == round_.id, Dossier.status.in_(("submitted", "returned")))
            .order_by(Dossier.id)
        ).scalars()
    )
    form.dossier.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(str(d.id), f"{d.candidate.unit.code} — {d.candidate.display_name}")
        for d in dossiers
        if d.status == "submitted"
    ]
    form.reviewer.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(str(m.id), m.full_name + (f" ({m.unit.code})" if m.unit else ""))
        for m in members
    ]
    by_dossier: dict[int, list[Review]] = {}
    for review in reviews:
        by_dossier.setdefault(review.dossier_id, []).append(review)
    return {
        "round": round_,
        "dossiers": dossiers,
        "reviews": by_dossier,
        "progress": cluster_progress(round_, reviews),
        "loads": member_loads(members, reviews),
        "form": form,
        "auto_form": AutoAssignForm(),
        "button": ButtonForm(),
        "frozen": active_snapshot(round_),
    }


@roles_required(*STAFF_ROLES)
def assignments(round_id: int):
    """Who reviews which dossier, members' load and the round's progress per cluster."""
    round_ = load_round(round_id)
    return render_template("council/assignments.html", **_assign_context(round_, AssignForm()))


@roles_required(*STAFF_ROLES)
def assign(round_id: int):
    """Assign one member to one dossier by hand."""
    round_ = load_round(round_id)
    form = AssignForm()
    context = _assign_context(round_, form)
    if not form.validate_on_submit():
        return render_template("council/assignments.html", **context), 422
    dossier = db.session.get(Dossier, int(form.dossier.data))
    reviewer = db.session.get(User, int(form.reviewer.data))
    if dossier is None or dossier.round_id != round_.id or reviewer is None:
        abort(404)
    try:
        assignment.assign_reviewer(dossier, reviewer, user=current_user, now=now())
    except CouncilError as exc:
        db.session.rollback()
        form.reviewer.errors = [error_text(exc.code)]
        return render_template("council/assignments.html", **context), 422
    db.session.commit()
    flash(
        _(
            "%(member)s now reviews %(unit)s.",
            member=reviewer.full_name,
            unit=dossier.candidate.display_name,
        ),
        "success",
    )
    return redirect(url_for("council.assignments", round_id=round_.id))


@roles_required(*STAFF_ROLES)
def auto_assign(round_id: int):
    """Fill every submitted dossier up to N reviewers, balancing members' load."""
    round_ = load_round(round_id)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        flash(error_text("per_dossier"), "error")
        return redirect(url_for("council.assignments", round_id=round_.id))
    with committed(refused=CouncilError, explain=error_message) as outcome:
        plan = assignment.auto_assign(
            round_, per_dossier=form.per_dossier.data, user=current_user, now=now()
        )
        outcome.message = _("%(n)d assignments made.", n=len(plan.pairs))
    if outcome.ok and plan.short:
        flash(
            _(
                "%(n)d dossiers still have fewer reviewers than asked: not enough members "
                "outside their unit.",
                n=len(plan.short),
            ),
            "warning",
        )
    return redirect(url_for("council.assignments", round_id=round_.id))


@roles_required(*STAFF_ROLES)
def unassign(review_id: int):
    """Remove an assignment that has not started."""
    review = db.session.get(Review, review_id) or abort(404)
    round_id = review.dossier.round_id
    if not ButtonForm().validate_on_submit():
        abort(400)
    with committed(_("Assignment removed."), refused=CouncilError, explain=error_message):
        assignment.unassign(review, user=current_user, now=now())
    return redirect(url_for("council.assignments", round_id=round_id))


@roles_required("reviewer")
def queue():
    """The member's assigned dossiers, open ones first."""
    reviews = list(
        db.session.execute(
            db.select(Review).filter_by(reviewer_id=current_user.id).order_by(Review.id.desc())
        ).scalars()
    )
    order = {"assigned": 0, "done": 1, "recused": 2}
    reviews.sort(key=lambda r: order.get(r.status, 3))
    state, text = request.args.get("state", ""), request.args.get("q", "").strip()[:100]
    shown = filter_queue(reviews, current_user, state, text)
    return render_template(
        "council/queue.html", reviews=shown, total=len(reviews), state=state, q=text
    )


def _review_context(review: Review) -> dict:
    dossier = review.dossier
    # A frozen round is shown from its snapshot, as on every other page; only a live one is scored.
    standings = standings_of(dossier.round)
    rules = standings.rules
    frozen = standings.snapshot
    key = next((k for k, d in standings.dossier_of().items() if d == dossier.id), None)
    points, explanation, row = {}, None, None
    if key is not None and standings.result is not None:
        points = rule_points_of(standings, key)
        explanation = standings.result.explain(key)
        row = standings.by_key().get(key)
    others = []
    if is_staff():
        others = [r for r in dossier_reviews(dossier) if r.id != review.id]
    return {
        "review": review,
        "dossier": dossier,
        "rules": rules,
        "criteria": criteria_forms(rules),
        "extras": extra_forms(rules),
        "inputs": input_fields(rules),
        **_content(dossier),
        "points": points,
        "row": row,
        "explanation": explanation,
        "mine": reviewing.latest_adjustments(review),
        "flags": reviewing.flags_of(review),
        "others": others,
        "can_edit": review.reviewer_id == current_user.id
        and review.status == "assigned"
        and frozen is None,
        "frozen": frozen,
        "adjust_form": AdjustForm(),
        "flag_form": FlagForm(),
        "recuse_form": RecuseForm(),
        "button": ButtonForm(),
    }


def _content(dossier: Dossier) -> dict:
    """What the council reviews: the dossier as sent, even while the unit revises it.

    While a dossier is out for supplement, its draft changes; the council keeps seeing (and
    the ranking keeps scoring) the last version it received.
    """
    version = dossier.versions[-1] if dossier.status == "returned" and dossier.versions else None
    if version is None:
        return {
            "values": {
                v.column: (v.text_value if v.text_value is not None else v.value)
                for v in dossier.values
            },
            "self_points": {s.indicator_code: s.points for s in dossier.self_points},
            "notes": {n.criterion_code: n.text for n in dossier.notes},
            "evidence": dossier.evidence,
            "shown_version": None,
        }
    sent = {f["sha256"] for f in version.payload.get("evidence", [])}
    return {
        "values": dict(version.payload.get("values", {})),
        "self_points": dict(version.payload.get("self_points", {})),
        "notes": dict(version.payload.get("notes", {})),
        "evidence": [f for f in dossier.evidence if f.sha256 in sent],
        "shown_version": version,
    }


def dossier_reviews(dossier: Dossier) -> list[Review]:
    """Every review of a dossier."""
    return list(
        db.session.execute(
            db.select(Review).filter_by(dossier_id=dossier.id).order_by(Review.id)
        ).scalars()
    )


@roles_required(*COUNCIL_ROLES)
def review_page(review_id: int):
    """The dossier's values, narratives and evidence beside the engine's points."""
    review = load_review(review_id)
    return render_template("council/review.html", **_review_context(review))


def _back(review: Review):
    return redirect(url_for("council.review_page", review_id=review.id))


@roles_required("reviewer")
def adjust(review_id: int):
    """Set the member's points for one indicator, with the reason."""
    review = load_review(review_id, write=True)
    form = AdjustForm()
    if not form.validate_on_submit() or form.points.number is None:
        # A refused number says which field and why; otherwise something is simply missing.
        refused = " ".join(map(str, form.points.errors))
        flash(refused or _("Enter the points and the reason."), "error")
        return _back(review)
    saved = _("Points of %(code)s saved.", code=form.indicator_code.data)
    with committed(saved, refused=CouncilError, explain=error_message):
        reviewing.adjust(
            review,
            indicator_code=form.indicator_code.data,
            points=form.points.number,
            reason=form.reason.data,
            user=current_user,
            now=now(),
        )
    return _back(review)


def _simple(review_id: int, action, message: str):
    review = load_review(review_id, write=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with committed(message, refused=CouncilError, explain=error_message):
        action(review, user=current_user, now=now())
    return _back(review)


@roles_required("reviewer")
def finish(review_id: int):
    """Finish the review (after a confirmation step): its points now count in the ranking."""
    review = load_review(review_id, write=True)
    if ButtonForm().validate_on_submit() and not confirmed():
        name = review.dossier.candidate.display_name
        changed = len(reviewing.latest_adjustments(review))
        return confirmation_page(
            title=_("Finish the review"),
            question=_("Finish your review of %(name)s?", name=name),
            details=[
                _(
                    "%(n)d indicators carry your own points; they count in the ranking once "
                    "you finish.",
                    n=changed,
                ),
                _("You can reopen a finished review until the ranking is frozen."),
            ],
            button=_("Yes, finish the review"),
            cancel_url=url_for("council.review_page", review_id=review.id),
        )
    return _simple(review_id, reviewing.finish, _("Review finished; your points now count."))


@roles_required("reviewer")
def reopen(review_id: int):
    """Take a finished review back to change it."""
    return _simple(review_id, reviewing.reopen_review, _("The review is open again."))


@roles_required("reviewer")
def recuse(review_id: int):
    """Step aside from this dossier, with the reason."""
    review = load_review(review_id, write=True)
    form = RecuseForm()
    if not form.validate_on_submit():
        flash(error_text("reason"), "error")
        return _back(review)
    stepped_aside = _("You stepped aside from this dossier; the secretariat was informed.")
    with committed(stepped_aside, refused=CouncilError, explain=error_message) as outcome:
        assignment.recuse(review, reason=form.reason.data, user=current_user, now=now())
    return redirect(url_for("council.queue")) if outcome.ok else _back(review)


@roles_required("reviewer")
def flag(review_id: int):
    """Mark a criterion's evidence insufficient."""
    review = load_review(review_id, write=True)
    form = FlagForm()
    if not form.validate_on_submit():
        flash(_("Say what is lacking."), "error")
        return _back(review)
    marked = _("Evidence of %(code)s marked insufficient.", code=form.criterion_code.data)
    with committed(marked, refused=CouncilError, explain=error_message):
        reviewing.flag_evidence(
            review,
            criterion_code=form.criterion_code.data,
            note=form.note.data,
            user=current_user,
            now=now(),
        )
    return _back(review)


@roles_required("reviewer")
def unflag(review_id: int, criterion_code: str):
    """Withdraw an 'evidence insufficient' mark."""
    review = load_review(review_id, write=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with committed(_("Mark withdrawn."), refused=CouncilError, explain=error_message):
        reviewing.clear_flag(review, criterion_code=criterion_code, user=current_user, now=now())
    return _back(review)
