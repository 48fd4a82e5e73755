"""The council meeting, members' votes on proposed awardees, minutes and decision drafts."""

from io import BytesIO

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import STAFF_ROLES, now, roles_required
from ..actions import committed
from ..documents.pdf import PdfUnavailable, docx_to_pdf
from ..dossiers.scoring import rules_of
from ..models import RankingSnapshot
from ..signatures.seal import SealError, seal_pdf
from ..standings.model import standings_of
from ..timefmt import to_local
from . import documents
from .common import error_message, error_text, load_round, local_aware
from .forms import MeetingForm, paper_form_class, vote_form_class
from .state import CouncilError, active_snapshot, council_members
from .votes import (
    cast_votes,
    get_meeting,
    meeting_votes,
    my_votes,
    proposals,
    record_paper_ballots,
    recusals,
    save_meeting,
    tally,
)


def _payload(round_) -> tuple[dict, bool]:
    """The round's standings with its vote: the frozen snapshot, or live ones with the tally."""
    standings = standings_of(round_)
    if standings.frozen:
        return standings.snapshot.payload, True
    filename, rules_hash = standings.rules_file
    return {
        "rules": {"filename": filename, "hash": rules_hash},
        "inputs": standings.inputs,
        "results": standings.results,
        "votes": tally(round_, standings.records, standings.dossier_of()),
    }, False


def _dossier_of(payload: dict) -> dict[str, int]:
    return {c["key"]: c["dossier_id"] for c in payload["inputs"]["candidates"]}


@roles_required(*STAFF_ROLES)
def meeting_page(round_id: int):
    """Record the meeting (time, place, members, who is present, chair); see the vote so far."""
    round_ = load_round(round_id)
    meeting = get_meeting(round_)
    members = council_members()
    form = MeetingForm()
    form.present.choices = [
        SelectChoice(m.id, m.full_name + (f" ({m.unit.code})" if m.unit else "")) for m in members
    ]
    form.chair.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(str(m.id), m.full_name) for m in members
    ]
    if form.validate_on_submit():
        saved = _("Council meeting saved.")
        with committed(saved, refused=CouncilError, explain=error_message) as outcome:
            save_meeting(
                round_,
                held_at=local_aware(form.held_at.data),
                place=form.place.data or "",
                members_total=form.members_total.data,
                present_ids=form.present.data or [],
                chair_id=int(form.chair.data) if form.chair.data else None,
                user=current_user,
                now=now(),
            )
        if outcome.ok:
            return redirect(url_for("council.meeting_page", round_id=round_.id))
    elif not form.is_submitted():
        _fill(form, meeting, rules_of(round_).council.members or len(members))
    payload, frozen = _payload(round_)
    return render_template(
        "council/meeting.html",
        round=round_,
        form=form,
        meeting=meeting,
        votes=payload["votes"],
        frozen=frozen,
        council=rules_of(round_).council,
    )


def _fill(form: MeetingForm, meeting, default_total: int) -> None:
    if meeting is None:
        form.members_total.data = default_total
        return
    form.held_at.data = to_local(meeting.held_at).replace(tzinfo=None)
    form.place.data = meeting.place
    form.members_total.data = meeting.members_total
    form.present.data = sorted(meeting.present_ids)
    form.chair.data = str(meeting.chair_id) if meeting.chair_id else ""


@roles_required("reviewer")
def vote_page(round_id: int):
    """A present member votes agree / disagree / abstain on each proposed awardee."""
    round_ = load_round(round_id)
    meeting = get_meeting(round_)
    payload, frozen = _payload(round_)
    proposed = proposals(payload["results"]["results"], _dossier_of(payload))
    barred = {d for d, members in recusals(round_).items() if current_user.id in members}
    present = meeting is not None and current_user.id in meeting.present_ids
    open_ids = [d for d in proposed if d not in barred] if present and not frozen else []
    form = vote_form_class(open_ids)()
    if form.validate_on_submit() and open_ids:
        choices = {d: getattr(form, f"v_{d}").data for d in open_ids}
        with committed(refused=CouncilError, explain=error_message) as outcome:
            changed = cast_votes(
                meeting, current_user, {d: c for d, c in choices.items() if c}, proposed, now=now()
            )
            outcome.message = _("%(n)d votes recorded.", n=changed)
        if outcome.ok:
            return redirect(url_for("council.vote_page", round_id=round_.id))
    mine = my_votes(meeting, current_user) if meeting is not None else {}
    if not form.is_submitted():
        for dossier_id in open_ids:
            vote = mine.get(dossier_id)
            if vote is not None and vote.award_code == proposed[dossier_id]["award_code"]:
                getattr(form, f"v_{dossier_id}").data = vote.choice
    return render_template(
        "council/vote.html",
        round=round_,
        meeting=meeting,
        present=present,
        frozen=frozen,
        proposed=proposed,
        barred=barred,
        form=form,
        mine=mine,
        note=None if meeting is not None else error_text("no_meeting"),
    )


