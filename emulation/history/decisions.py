"""The register of issued award decisions; each adds its awardees to the award history."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..documents.common import awardees, issuer_of
from ..dossiers.scoring import rules_of
from ..extensions import db
from ..models import AwardDecision, AwardRecord, Candidate, RankingSnapshot, Round, Unit, User
from ..notify import events as notify_events


class DecisionError(ValueError):
    """A decision that cannot be recorded, with a message for the user."""

    def __init__(self, message):
        super().__init__("decision refused")
        self.message = message


def decisions_of(round_: Round) -> list[AwardDecision]:
    """The round's recorded decisions, in the order they were signed."""
    return list(
        db.session.execute(
            db.select(AwardDecision)
            .filter_by(round_id=round_.id)
            .order_by(AwardDecision.signed_on, AwardDecision.id)
        ).scalars()
    )


def _holder(key: str) -> tuple[Unit | None, str | None]:
    """The unit and (for an individual, key 'CODE/id') the person of a result row's key."""
    code, _sep, candidate_id = key.partition("/")
    if candidate_id.isdigit():
        candidate = db.session.get(Candidate, int(candidate_id))
        return (candidate.unit, candidate.person_name) if candidate else (None, None)
    unit = db.session.execute(db.select(Unit).filter_by(code=code)).scalar_one_or_none()
    return unit, None


def record_decision(
    round_: Round, snapshot: RankingSnapshot, *, number: str, signed_on: date, signer: str,
    user: User | None, now: datetime,
) -> AwardDecision:  # fmt: skip
    """Record the decision on the round's own awards; its awardees enter the award history."""
    number, signer = number.strip(), " ".join(signer.split())
    if not number or len(number) > 60 or not signer or len(signer) > 200:
        raise DecisionError(_l("Give the decision's number and the signer's name."))
    if not date(2000, 1, 1) <= signed_on <= now.date():
        raise DecisionError(_l("The signing date must be a past date after 2000."))
    taken = db.select(AwardDecision.id).filter_by(round_id=round_.id, number=number)
    if db.session.execute(taken).first():
        raise DecisionError(_l("This decision number is already recorded for the round."))
    rules = rules_of(round_)
    issuer = issuer_of(rules, round_.movement)
    granted = [
        (tier, person.name, *_holder(person.key))
        for tier, people in awardees(snapshot.payload, rules)
        if tier.is_own
        for person in people
    ]
    _refuse_second_award(round_, [g for g in granted if g[2] is not None], signed_on.year)
    decision = AwardDecision(round_id=round_.id, number=number, signed_on=signed_on,
                             signer=signer, issuing_body=issuer.name, created_at=now,
                             created_by=user)  # fmt: skip
    db.session.add(decision)
    added, told = 0, []
    for tier, _shown, unit, name in granted:
        if unit is not None:
            told.append((unit, name, tier.name))
            db.session.add(AwardRecord(
                unit=unit, person_name=name, year=signed_on.year, award_code=tier.code,
                award_name=tier.name, decision_no=number, decision_date=signed_on,
                issuing_body=issuer.name, source="decision", created_at=now,
            ))  # fmt: skip
            added += 1
    db.session.flush()
    # The awardees hear of it in the same transaction as the record (no record, no message).
    notify_events.awards_decided(decision, told, now=now)
    record("award_decision_recorded", now=now, actor=user, obj=decision,
           details={"round": round_.id, "number": number, "awardees": added})  # fmt: skip
    return decision


def _refuse_second_award(round_: Round, granted: list, year: int) -> None:
    """One award per candidate in a round, and a title at most once a year (Law 06/2022).

    Forms of award (Giấy khen, Bằng khen) may be given again for other achievements in
    another round; within one round a candidate receives one award, whatever the decision.
    """
    this_round = {d.number for d in decisions_of(round_)}
    for tier, shown, unit, name in granted:
        query = db.select(AwardRecord).filter_by(unit_id=unit.id)
        query = query.where(
            AwardRecord.person_name.is_(None) if name is None else AwardRecord.person_name == name
        )
        for held in db.session.execute(query).scalars():
            in_round = held.source == "decision" and held.decision_no in this_round
            same_title = (
                tier.category == "title" and held.award_code == tier.code and held.year == year
            )
            if in_round:
                raise DecisionError(_l(
                    "%(name)s already received “%(award)s” in this round by decision"
                    " %(number)s: a candidate receives one award in a round.",
                    name=shown, award=held.award_name, number=held.decision_no,
                ))  # fmt: skip
            if same_title:
                raise DecisionError(_l(
                    "%(name)s already holds the title “%(award)s” for %(year)s (decision"
                    " %(number)s): a title is recognised once a year.",
                    name=shown, award=held.award_name, year=year,
                    number=held.decision_no or "—",
                ))  # fmt: skip


def records_of(round_: Round) -> list[AwardRecord]:
    """The award records the round's recorded decisions added, unit by unit."""
    numbers = [d.number for d in decisions_of(round_)]
    if not numbers:
        return []
    return list(
        db.session.execute(
            db.select(AwardRecord)
            .where(AwardRecord.source == "decision", AwardRecord.decision_no.in_(numbers))
            .join(Unit, AwardRecord.unit_id == Unit.id)
            .order_by(
                AwardRecord.decision_no,
                AwardRecord.person_name.is_not(None),
                Unit.name,
                AwardRecord.person_name,
            )  # fmt: skip
        ).scalars()
    )


EXPORT_COLUMNS = [
    "Tập thể, cá nhân", "Đơn vị", "Danh hiệu, hình thức khen thưởng", "Loại", "Cấp quyết định",
    "Số quyết định", "Ngày quyết định", "Cơ quan ban hành", "Năm", "Tóm tắt thành tích",
]  # fmt: skip


def export_rows(round_: Round) -> list[list]:
    """Award records with the fields the civil-servant and emulation databases ask for."""
    rules = rules_of(round_)
    issuer = issuer_of(rules, round_.movement)
    categories = {a.code: a.category for a in rules.awards}
    rows = []
    for r in records_of(round_):
        kind = (
            "Danh hiệu thi đua"
            if categories.get(r.award_code) == "title"
            else "Hình thức khen thưởng"
        )
        rows.append([
            r.person_name or r.unit.name, r.unit.name, r.award_name, kind,
            f"{issuer.head_title} {issuer.name}", r.decision_no,
            r.decision_date.strftime("%d/%m/%Y") if r.decision_date else "", r.issuing_body,
            r.year, f"Thành tích trong {round_.movement.name} ({round_.name})",
        ])  # fmt: skip
    return rows
