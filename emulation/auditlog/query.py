"""Which audit events a filter selects, and how an event reads to a person."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, false, or_

from ..extensions import db
from ..models import (
    AuditEvent,
    Candidate,
    DeadlineExtension,
    Dossier,
    DossierVersion,
    EvidenceFile,
    RankingSnapshot,
    Review,
    Round,
    Unit,
    User,
)
from ..timefmt import local_zone

PAGE_SIZE = 50
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def read_date(text: str | None) -> date | None:
    """A date typed dd/mm/yyyy between 2000 and 2100; ValueError otherwise (None when empty)."""
    text = (text or "").strip()
    if not text:
        return None
    value = datetime.strptime(text, "%d/%m/%Y").date()
    if not EARLIEST <= value <= LATEST:
        raise ValueError(text)
    return value


def read_id(text: str | None) -> int | None:
    """A row id typed in a filter; ValueError unless a positive whole number (None when empty)."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12 or int(text) < 1:
        raise ValueError(text)
    return int(text)


@dataclass
class AuditFilter:
    """The filters of the viewer, read from a query string; bad values become `errors`."""

    actor_id: int | None = None
    unit_id: int | None = None
    dossier_id: int | None = None
    round_id: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "AuditFilter":
        """Read the filters from request arguments, keeping what is valid."""
        found = cls(action=(args.get("action") or "").strip()[:60])
        for name, key in (("actor_id", "person"), ("unit_id", "unit"), ("dossier_id", "dossier"),
                          ("round_id", "round")):  # fmt: skip
            try:
                setattr(found, name, read_id(args.get(key)))
            except ValueError:
                found.errors[key] = "id"
        for name, key in (("since", "from"), ("until", "to")):
            try:
                setattr(found, name, read_date(args.get(key)))
            except ValueError:
                found.errors[key] = "date"
        if found.since and found.until and found.since > found.until:
            found.errors["to"] = "order"
            found.until = None
        try:
            found.page = max(1, min(int(args.get("page") or 1), 100_000))
        except ValueError:
            found.page = 1
        return found


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=local_zone())


def _about(object_type: str, ids):
    return and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(ids))


def _objects(dossier_ids) -> list:
    """Conditions for events about the dossiers `dossier_ids` (a subquery) or their parts."""

    parts = (Review, EvidenceFile, DossierVersion)
    return [_about("Dossier", dossier_ids)] + [
        _about(part.__name__, db.select(part.id).where(part.dossier_id.in_(dossier_ids)))
        for part in parts
    ]


def conditions(f: AuditFilter) -> list:
    """The WHERE clauses of a filter."""
    where = []
    if f.actor_id is not None:
        where.append(AuditEvent.actor_id == f.actor_id)
    if f.action:
        where.append(AuditEvent.action == f.action)
    if f.since is not None:
        where.append(AuditEvent.at >= _local_midnight(f.since))
    if f.until is not None:
        where.append(AuditEvent.at < _local_midnight(f.until + timedelta(days=1)))
    if f.dossier_id is not None:
        where.append(or_(*_objects(db.select(Dossier.id).where(Dossier.id == f.dossier_id))))
    if f.unit_id is not None:
        unit_dossiers = db.select(Dossier.id).join(Candidate).where(Candidate.unit_id == f.unit_id)
        unit_users = db.select(User.id).where(User.unit_id == f.unit_id)
        where.append(
            or_(
                and_(AuditEvent.object_type == "Unit", AuditEvent.object_id == f.unit_id),
                and_(AuditEvent.object_type == "Candidate",
                     AuditEvent.object_id.in_(db.select(Candidate.id).filter_by(unit_id=f.unit_id))),
                AuditEvent.actor_id.in_(unit_users),
                # An extension is recorded on its round and names the unit by code.
                and_(AuditEvent.action == "deadline_extended",
                     AuditEvent.details["unit"].as_string().in_(
                         db.select(Unit.code).where(Unit.id == f.unit_id))),
                *_objects(unit_dossiers),
            )
        )  # fmt: skip
    if f.round_id is not None:
        round_dossiers = db.select(Dossier.id).where(Dossier.round_id == f.round_id)
        snapshots = db.select(RankingSnapshot.id).where(RankingSnapshot.round_id == f.round_id)
        extensions = db.select(DeadlineExtension.id).where(DeadlineExtension.round_id == f.round_id)
        where.append(
            or_(
                and_(AuditEvent.object_type == "Round", AuditEvent.object_id == f.round_id),
                _about("RankingSnapshot", snapshots),
                _about("DeadlineExtension", extensions),
                *_objects(round_dossiers),
            )
        )  # fmt: skip
    if (
        f.errors.get("person")
        or f.errors.get("unit")
        or f.errors.get("dossier")
        or f.errors.get("round")
    ):
        where.append(false())  # a malformed id selects nothing rather than everything
    return where


def select_events(f: AuditFilter):
    """The filtered events, newest first."""
    return (
        db.select(AuditEvent)
        .where(*conditions(f))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


def page_of(f: AuditFilter) -> tuple[list[AuditEvent], int]:
    """One page of events and the total number of events the filter selects."""
    total = db.session.scalar(
        db.select(db.func.count()).select_from(AuditEvent).where(*conditions(f))
    )
    rows = (
        db.session.execute(select_events(f).limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE))
        .scalars()
        .all()
    )
    return list(rows), total or 0


def actions() -> list[str]:
    """Every kind of event recorded so far."""
    return list(
        db.session.scalars(db.select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def choices() -> dict:
    """People, units and rounds offered in the filter's lists."""
    return {
        "people": db.session.scalars(db.select(User).order_by(User.username)).all(),
        "units": db.session.scalars(db.select(Unit).order_by(Unit.code)).all(),
        "rounds": db.session.scalars(db.select(Round).order_by(Round.id.desc())).all(),
    }


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _change(value) -> tuple[str, str] | None:
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and not any(isinstance(v, dict | list) for v in value)
    ):
        return _text(value[0]), _text(value[1])
    return None


def readable(details: dict | None, limit: int = 400) -> list[tuple[str, str, str | None]]:
    """An event's details as (name, value or before, after) lines a person can read."""
    lines = []
    for key, value in (details or {}).items():
        if isinstance(value, dict) and value and all(_change(v) for v in value.values()):
            for name, pair in value.items():
                before, after = _change(pair)
                lines.append((f"{key}.{name}", before[:limit], after[:limit]))
            continue
        lines.append((str(key), _text(value)[:limit], None))
    return lines


def readable_text(details: dict | None) -> str:
    """The details on one line per entry, 'before → after' for changes (for exports)."""
    return "\n".join(
        f"{name}: {value} → {after}" if after is not None else f"{name}: {value}"
        for name, value, after in readable(details, limit=2000)
    )