@roles_required(*STAFF_ROLES)
def paper_votes_page(round_id: int):
    """The secretariat types in the paper ballots of members present at the meeting."""
    round_ = load_round(round_id)
    meeting = get_meeting(round_)
    if meeting is None:
        flash(error_text("no_meeting"), "error")
        return redirect(url_for("council.meeting_page", round_id=round_.id))
    payload, frozen = _payload(round_)
    proposed = proposals(payload["results"]["results"], _dossier_of(payload))
    members = sorted((a.user for a in meeting.attendees), key=lambda m: (m.full_name, m.id))
    barred = recusals(round_)
    votes = {(v.member_id, v.dossier_id): v for v in meeting_votes(meeting)}
    online = {key: v for key, v in votes.items() if v.recorded_by_id is None}
    cells = [
        (m.id, d)
        for m in members
        for d in proposed
        if m.id not in barred.get(d, set()) and (m.id, d) not in online
    ]
    form = paper_form_class(cells, list(proposed))()
    if form.validate_on_submit() and not frozen:
        ballots = {(m, d): form[f"p_{m}_{d}"].data or "" for m, d in cells}
        seen = {d: form[f"a_{d}"].data for d in proposed}
        with committed(refused=CouncilError, explain=error_message) as outcome:
            changed = record_paper_ballots(
                meeting, ballots, proposed, seen, recorded_by=current_user, now=now()
            )
            outcome.message = _("%(n)d votes recorded from paper ballots.", n=changed)
        if not outcome.ok:
            return redirect(url_for("council.paper_votes_page", round_id=round_.id))
        return redirect(url_for("council.meeting_page", round_id=round_.id))
    if not form.is_submitted():
        for dossier_id, row in proposed.items():
            form[f"a_{dossier_id}"].data = row["award_code"]
        for (member_id, dossier_id), vote in votes.items():
            name = f"p_{member_id}_{dossier_id}"
            if name in form and vote.award_code == proposed.get(dossier_id, {}).get("award_code"):
                form[name].data = vote.choice
    return render_template(
        "council/paper_votes.html",
        round=round_,
        meeting=meeting,
        members=members,
        proposed=proposed,
        online=online,
        form=form,
        frozen=frozen,
    )


def _docx(made):
    """Send a document made as (DOCX bytes, file stem), or pass on the redirect made instead."""
    if not isinstance(made, tuple):
        return made
    data, stem = made
    return send_file(
        BytesIO(data),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        as_attachment=True,
        download_name=f"{stem}.docx",
    )


def frozen_with_vote(round_):
    """The round's frozen snapshot holding the council's vote, or the redirect saying why not."""
    snapshot = active_snapshot(round_)
    if snapshot is None:
        flash(error_text("not_frozen"), "error")
        return redirect(url_for("council.ranking_page", round_id=round_.id))
    if snapshot.payload.get("votes") is None:
        flash(error_text("no_vote"), "error")
        return redirect(url_for("council.meeting_page", round_id=round_.id))
    return snapshot


def _minutes(round_):
    """(DOCX bytes, file stem) of the minutes, or the redirect explaining why there are none."""
    payload, frozen = _payload(round_)
    if payload["votes"] is None:
        flash(error_text("no_meeting"), "error")
        return redirect(url_for("council.meeting_page", round_id=round_.id))
    hash_ = active_snapshot(round_).payload_hash if frozen else None
    data = documents.minutes(round_, payload, frozen_hash=hash_)
    return data, f"bien-ban-hop-hoi-dong-{round_.code}"


def _decision(round_):
    """(DOCX bytes, file stem) of the award decision, or the redirect explaining why not."""
    snapshot = frozen_with_vote(round_)
    if not isinstance(snapshot, RankingSnapshot):
        return snapshot
    data = documents.decision(round_, snapshot.payload, frozen_hash=snapshot.payload_hash)
    return data, f"quyet-dinh-khen-thuong-{round_.code}"


def _as_pdf(round_, made, reason: str):
    """The document as a sealed PDF; without LibreOffice, back to the meeting page saying so."""
    if not isinstance(made, tuple):
        return made
    data, stem = made
    try:
        pdf = docx_to_pdf(data, soffice=current_app.config.get("SOFFICE", "soffice"))
        pdf = seal_pdf(pdf, current_app.config, reason=reason)
    except (PdfUnavailable, SealError):
        current_app.logger.exception("the PDF of %s could not be made", stem)
        flash(_("The PDF could not be made on this server; download the DOCX instead."), "error")
        return redirect(url_for("council.meeting_page", round_id=round_.id))
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{stem}.pdf")


@roles_required(*STAFF_ROLES)
def minutes_docx(round_id: int):
    """Draft minutes of the council meeting (frozen figures, or live ones marked as a draft)."""
    return _docx(_minutes(load_round(round_id)))


@roles_required(*STAFF_ROLES)
def minutes_pdf(round_id: int):
    """The minutes as a PDF sealed with the deployment's certificate."""
    round_ = load_round(round_id)
    return _as_pdf(round_, _minutes(round_), "Biên bản họp Hội đồng Thi đua - Khen thưởng")


@roles_required(*STAFF_ROLES)
def decision_docx(round_id: int):
    """Draft award decision listing, by tier, the frozen awardees the council passed."""
    return _docx(_decision(load_round(round_id)))


@roles_required(*STAFF_ROLES)
def decision_pdf(round_id: int):
    """The award decision as a PDF sealed with the deployment's certificate."""
    round_ = load_round(round_id)
    return _as_pdf(round_, _decision(round_), "Quyết định khen thưởng")
