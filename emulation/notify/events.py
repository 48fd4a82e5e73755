"""Messages caused by events: each is written in the transaction of the event itself.

Every function flushes and never commits; the view or command that acts commits once, so a
rolled-back action leaves no message behind.
"""

from collections import defaultdict
from datetime import UTC, datetime

from ..extensions import db
from ..lifecycle.window import movement_rules
from ..models import (
    Candidate,
    CouncilMeeting,
    DeadlineExtension,
    Dossier,
    DossierVersion,
    Registration,
    Review,
    Round,
    SupplementRequest,
    User,
)
from .outbox import enqueue
from .reminders import unit_users


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _to_unit(unit_id: int, *, role: str | None = None, **message) -> None:
    """The same message for each active user of the unit (or only those holding `role`)."""
    for user in unit_users(unit_id):
        if role is None or user.role == role:
            enqueue(user, **message)


def _about_registration(registration: Registration) -> dict:
    """Link and context shared by the messages about a unit's registration."""
    return {
        "category": "registration",
        "link": (
            "registration.unit_page",
            {"movement_id": registration.movement_id, "code": registration.unit.code},
        ),
        "registration": registration,
        "movement": registration.movement,
        "unit": registration.unit,
    }


def dossier_returned(request: SupplementRequest, *, now: datetime) -> None:
    """The unit: its dossier came back for supplement (criteria, reason, due time)."""
    dossier = request.dossier
    _to_unit(
        dossier.candidate.unit_id,
        key=f"returned:s{request.id}",
        category="dossier",
        kind="dossier_returned",
        link=("dossiers.edit", {"dossier_id": dossier.id}),
        now=now,
        round=dossier.round,
        unit=dossier.candidate.unit,
        request=request,
        deadline=request.due_at,
    )


def extension_granted(extension: DeadlineExtension, *, now: datetime) -> None:
    """The unit: its deadline for a round was extended (or changed)."""
    _to_unit(
        extension.unit_id,
        key=f"extended:r{extension.round_id}:n{extension.unit_id}:{_stamp(extension.until)}",
        category="dossier",
        kind="extension_granted",
        link=("units.unit_page", {"code": extension.unit.code}),
        now=now,
        round=extension.round,
        unit=extension.unit,
        extension=extension,
        deadline=extension.until,
    )


def dossier_received(version: DossierVersion, *, now: datetime) -> None:
    """The unit: the receipt of a submission, with its number and content hash."""
    dossier = version.dossier
    _to_unit(
        dossier.candidate.unit_id,
        key=f"receipt:{version.receipt_no}",
        category="dossier",
        kind="dossier_received",
        link=("dossiers.receipt", {"dossier_id": dossier.id, "number": version.number}),
        now=now,
        round=dossier.round,
        unit=dossier.candidate.unit,
        version=version,
    )


def results_published(round_: Round, snapshot_id: int, *, now: datetime) -> None:
    """Every unit with a dossier in the round: the council froze (published) the results."""
    units = db.session.scalars(
        db.select(Candidate.unit_id)
        .join(Dossier, Dossier.candidate_id == Candidate.id)
        .where(Dossier.round_id == round_.id)
        .distinct()
    )
    for unit_id in sorted(set(units)):
        for user in unit_users(unit_id):
            enqueue(
                user,
                key=f"results:p{snapshot_id}",
                category="dossier",
                kind="results_published",
                link=("units.unit_page", {"code": user.unit.code}),
                now=now,
                round=round_,
                unit=user.unit,
            )


def registration_awaiting(registration: Registration, *, now: datetime) -> None:
    """The unit head: a complete draft registration waits for confirmation."""
    rules = movement_rules(registration.movement)
    given = {t.indicator_code for t in registration.targets}
    if registration.status != "draft" or any(i.code not in given for i in rules.registrable):
        return
    cycle = _stamp(registration.decided_at) if registration.decided_at else "first"
    _to_unit(
        registration.unit_id,
        role="unit_head",
        key=f"reg-await:g{registration.id}:{cycle}",
        kind="registration_awaiting",
        now=now,
        **_about_registration(registration),
    )


def registration_returned(registration: Registration, *, now: datetime) -> None:
    """The unit editor: the secretariat returned the registration with a reason."""
    _to_unit(
        registration.unit_id,
        role="unit_editor",
        key=f"reg-returned:g{registration.id}:{_stamp(registration.decided_at or now)}",
        kind="registration_returned",
        now=now,
        deadline=registration.reopened_until,
        **_about_registration(registration),
    )


def reviews_assigned(reviews: list[Review], *, now: datetime) -> None:
    """Each member: the dossiers just assigned to them (one message per member)."""
    by_member: dict[int, list[Review]] = defaultdict(list)
    for review in reviews:
        by_member[review.reviewer_id].append(review)
    for reviewer_id, mine in by_member.items():
        first = min(r.id for r in mine)
        round_ = mine[0].dossier.round
        enqueue(
            db.session.get(User, reviewer_id),
            key=f"assigned:v{first}",
            category="council",
            kind="review_assigned",
            link=("council.queue", {}),
            now=now,
            round=round_,
            units=[r.dossier.candidate.display_name for r in mine],
        )


def vote_opened(meeting: CouncilMeeting, members: list[User], *, now: datetime) -> None:
    """Every council member: the meeting is set and the vote on proposed awardees is open."""
    for member in members:
        enqueue(
            member,
            key=f"vote-open:m{meeting.id}",
            category="council",
            kind="vote_opened",
            link=("council.vote_page", {"round_id": meeting.round_id}),
            now=now,
            round=meeting.round,
            meeting=meeting,
        )


def account_event(
    user: User, kind: str, *, now: datetime, until: datetime | None = None, **context
) -> None:
    """The account's owner: password reset, one-time password issued, or sign-in locked."""
    enqueue(
        user,
        key=f"{kind}:{_stamp(now)}",
        category="security",
        kind=kind,
        link=("security.account", {}) if kind != "account_locked" else ("auth.login", {}),
        now=now,
        deadline=until,
        **context,
    )


def lockout_reported(user: User, *, address: str, until: datetime, now: datetime) -> None:
    """Every administrator: an account's sign-in was blocked after wrong passwords."""
    administrators = db.session.scalars(
        db.select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.id)
    )
    for admin in administrators:
        enqueue(
            admin,
            key=f"lockout:n{user.id}:{address}:{_stamp(until)}",
            category="security",
            kind="lockout_reported",
            link=("auditlog.index", {"action": "login_locked"}),
            now=now,
            account=user,
            address=address,
            deadline=until,
        )


def awards_decided(decision, granted: list[tuple], *, now: datetime) -> None:
    """Each awarded unit: the decision's number and date, and its own and its people's awards.

    `granted` holds (unit, person name or None, award name) of every awardee of the decision.
    """
    by_unit: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    units = {}
    for unit, person, award in granted:
        units[unit.id] = unit
        by_unit[unit.id].append((person, award))
    for unit_id in sorted(by_unit):
        unit = units[unit_id]
        _to_unit(
            unit_id,
            key=f"awarded:d{decision.id}",
            category="dossier",
            kind="awards_decided",
            link=("units.awards", {"code": unit.code}),
            now=now,
            unit=unit,
            decision=decision,
            awards=by_unit[unit_id],
        )
