"""The council meeting and its vote on each proposed awardee, with quorum and pass threshold."""

from datetime import UTC, datetime
from fractions import Fraction

from ..audit import record
from ..dossiers.scoring import rules_of
from ..extensions import db
from ..folding import fold
from ..models import (
    VOTE_CHOICES,
    Candidate,
    CouncilMeeting,
    Dossier,
    MeetingAttendee,
    Review,
    Round,
    User,
    Vote,
)
from ..notify import events as notify_events
from .state import CouncilError, council_members, ensure_not_frozen


def get_meeting(round_: Round) -> CouncilMeeting | None:
    """The round's council meeting, if the secretariat recorded it."""
    return db.session.execute(
        db.select(CouncilMeeting).filter_by(round_id=round_.id)
    ).scalar_one_or_none()


def save_meeting(
    round_: Round,
    *,
    held_at: datetime,
    place: str,
    members_total: int,
    present_ids: list[int],
    chair_id: int | None,
    user: User,
    now: datetime,
) -> CouncilMeeting:
    """Record (or correct) when the meeting is held, how many members it has, who is present."""
    ensure_not_frozen(round_)
    members = {m.id for m in council_members()}
    present = sorted(set(present_ids) & members)
    if members_total < max(len(present), 1):
        raise CouncilError("members")
    if chair_id is not None and chair_id not in present:
        raise CouncilError("chair")
    meeting = get_meeting(round_)
    opened = meeting is None
    if opened:
        meeting = CouncilMeeting(round=round_, created_by_id=user.id, created_at=now)
        db.session.add(meeting)
    meeting.held_at, meeting.place = held_at, place.strip()
    meeting.members_total, meeting.chair_id = members_total, chair_id
    meeting.attendees = [a for a in meeting.attendees if a.user_id in present]
    known = {a.user_id for a in meeting.attendees}
    meeting.attendees += [MeetingAttendee(user_id=i) for i in present if i not in known]
    db.session.flush()
    record(
        "council_meeting_saved",
        now=now,
        actor=user,
        obj=meeting,
        details={
            "held_at": held_at.astimezone(UTC).isoformat(),
            "members_total": members_total,
            "present": present,
            "chair": chair_id,
        },
    )
    if opened:
        notify_events.vote_opened(meeting, council_members(), now=now)
    return meeting


def recusals(round_: Round) -> dict[int, set[int]]:
    """Members who do not vote on a dossier: those recused from it and those of its unit."""
    out: dict[int, set[int]] = {}
    for dossier_id, reviewer_id in db.session.execute(
        db.select(Review.dossier_id, Review.reviewer_id)
        .join(Dossier, Review.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_.id, Review.status == "recused")
    ):
        out.setdefault(dossier_id, set()).add(reviewer_id)
    for dossier_id, member_id in db.session.execute(
        db.select(Dossier.id, User.id)
        .join(Candidate, Dossier.candidate_id == Candidate.id)
        .join(User, User.unit_id == Candidate.unit_id)
        .where(Dossier.round_id == round_.id, User.role == "reviewer")
    ):
        out.setdefault(dossier_id, set()).add(member_id)
    return out


def proposals(records: list[dict], dossier_of: dict[str, int]) -> dict[int, dict]:
    """Proposed awardees by dossier id (result records with an award tier)."""
    return {dossier_of[r["unit_code"]]: r for r in records if r.get("award_code")}


def _check_vote(
    meeting: CouncilMeeting, member: User, dossier_id: int, choice: str, proposed, barred
) -> None:
    if member.id not in meeting.present_ids:
        raise CouncilError("not_present")
    if dossier_id not in proposed:
        raise CouncilError("not_proposed")
    if member.id in barred.get(dossier_id, set()):
        raise CouncilError("recused")
    if choice not in VOTE_CHOICES:
        raise CouncilError("choice")


