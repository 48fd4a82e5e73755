"""The values table: a round's counted dossiers and finished reviews, fast enough for 1,000
candidates. The one place that decides a candidate's row key and builds the engine's frame."""

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby

import pandas as pd

from ..extensions import db
from ..lifecycle.counting import counted_submission, counted_time
from ..models import (
    Adjustment,
    Candidate,
    Cluster,
    Dossier,
    DossierVersion,
    Review,
    Round,
    SupplementRequest,
    Unit,
    User,
)
from ..scoring.values import META_COLUMNS, NO_CLUSTER, value_columns
from .derived import fill_derived_columns
from .dossier_values import values_frame

__all__ = [
    "FRAME_META", "Entry", "candidate_key", "counted_time", "frame_row", "load_entries",
    "reviews_of",
]  # fmt: skip

# The engine's row columns before the values (`complete` is the engine's own default).
FRAME_META = [c for c in META_COLUMNS if c != "complete"]


@dataclass(frozen=True, slots=True)
class Entry:
    """A submitted dossier as the ranking sees it."""

    key: str
    dossier_id: int
    unit_id: int
    name: str
    version: int
    receipt_no: str
    content_hash: str
    submitted_at: datetime
    on_time: bool = True

    def as_input(self) -> dict:
        """The entry as JSON data for a snapshot's inputs."""
        return {
            "key": self.key,
            "dossier_id": self.dossier_id,
            "version": self.version,
            "receipt_no": self.receipt_no,
            "content_hash": self.content_hash,
            "counted_submitted_at": self.submitted_at.astimezone(UTC).isoformat(),
            "on_time": self.on_time,
        }


def candidate_key(unit_code: str, kind: str, candidate_id: int) -> str:
    """The engine's row key: the unit code, or unit code/candidate id for an individual."""
    return unit_code if kind == "collective" else f"{unit_code}/{candidate_id}"


def frame_row(key: str, name: str, cluster: str | None, kind: str, submitted_at) -> dict:
    """The leading cells of a candidate's row in the engine's VALUES frame."""
    return {
        "unit_code": key,
        "unit_name": name,
        "cluster": cluster or NO_CLUSTER,
        "kind": kind,
        "submitted_at": submitted_at,
    }


def _rows(statement):
    """Stream a column select from the session's connection: rows without ORM processing."""
    return db.session.connection().execute(statement)


def _fetch(statement) -> Iterator[tuple]:
    """Stream a select of plain columns (numbers, text) straight from the DBAPI cursor.

    A round holds tens of thousands of indicator values: building SQLAlchemy rows for them
    costs more than the query, and holding them all at once makes the garbage collector
    sweep the whole heap. No type processing happens, so only columns that need none (no
    dates) may be read this way.
    """
    for batch in _batches(statement, 500):
        yield from batch


def _batches(statement, size: int) -> Iterator[list[tuple]]:
    """The rows of a select of plain columns (see _fetch), `size` at a time."""
    connection = db.session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        while batch := cursor.fetchmany(size):
            yield batch
    finally:
        cursor.close()


def _submitted(round_id: int):
    # A dossier returned for supplement still counts, with its last submitted version.
    # Plain comparisons: _fetch compiles statements itself and cannot expand IN lists.
    return db.select(Dossier.id).where(
        Dossier.round_id == round_id,
        (Dossier.status == "submitted") | (Dossier.status == "returned"),
    )


