"""Ranking pages: per group and overall, drill-down to explanations, freeze and reopen."""

import numpy as np
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import COUNCIL_ROLES, STAFF_ROLES, now, roles_required
from ..extensions import db
from ..models import Dossier, RankingSnapshot, User
from ..refusals import refused_page
from ..scoring import RuleError
from ..signatures.seal import SealError, seal_pdf
from ..standings.live import live_ranking, standing
from ..standings.model import earlier_standings, standings_of
from .board import build_board, show_rows
from .common import flash_error, load_round
from .forms import ButtonForm, ReopenForm, whatif_form_class
from .gaps import gaps
from .listing import RankFilter, filter_board, page_board, page_number
from .numbers import number_formatter
from .snapshot_pdf import render_snapshot_pdf
from .snapshots import canonical_json, reopen, snapshots_of, verify
from .state import CouncilError, active_snapshot
from .votes import tally
from .whatif import Sandbox, changes, stability


def standing_of(round_) -> dict[str, dict]:
    """A round's totals and ranks by candidate: frozen ones if frozen, else live."""
    return standing(standings_of(round_).records)


@roles_required(*COUNCIL_ROLES)
def ranking_page(round_id: int):
    """Ranking per group and overall, with the tie policy, bands, reasons and proposed awards."""
    round_ = load_round(round_id)
    view = "overall" if request.args.get("view") == "overall" else "groups"
    try:
        standings = standings_of(round_)
        previous = earlier_standings(round_)
    except RuleError as exc:  # ValuesError too: data the engine refuses, listed
        return refused_page(round_, exc)
    snapshot = standings.snapshot
    if snapshot is not None:
        votes = snapshot.payload["votes"]
    else:
        votes = tally(round_, standings.records, standings.dossier_of())
    fmt = number_formatter()
    chosen = RankFilter.from_args(request.args)
    authors = {}
    history = snapshots_of(round_)
    for s in history:
        if s.created_by_id and s.created_by_id not in authors:
            authors[s.created_by_id] = db.session.get(User, s.created_by_id).full_name
    # Only the page's rows (a hundred at most) are formatted and rendered; the filters and
    # the search still look at every row, and every page is one link away.
    interim = previous.by_key() if previous else None
    board = filter_board(build_board(standings.results, standings.inputs, interim), chosen)
    board, page = page_board(board, view, page_number(request.args))
    show_rows(board, view, fmt)
    return render_template(
        "council/ranking.html",
        round=round_,
        board=board,
        page=page,
        page_args={k: v for k, v in chosen.args().items() if v}
        | ({"view": "overall"} if view == "overall" else {}),
        chosen=chosen,
        view=view,
        previous=previous.round if previous is not None else None,
        snapshot=snapshot,
        # The payload's hash only: reading megabytes of per-item points for every page view
        # costs more than the page (their sha256 is in the payload; verify() checks both).
        integrity=verify(snapshot, details=False) if snapshot is not None else None,
        history=history,
        authors=authors,
        votes={c["key"]: c for c in (votes or {}).get("candidates", [])},
        excluded=standings.inputs.get("excluded", []),
        button=ButtonForm(),
        reopen_form=ReopenForm(),
        fmt=fmt,
    )


@roles_required(*COUNCIL_ROLES)
def candidate_page(round_id: int, dossier_id: int):
    """Every point of one candidate explained, with each reviewer's council points."""
    round_ = load_round(round_id)
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or dossier.round_id != round_.id:
        abort(404)
    standings = standings_of(round_)
    key = next((k for k, d in standings.dossier_of().items() if d == dossier_id), None)
    if key is None:
        abort(404)
    # A frozen round is explained from its snapshot, not scored again.
    result = standings.result if standings.frozen else standings.live.result
    if result is None:
        result = live_ranking(round_).result  # a snapshot frozen before it kept its details
    try:
        explanation = result.explain(key)
    except KeyError:
        abort(404)
    snapshot = standings.snapshot
    frozen_row = standings.by_key().get(key) if snapshot is not None else None
    review_points = standings.inputs.get("review_points", [])
    return render_template(
        "council/candidate.html",
        round=round_,
        dossier=dossier,
        e=explanation,
        reviews=[p for p in review_points if p["unit_code"] == key],
        self_points={s.indicator_code: s.points for s in dossier.self_points},
        snapshot=snapshot,
        frozen_row=frozen_row,
    )


@roles_required(*STAFF_ROLES)
def reopen_round(round_id: int):
    """Reopen the frozen ranking, with the reason."""
    round_ = load_round(round_id)
    snapshot = active_snapshot(round_)
    form = ReopenForm()
    if snapshot is None:
        flash_error(CouncilError("not_frozen"))
    elif not form.validate_on_submit():
        flash_error(CouncilError("reason"))
    else:
        reopen(snapshot, reason=form.reason.data, user=current_user, now=now())
        db.session.commit()
        flash(_("The ranking is open again; the frozen snapshot is kept."), "warning")
    return redirect(url_for("council.ranking_page", round_id=round_.id))


@roles_required(*COUNCIL_ROLES)
def snapshot_json(snapshot_id: int):
    """A frozen snapshot as canonical JSON; its sha256 is the snapshot's hash."""
    snapshot = db.session.get(RankingSnapshot, snapshot_id) or abort(404)
    return Response(
        canonical_json(snapshot.payload),
        mimetype="application/json",
        headers={
            "Content-Disposition": f"attachment; filename=snapshot-{snapshot.id}.json",
            "X-Payload-SHA256": snapshot.payload_hash,
        },
    )


@roles_required(*COUNCIL_ROLES)
def snapshot_pdf(snapshot_id: int):
    """A frozen snapshot as a PDF with its hash, sealed with the deployment's certificate."""
    snapshot = db.session.get(RankingSnapshot, snapshot_id) or abort(404)
    try:
        data = seal_pdf(
            render_snapshot_pdf(snapshot), current_app.config, reason="Kết quả xếp hạng đã chốt"
        )
    except SealError:
        current_app.logger.exception("the sealing certificate could not be used")
        abort(503)
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f"attachment; filename=snapshot-{snapshot.id}.pdf",
            "X-Payload-SHA256": snapshot.payload_hash,
        },
    )


@roles_required(*STAFF_ROLES)
def whatif_page(round_id: int):
    """Sandbox: vary weights (given, or random ±x %) and see who changes rank or award tier."""
    round_ = load_round(round_id)
    ranking = live_ranking(round_)
    groups = ranking.rules.groups
    form = whatif_form_class(groups)()
    context = {"round": round_, "form": form, "groups": groups, "changes": None, "stable": None}
    if ranking.result is not None and form.validate_on_submit():
        box = Sandbox(ranking.result)
        if form.mode.data == "random":
            context["stable"] = stability(
                box, runs=form.runs.data, spread=form.spread.data / 100, seed=form.seed.data
            )
            context["runs"] = form.runs.data
        else:
            percent = {g.code: getattr(form, f"w_{g.code}").data for g in groups}
            base = box.rerank(np.ones(box.k))
            context["changes"] = changes(box, base, box.rerank(box.weights_for_groups(percent)))
    context["empty"] = ranking.result is None
    return render_template("council/whatif.html", **context)


@roles_required(*STAFF_ROLES)
def gaps_page(round_id: int):
    """Self-assessed against counted points, per unit and per reviewer."""
    round_ = load_round(round_id)
    units, reviewers = gaps(standings_of(round_))
    return render_template("council/gaps.html", round=round_, units=units, reviewers=reviewers)