def cast_votes(
    meeting: CouncilMeeting,
    member: User,
    choices: dict[int, str],
    proposed: dict[int, dict],
    *,
    now: datetime,
) -> int:
    """Store a present member's votes (agree / disagree / abstain); returns how many changed."""
    ensure_not_frozen(meeting.round)
    barred = recusals(meeting.round)
    existing = {v.dossier_id: v for v in meeting_votes(meeting) if v.member_id == member.id}
    changed = {}
    for dossier_id, choice in choices.items():
        _check_vote(meeting, member, dossier_id, choice, proposed, barred)
        award = proposed[dossier_id]["award_code"]
        vote = existing.get(dossier_id)
        if vote is None:
            vote = Vote(meeting_id=meeting.id, dossier_id=dossier_id, member_id=member.id)
            db.session.add(vote)
        elif (vote.choice, vote.award_code, vote.recorded_by_id) == (choice, award, None):
            continue
        vote.choice, vote.award_code, vote.cast_at = choice, award, now
        vote.recorded_by_id = None  # the member's own vote replaces a typed-in paper one
        changed[str(dossier_id)] = {"award": award, "choice": choice}
    db.session.flush()
    if changed:
        record("votes_cast", now=now, actor=member, obj=meeting, details=changed)
    return len(changed)


def record_paper_ballots(
    meeting: CouncilMeeting,
    ballots: dict[tuple[int, int], str],
    proposed: dict[int, dict],
    awards_seen: dict[int, str],
    *,
    recorded_by: User,
    now: datetime,
) -> int:
    """Type in paper ballots: {(member id, dossier id): choice, or "" for a blank ballot}.

    A member's own online vote is never overwritten. A blank cell removes a paper vote typed
    in before. `awards_seen` are the tiers the secretariat saw; if the proposals changed
    since, nothing is stored. Returns how many votes changed.
    """
    ensure_not_frozen(meeting.round)
    if any(proposed.get(d, {}).get("award_code") != a for d, a in awards_seen.items()):
        raise CouncilError("proposals_changed")
    barred = recusals(meeting.round)
    members = {a.user_id: a.user for a in meeting.attendees}
    existing = {(v.member_id, v.dossier_id): v for v in meeting_votes(meeting)}
    changes = []
    for (member_id, dossier_id), choice in sorted(ballots.items()):
        vote = existing.get((member_id, dossier_id))
        if vote is not None and vote.recorded_by_id is None:
            continue  # voted online; that stands
        before = vote.choice if vote is not None else None
        if not choice:
            if vote is not None:
                db.session.delete(vote)
                changes.append({"member": member_id, "dossier": dossier_id, "before": before})
            continue
        member = members.get(member_id)
        if member is None:
            raise CouncilError("not_present")
        _check_vote(meeting, member, dossier_id, choice, proposed, barred)
        award = proposed[dossier_id]["award_code"]
        if vote is not None and (vote.choice, vote.award_code) == (choice, award):
            continue
        if vote is None:
            vote = Vote(meeting_id=meeting.id, dossier_id=dossier_id, member_id=member_id)
            db.session.add(vote)
        vote.choice, vote.award_code, vote.cast_at = choice, award, now
        vote.recorded_by_id = recorded_by.id
        changes.append(
            {"member": member_id, "dossier": dossier_id, "award": award, "before": before,
             "after": choice}
        )  # fmt: skip
    db.session.flush()
    if changes:
        details = {"paper_ballot": True, "votes": changes}
        record("votes_recorded", now=now, actor=recorded_by, obj=meeting, details=details)
    return len(changes)


def _passes(share: Fraction, threshold: Fraction, rule: str) -> bool:
    return share >= threshold if rule == "at_least" else share > threshold


def _unmet(rules, round_: Round, award_code: str, dossier_id: int, proposed) -> list[str]:
    """The award's conditions (history, initiatives, members) this candidate does not meet."""
    from ..history.operations import unmet_for

    tier = next((a for a in rules.awards if a.code == award_code), None)
    if tier is None or not tier.conditions:
        return []
    dossier = db.session.get(Dossier, dossier_id)
    year = (round_.award_date or round_.deadline.date()).year
    names = {a.code: a.name for a in rules.awards}
    mine = proposed.get(dossier.candidate.unit.code, {})
    return unmet_for(tier, dossier.candidate, year, names, mine)