def load_entries(round_: Round, rules) -> tuple[dict[str, Entry], pd.DataFrame]:
    """The round's submitted dossiers and their VALUES frame (a few set-based queries)."""
    ids = _submitted(round_.id)
    heads = _fetch(
        db.select(Dossier.id, Candidate.id, Candidate.kind, Candidate.person_name, Unit.id)
        .add_columns(Unit.code, Unit.name, Cluster.name)
        .join(Candidate, Dossier.candidate_id == Candidate.id)
        .join(Unit, Candidate.unit_id == Unit.id)
        .outerjoin(Cluster, Unit.cluster_id == Cluster.id)
        .where(Dossier.id.in_(ids))
    )
    resolved: dict[int, set] = {}
    for dossier_id, at in _rows(
        db.select(SupplementRequest.dossier_id, SupplementRequest.resolved_at).where(
            SupplementRequest.dossier_id.in_(ids), SupplementRequest.resolved_at.is_not(None)
        )
    ):
        resolved.setdefault(dossier_id, set()).add(at)
    # Per dossier: (counted time, latest version number, its receipt, its content hash).
    latest: dict[int, tuple] = {}
    rows_of_versions = _rows(
        db.select(
            DossierVersion.dossier_id,
            DossierVersion.submitted_at,
            DossierVersion.late,
            DossierVersion.number,
            DossierVersion.receipt_no,
            DossierVersion.content_hash,
        )
        .where(DossierVersion.dossier_id.in_(ids))
        .order_by(DossierVersion.dossier_id, DossierVersion.number)
    )
    for dossier_id, group in groupby(rows_of_versions, key=lambda v: v[0]):
        mine = [tuple(v) for v in group]
        counted = counted_submission(
            [(v[1], v[2]) for v in mine], resolved.get(dossier_id, set()), round_.deadline
        )
        latest[dossier_id] = (counted, *mine[-1][3:])
    entries, rows, key_of = {}, [], {}
    for dossier_id, cand_id, kind, person, unit_id, code, unit_name, cluster in heads:
        key = candidate_key(code, kind, cand_id)
        if dossier_id not in latest:
            continue
        counted, number, receipt_no, content_hash = latest[dossier_id]
        name = unit_name if kind == "collective" else person
        entries[key] = Entry(
            key, dossier_id, unit_id, name, number, receipt_no, content_hash, counted.at,
            counted.on_time,
        )  # fmt: skip
        key_of[dossier_id] = key
        rows.append(frame_row(key, name, cluster, kind, counted.at))
    frame = pd.DataFrame(rows, columns=FRAME_META)
    specs = value_columns(rules)
    hash_of = {d: latest[d][3] for d in key_of}
    sealed = tuple((d, key_of[d], hash_of[d]) for d in key_of)
    wide = _cached_values(
        round_.id, sealed, specs,
        lambda: values_frame(round_.id, key_of, hash_of, specs, _batches),
    )  # fmt: skip
    frame = frame.merge(wide, how="left", left_on="unit_code", right_index=True)
    frame = frame.sort_values("unit_code", kind="stable").reset_index(drop=True)
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    # Registered targets, registration status and plan counts.
    frame = fill_derived_columns(frame, rules, round_)
    # score() checks the frame against the rules (ValuesError lists any problem)
    return entries, frame


_VALUES_CACHE: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_VALUES_LOCK = threading.Lock()
VALUES_CACHE_SIZE = 4


def _cached_values(round_id: int, sealed: tuple, specs, build) -> pd.DataFrame:
    """The values frame of the round's counted dossiers, reused while none of them changed.

    The values the ranking reads are those of each dossier's last submitted version, and a
    version is immutable: keyed by every counted dossier's latest content hash (sha256 over
    its values, points, notes and files), a hit is exactly what reading them again would
    give. The frame is never modified by its users (they merge it into a new one).
    """
    key = (round_id, sealed, tuple((c.name, c.kind) for c in specs))
    from flask import current_app

    if current_app.config.get("REDIS_URL"):
        from ..cache import shared_cache

        # Several servers share one copy in Redis (emulation.cache); else this process's own.
        return shared_cache(current_app, "values").get_or_build(key, build)
    with _VALUES_LOCK:
        if key in _VALUES_CACHE:
            _VALUES_CACHE.move_to_end(key)
            return _VALUES_CACHE[key]
    frame = build()
    with _VALUES_LOCK:
        _VALUES_CACHE[key] = frame
        while len(_VALUES_CACHE) > VALUES_CACHE_SIZE:
            _VALUES_CACHE.popitem(last=False)
    return frame


def reviews_of(round_id: int):
    """Finished reviews, and each review's latest points and reason per indicator.

    Reviews come as plain (id, dossier id, reviewer id, reviewer's name) tuples, not row
    objects: a round may hold thousands, and the garbage collector ignores such tuples.
    """
    reviews = list(
        _fetch(
            db.select(Review.id, Review.dossier_id, Review.reviewer_id, User.full_name)
            .join(User, Review.reviewer_id == User.id)
            .join(Dossier, Review.dossier_id == Dossier.id)
            .where(Dossier.round_id == round_id, Review.status == "done")
            .order_by(Review.id)
        )
    )
    latest: dict[tuple[int, str], tuple] = {}
    for review_id, code, points, reason in _fetch(
        db.select(Adjustment.review_id, Adjustment.indicator_code, Adjustment.points)
        .add_columns(Adjustment.reason)
        .join(Review, Adjustment.review_id == Review.id)
        .join(Dossier, Review.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_id)
        .order_by(Adjustment.id)
    ):
        latest[(review_id, code)] = (points, reason)
    return reviews, latest
