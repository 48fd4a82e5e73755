"""Award history by year: imported for past years; read by the award conditions.

A unit's own records have no person name; a person is known by name within the unit.
Write operations flush, never commit.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..extensions import db
from ..imports.tables import TableError, fold, map_headers, read_table
from ..initiatives.operations import counted_for
from ..models import AwardRecord, Candidate, Unit, User
from ..scoring.authority import CandidateFacts, unmet_conditions

HEADERS = {
    "unit": ("Mã đơn vị", "Unit code"),
    "person": ("Họ và tên", "Name"),
    "year": ("Năm", "Year"),
    "code": ("Mã danh hiệu", "Award code"),
    "name": ("Danh hiệu, hình thức", "Danh hiệu", "Hình thức khen thưởng", "Award"),
    "decision_no": ("Số quyết định", "Decision number"),
    "decision_date": ("Ngày quyết định", "Decision date"),
    "body": ("Cơ quan ban hành", "Issuing body"),
}


@dataclass
class HistoryImport:
    """Records added from a table, or the problems (row number, message) that stopped it."""

    added: list[AwardRecord] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() and 1975 <= int(text) <= 2100 else None


def _day(text: str) -> date | None:
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            found = parse(text[:10])
        except ValueError:
            continue
        if date(1975, 1, 1) <= found <= date(2100, 12, 31):
            return found
    return None


def import_history(
    data: bytes, filename: str, *, user: User | None, now: datetime
) -> HistoryImport:
    """Add past years' titles and awards from an XLSX/CSV table (all rows or none)."""
    result = HistoryImport()
    try:
        table = read_table(data, filename)
    except TableError as exc:
        result.problems.append((None, exc.message))
        return result
    columns = map_headers(table.frame, HEADERS)
    missing = [k for k in ("unit", "year", "code", "name") if k not in columns]
    if missing:
        result.problems.append((None, _l(
            "The table needs the columns Mã đơn vị, Năm, Mã danh hiệu and Danh hiệu, hình thức."
        )))  # fmt: skip
        return result
    units = {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}
    # One record per holder, year and award: a repeated row would count a title twice.
    held = {
        (unit_id, fold(person or ""), year, code)
        for unit_id, person, year, code in db.session.execute(
            db.select(AwardRecord.unit_id, AwardRecord.person_name, AwardRecord.year,
                      AwardRecord.award_code)
        )
    }  # fmt: skip
    rows = []
    for row_no, (_i, row) in zip(table.rows, table.frame.iterrows(), strict=True):
        text = {key: str(row[column]).strip() for key, column in columns.items()}
        unit, year = units.get(text["unit"]), _year(text["year"])
        day = _day(text["decision_date"]) if text.get("decision_date") else None
        if unit is None:
            result.problems.append((row_no, _l("Unknown unit code '%(code)s'.",
                                                   code=text["unit"])))  # fmt: skip
        elif year is None:
            result.problems.append((row_no, _l("The year must be between 1975 and 2100.")))
        elif not text["code"] or not text["name"] or len(text["name"]) > 300:
            result.problems.append((row_no, _l("Give the award's code and name.")))
        elif text.get("decision_date") and day is None:
            result.problems.append((row_no, _l("The decision date is not a date.")))
        elif (key := (unit.id, fold(text.get("person", "")), year, text["code"][:80])) in held:
            result.problems.append((row_no, _l(
                "This award of this unit or person for that year is already recorded."
            )))  # fmt: skip
        else:
            held.add(key)
            rows.append(AwardRecord(
                unit=unit, person_name=" ".join(text.get("person", "").split()) or None,
                year=year, award_code=text["code"][:80], award_name=text["name"],
                decision_no=text.get("decision_no", "")[:100], decision_date=day,
                issuing_body=text.get("body", "")[:300], source="import", created_at=now,
            ))  # fmt: skip
    if not result.problems:
        db.session.add_all(rows)
        db.session.flush()
        record("award_history_imported", now=now, actor=user, details={"rows": len(rows)})
        result.added = rows
    return result


def history_of(unit: Unit, person_name: str | None) -> list[AwardRecord]:
    """The unit's own records (person_name None) or a person's, by year, predecessors' too."""
    from .succession import predecessor_ids

    # A successor carries the award history of the units it succeeded.
    records = db.session.execute(
        db.select(AwardRecord)
        .where(AwardRecord.unit_id.in_(predecessor_ids(unit)))
        .order_by(AwardRecord.year, AwardRecord.id)
    ).scalars()
    if person_name is None:
        return [r for r in records if not r.person_name]
    return [r for r in records if r.person_name and fold(r.person_name) == fold(person_name)]


def awards_of(unit: Unit) -> list[AwardRecord]:
    """Every record of the unit and its people (and its predecessors'), newest year first."""
    from .succession import predecessor_ids

    return list(
        db.session.execute(
            db.select(AwardRecord)
            .where(AwardRecord.unit_id.in_(predecessor_ids(unit)))
            .order_by(
                AwardRecord.year.desc(),
                AwardRecord.person_name.is_not(None),
                AwardRecord.person_name,
                AwardRecord.id,
            )
        ).scalars()
    )


def facts_for(candidate: Candidate, year: int) -> CandidateFacts:
    """What the award conditions need: history by year and counted initiatives."""
    person = candidate.person_name if candidate.kind == "individual" else None
    history: dict[int, set[str]] = {}
    for r in history_of(candidate.unit, person):
        history.setdefault(r.year, set()).add(r.award_code)
    levels = [i.level for i in counted_for(candidate)]
    return CandidateFacts(year=year, history=history, initiative_levels=levels)


def members_holding(unit: Unit, year: int) -> dict[str, set[str]]:
    """Per award code: the folded names of the unit's people holding it in `year`."""
    from .succession import predecessor_ids

    held: dict[str, set[str]] = {}
    for code, name in db.session.execute(
        db.select(AwardRecord.award_code, AwardRecord.person_name).where(
            AwardRecord.unit_id.in_(predecessor_ids(unit)),
            AwardRecord.year == year,
            AwardRecord.person_name.is_not(None),
        )
    ):
        held.setdefault(code, set()).add(fold(name))
    return held


def unmet_for(
    tier, candidate: Candidate, year: int, names: dict[str, str],
    proposed: dict[str, set[str]] | None = None,
) -> list[str]:  # fmt: skip
    """The conditions of `tier` the candidate does not meet, each in one phrase.

    A members' share is counted against the unit's headcount; `proposed` gives, per award
    code, the folded names of the unit's people proposed for it at the same meeting.
    """
    facts = facts_for(candidate, year)
    unmet = []
    if candidate.kind == "collective" and any(c.type == "members" for c in tier.conditions):
        unit = candidate.unit
        facts.members = unit.headcount or 0
        held = members_holding(unit, year)
        # People proposed at the same meeting have their titles decided with the unit's.
        for code, people in (proposed or {}).items():
            held[code] = held.get(code, set()) | people
        facts.members_with = {code: len(people) for code, people in held.items()}
        if not unit.headcount:
            unmet.append(str(_l("the unit's headcount is not recorded (Administration → Units)")))
    return unmet + unmet_conditions(tier, facts, names)


def candidate_history(candidate: Candidate) -> dict:
    """For a candidate's page: its award history by year and the initiatives counted for it."""
    person = candidate.person_name if candidate.kind == "individual" else None
    return {"records": history_of(candidate.unit, person), "initiatives": counted_for(candidate)}