def proposed_people(rows) -> dict[str, dict[str, set[str]]]:
    """Per unit code and award code: folded names of the unit's people proposed for it."""
    out: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        code, _sep, candidate_id = row["unit_code"].partition("/")
        if candidate_id:
            people = out.setdefault(code, {}).setdefault(row["award_code"], set())
            people.add(fold(row["unit_name"]))
    return out


def tally(round_: Round, records: list[dict], dossier_of: dict[str, int]) -> dict | None:
    """The vote on every proposed awardee, with quorum and threshold from the rule file."""
    meeting = get_meeting(round_)
    if meeting is None:
        return None
    rules = rules_of(round_)
    council = rules.council
    present = {a.user_id: a.user.full_name for a in meeting.attendees}
    quorum_met = Fraction(len(present), meeting.members_total) >= council.quorum
    barred = recusals(round_)
    votes: dict[int, list[Vote]] = {}
    for vote in db.session.execute(db.select(Vote).filter_by(meeting_id=meeting.id)).scalars():
        votes.setdefault(vote.dossier_id, []).append(vote)
    candidates = []
    proposed = proposals(records, dossier_of)
    people = proposed_people(proposed.values())
    for dossier_id, row in sorted(proposed.items()):
        eligible = set(present) - barred.get(dossier_id, set())
        counted = [
            v
            for v in votes.get(dossier_id, [])
            if v.member_id in eligible and v.award_code == row["award_code"]
        ]
        count = {c: sum(1 for v in counted if v.choice == c) for c in VOTE_CHOICES}
        share = Fraction(count["agree"], len(eligible)) if eligible else Fraction(0)
        threshold, rule = rules.pass_rule_of(row["award_code"])
        unmet = _unmet(rules, round_, row["award_code"], dossier_id, people)
        passed = bool(quorum_met and eligible and not unmet and _passes(share, threshold, rule))
        # Members yet to vote could still carry it: the outcome is open until the vote closes.
        against = count["disagree"] + count["abstain"]
        reachable = Fraction(len(eligible) - against, len(eligible)) if eligible else share
        undecided = bool(
            not passed
            and not unmet
            and quorum_met
            and eligible
            and len(counted) < len(eligible)
            and _passes(reachable, threshold, rule)
        )
        candidates.append(
            {
                "key": row["unit_code"],
                "dossier_id": dossier_id,
                "name": row["unit_name"],
                "award_code": row["award_code"],
                "award_tier": row["award_tier"],
                "eligible": len(eligible),
                **count,
                "not_voted": len(eligible) - len(counted),
                "recused": sorted(present[m] for m in set(present) & barred.get(dossier_id, set())),
                "passed": passed,
                "undecided": undecided,
                "unmet": unmet,
                "pass_threshold": str(threshold),
                "pass_rule": rule,
            }
        )
    return {
        "meeting": {
            "held_at": meeting.held_at.astimezone(UTC).isoformat(),
            "place": meeting.place,
            "members_total": meeting.members_total,
            "present": sorted(present.values()),
            "chair": meeting.chair.full_name if meeting.chair else None,
            "quorum": str(council.quorum),
            "quorum_met": quorum_met,
            "pass_threshold": str(council.pass_threshold),
            "pass_rule": council.pass_rule,
        },
        "candidates": candidates,
    }


def my_votes(meeting: CouncilMeeting, member: User) -> dict[int, Vote]:
    """The member's votes by dossier id."""
    return {
        v.dossier_id: v
        for v in db.session.execute(
            db.select(Vote).filter_by(meeting_id=meeting.id, member_id=member.id)
        ).scalars()
    }


def meeting_votes(meeting: CouncilMeeting) -> list[Vote]:
    """Every vote recorded at the meeting."""
    return list(db.session.execute(db.select(Vote).filter_by(meeting_id=meeting.id)).scalars())
