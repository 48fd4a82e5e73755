"""Read-only figures for the secretariat: progress per cluster, members' review load."""

from dataclasses import dataclass, field

from ..extensions import db
from ..lifecycle.participation import Participation, participation, total_of
from ..models import Candidate, Dossier, Review, Round, User
from ..scoring.values import NO_CLUSTER


@dataclass
class ClusterProgress:
    """Dossier counts of one cluster in one round (`returned` are among those received)."""

    name: str
    expected: int = 0
    on_time: int = 0
    late: int = 0
    returned: int = 0
    missing: int = 0
    reviewed: int = 0


@dataclass
class MemberLoad:
    """One council member's reviews in a round."""

    member: User
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def active(self) -> int:
        """Reviews not recused."""
        return self.counts.get("assigned", 0) + self.counts.get("done", 0)


def is_reviewed(reviews: list[Review]) -> bool:
    """A dossier is reviewed when it has reviews and every one not recused is finished."""
    active = [r for r in reviews if r.status != "recused"]
    return bool(active) and all(r.status == "done" for r in active)


def cluster_progress(round_: Round, reviews: list[Review]) -> list[ClusterProgress]:
    """Received on time / late, of which returned, missing, reviewed: per cluster, then in all.

    The dossier counts are the round's participation (the same the report states).
    """
    candidates = db.session.execute(
        db.select(Candidate).filter_by(movement_id=round_.movement_id)
    ).scalars()
    dossiers = {
        d.candidate_id: d
        for d in db.session.execute(db.select(Dossier).filter_by(round_id=round_.id)).scalars()
    }
    by_dossier: dict[int, list[Review]] = {}
    for review in reviews:
        by_dossier.setdefault(review.dossier_id, []).append(review)
    reviewed: dict[str, int] = {}
    for candidate in candidates:
        cluster = candidate.unit.cluster.name if candidate.unit.cluster else NO_CLUSTER
        dossier = dossiers.get(candidate.id)
        done = dossier is not None and is_reviewed(by_dossier.get(dossier.id, []))
        reviewed[cluster] = reviewed.get(cluster, 0) + int(done)
    figures = participation(round_)
    rows = [_progress(p.cluster, p, reviewed.get(p.cluster, 0)) for p in figures]
    return rows + [_progress("", total_of(figures, ""), sum(reviewed.values()))]


def _progress(name: str, p: Participation, reviewed: int) -> ClusterProgress:
    return ClusterProgress(name, p.expected, p.on_time, p.late, p.returned, p.missing, reviewed)


def member_loads(members: list[User], reviews: list[Review]) -> list[MemberLoad]:
    """Each member's assigned / done / recused counts in the round."""
    loads = {m.id: MemberLoad(m) for m in members}
    for review in reviews:
        load = loads.get(review.reviewer_id)
        if load is not None:
            load.counts[review.status] = load.counts.get(review.status, 0) + 1
    return list(loads.values())
