"""A cheap key of everything a round's live ranking is computed from, read before the loading.

Reading a round's values and the council's points costs more than the ranking page itself,
while between two page views nothing usually changed. The key is read from the database on
every request, so every server sees a change as soon as it is committed, and it holds:

- the round's own settings and the full text of its rule file;
- each counted dossier's status and optimistic lock (bumped on every change to a dossier,
  its values included), its candidate, unit, unit name and cluster name (a withdrawn
  dossier leaves the list);
- the round's submitted versions (immutable rows: their ids, times and content hashes);
- the resolved requests for supplement (they decide the counted submission time);
- each finished review (reviewer, the reviewer's name, when it was finished);
- sums over the finished reviews' point adjustments (rows only ever added, never changed,
  and only to a review still open: a set is fixed while its review stays finished);
- what the derived columns are read from (registrations, targets, plan counts as of now,
  initiatives from the register).

Equal keys mean the loading would read the same inputs, so the ranking built from them is
exactly what building it again would give.
"""

import hashlib
from typing import NamedTuple

from ..extensions import db
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
from .derived import derived_sources
from .loading import _fetch

__all__ = ["RankingKey", "commit_mark", "ranking_key"]


class RankingKey(NamedTuple):
    """What a round's live ranking is computed from, part by part (equal keys, equal inputs)."""

    settings: tuple
    dossiers: tuple
    versions: tuple
    supplements: tuple
    reviews: tuple
    adjustments: tuple
    derived: tuple


def commit_mark():
    """A value that changes when another connection commits, or None where none is known.

    SQLite counts the commits of other connections (PRAGMA data_version); PostgreSQL's
    snapshot lists the transactions still running and the next to come, so any commit in
    between changes it.
    """
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        return db.session.execute(db.text("PRAGMA data_version")).scalar()
    if dialect == "postgresql":
        return db.session.execute(db.text("SELECT txid_current_snapshot()::text")).scalar()
    return None


def _rows(statement) -> list[tuple]:
    """Plain tuples of a column select (no ORM objects)."""
    return [tuple(row) for row in db.session.execute(statement)]


def _counted(round_id: int):
    # Plain comparisons: _fetch compiles statements itself and cannot expand IN lists.
    return db.select(Dossier.id).where(
        Dossier.round_id == round_id,
        (Dossier.status == "submitted") | (Dossier.status == "returned"),
    )


def _frozen(value):
    """`value` (dicts, sets and lists of plain values) as a hashable, order-free tuple."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted(value))
    return value


def ranking_key(round_: Round, rules) -> RankingKey:
    """What the live ranking of `round_` depends on, read in a few small queries."""
    counted = _counted(round_.id)
    settings = (
        round_.id, round_.code, round_.kind, round_.movement_id, round_.deadline,
        round_.opens_at, round_.rules_filename, round_.rules_hash,
        hashlib.sha256((round_.rules_text or "").encode()).hexdigest(),
    )  # fmt: skip
    # Thousands of rows straight from the cursor (loading._fetch); the few dates among them
    # come as the driver gives them, which is enough to tell whether they changed.
    dossiers = tuple(
        _fetch(
            db.select(Dossier.id, Dossier.status, Dossier.lock_version)
            .add_columns(Candidate.id, Candidate.kind, Candidate.person_name)
            .add_columns(Unit.id, Unit.code, Unit.name, Cluster.name)
            .join(Candidate, Dossier.candidate_id == Candidate.id)
            .join(Unit, Candidate.unit_id == Unit.id)
            .outerjoin(Cluster, Unit.cluster_id == Cluster.id)
            .where(Dossier.id.in_(counted))
            .order_by(Dossier.id)
        )
    )
    versions = tuple(
        _fetch(
            db.select(DossierVersion.id, DossierVersion.dossier_id, DossierVersion.number)
            .add_columns(DossierVersion.submitted_at, DossierVersion.late)
            .add_columns(DossierVersion.content_hash)
            .where(DossierVersion.dossier_id.in_(counted))
            .order_by(DossierVersion.id)
        )
    )
    supplements = _rows(
        db.select(SupplementRequest.id, SupplementRequest.dossier_id)
        .add_columns(SupplementRequest.resolved_at)
        .where(SupplementRequest.dossier_id.in_(counted))
        .order_by(SupplementRequest.id)
    )
    # Only finished reviews count; points are added to a review only while it is open.
    done = db.select(Review.id).where(
        Review.dossier_id.in_(db.select(Dossier.id).where(Dossier.round_id == round_.id)),
        Review.status == "done",
    )
    reviews = tuple(
        _fetch(
            db.select(Review.id, Review.dossier_id, Review.reviewer_id, Review.finished_at)
            .add_columns(User.full_name)
            .join(User, Review.reviewer_id == User.id)
            .where(Review.id.in_(done))
            .order_by(Review.id)
        )
    )
    # Weighted by the row id, so that moving a value from one row to another shows too.
    ident = db.cast(Adjustment.id, db.BigInteger)
    adjustments = _rows(
        db.select(
            db.func.count(Adjustment.id),
            db.func.max(Adjustment.id),
            db.func.sum(ident),
            db.func.sum(Adjustment.review_id * ident),
            db.func.sum(Adjustment.points * ident),
            db.func.sum(db.func.length(Adjustment.reason) * ident),
            db.func.sum(db.func.length(Adjustment.indicator_code) * ident),
        ).where(Adjustment.review_id.in_(done))
    )
    derived = _frozen(derived_sources(rules, round_))
    return RankingKey(
        settings, dossiers, versions, tuple(supplements), reviews, tuple(adjustments), derived
    )
