"""A unit nominates people (cá nhân) for individual titles: by hand or from a table.

Write operations flush, never commit. A nominee is a Candidate of kind "individual" of the
unit; its dossiers go through the same review, vote, freeze and decision as a unit's.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..audit import record
from ..extensions import db
from ..imports.tables import TableError, fold, map_headers, read_table
from ..models import Candidate, Dossier, Movement, Unit, User

# The rating levels of a civil servant's year (Decree 90/2020/NĐ-CP), as stored codes.
RATINGS = {
    "xuat-sac": "Hoàn thành xuất sắc nhiệm vụ",
    "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan-thanh": "Hoàn thành nhiệm vụ",
    "khong": "Không hoàn thành nhiệm vụ",
}
HEADERS = {
    "name": ("Họ và tên", "Họ tên", "Name", "Full name"),
    "position": ("Chức vụ", "Chức danh", "Position"),
    "rating": ("Xếp loại năm", "Xếp loại", "Đánh giá", "Rating"),
    "achievement": ("Tóm tắt thành tích", "Thành tích", "Achievements"),
}
MAX_NAME, MAX_POSITION, MAX_ACHIEVEMENT, MAX_ROWS = 200, 200, 5000, 1000


class NominationError(ValueError):
    """A nomination that cannot be made, with a message for the user."""

    def __init__(self, message):
        super().__init__("nomination refused")
        self.message = message


@dataclass
class NomineeInput:
    """What a unit says of a person it nominates."""

    name: str
    position: str = ""
    rating: str = ""
    achievement: str = ""


@dataclass
class ImportResult:
    """People added from a table, or the problems (row number, message) that stopped it."""

    added: list[Candidate] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)


def rating_code(text: str) -> str | None:
    """The rating's code from its code or its words ('Hoàn thành tốt nhiệm vụ' → 'tot')."""
    folded = fold(text)
    for code, words in RATINGS.items():
        if folded in (code, fold(words)):
            return code
    return None


def nominees_of(movement: Movement, unit: Unit) -> list[Candidate]:
    """The unit's nominated people in the movement, by name."""
    return list(
        db.session.execute(
            db.select(Candidate)
            .filter_by(movement_id=movement.id, unit_id=unit.id, kind="individual")
            .order_by(Candidate.person_name, Candidate.id)
        ).scalars()
    )


def _checked(movement: Movement, unit: Unit, data: NomineeInput, taken: set[str]) -> NomineeInput:
    name = " ".join(data.name.split())
    if not name:
        raise NominationError(_l("Give the person's full name."))
    if len(name) > MAX_NAME or len(data.position) > MAX_POSITION:
        raise NominationError(_l("The name or position is too long."))
    if len(data.achievement) > MAX_ACHIEVEMENT:
        raise NominationError(_l("The achievement summary is too long (5000 characters at most)."))
    if data.rating and data.rating not in RATINGS:
        raise NominationError(_l("Unknown rating; use one of the four levels of the year."))
    if fold(name) in taken:
        raise NominationError(_l("%(name)s is already nominated by this unit.", name=name))
    position = " ".join(data.position.split())
    return NomineeInput(name, position, data.rating, data.achievement.strip())


def nominate(
    movement: Movement, unit: Unit, data: NomineeInput, *, user: User | None, now: datetime
) -> Candidate:
    """Nominate one person of `unit` in `movement`."""
    taken = {fold(c.person_name or "") for c in nominees_of(movement, unit)}
    clean = _checked(movement, unit, data, taken)
    return _add(movement, unit, clean, user=user, now=now)


def _add(movement, unit, clean: NomineeInput, *, user, now) -> Candidate:
    candidate = Candidate(
        movement=movement, unit=unit, kind="individual", person_name=clean.name,
        position=clean.position or None, rating=clean.rating or None,
        achievement=clean.achievement or None, nominated_at=now,
    )  # fmt: skip
    db.session.add(candidate)
    db.session.flush()
    record("nominee_added", now=now, actor=user, obj=candidate,
           details={"unit": unit.code, "name": clean.name})  # fmt: skip
    return candidate


def import_nominees(
    movement: Movement, unit: Unit, data: bytes, filename: str, *, user: User | None, now: datetime
) -> ImportResult:
    """Nominate every person of an XLSX/CSV table; nothing is added if any row is wrong."""
    result = ImportResult()
    try:
        table = read_table(data, filename)
    except TableError as exc:
        result.problems.append((None, exc.message))
        return result
    columns = map_headers(table.frame, HEADERS)
    if "name" not in columns:
        result.problems.append((None, _l("The table needs a column 'Họ và tên'.")))
        return result
    if len(table.frame) > MAX_ROWS:
        result.problems.append((None, _l("At most 1000 people per file.")))
        return result
    taken = {fold(c.person_name or "") for c in nominees_of(movement, unit)}
    clean = []
    for row_no, (_i, row) in zip(table.rows, table.frame.iterrows(), strict=True):
        text = {key: str(row[column]) for key, column in columns.items()}
        rating = text.get("rating", "")
        code = rating_code(rating) if rating else ""
        if code is None:
            result.problems.append((row_no, _l("Unknown rating '%(text)s'.", text=rating)))
            continue
        entry = NomineeInput(text["name"], text.get("position", ""), code,
                             text.get("achievement", ""))  # fmt: skip
        try:
            clean.append(_checked(movement, unit, entry, taken))
        except NominationError as exc:
            result.problems.append((row_no, exc.message))
            continue
        taken.add(fold(clean[-1].name))
    if not result.problems:
        result.added = [_add(movement, unit, c, user=user, now=now) for c in clean]
    return result


def remove_nominee(candidate: Candidate, *, user: User | None, now: datetime) -> None:
    """Withdraw a nomination that has no dossier yet."""
    has_dossier = db.session.execute(
        db.select(Dossier.id).filter_by(candidate_id=candidate.id)
    ).first()
    if has_dossier:
        raise NominationError(_l("This person already has a dossier; withdraw the dossier."))
    record("nominee_removed", now=now, actor=user, obj=candidate,
           details={"name": candidate.person_name})  # fmt: skip
    db.session.delete(candidate)
    db.session.flush()
