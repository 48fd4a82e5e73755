"""Read-only figures for the secretariat: progress per cluster, members' review load."""

from dataclasses import dataclass, field

from ..dossiers.scoring import NO_CLUSTER
from ..extensions import db
from ..models import Candidate, Dossier, Review, Round, User


@dataclass
class ClusterProgress:
    """Dossier counts of one cluster in one round."""

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
    """Submitted on time / late / returned / missing / reviewed, per cluster, then in all."""
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
    rows: dict[str, ClusterProgress] = {}
    total = ClusterProgress("")
    for candidate in candidates:
        cluster = candidate.unit.cluster.name if candidate.unit.cluster else NO_CLUSTER
        row = rows.setdefault(cluster, ClusterProgress(cluster))
        dossier = dossiers.get(candidate.id)
        for target in (row, total):
            target.expected += 1
            if dossier is None or dossier.status in ("draft", "withdrawn"):
                target.missing += 1
            elif dossier.status == "returned":
                target.returned += 1
            elif dossier.latest_version and dossier.latest_version.late:
                target.late += 1
            else:
                target.on_time += 1
            if dossier is not None and is_reviewed(by_dossier.get(dossier.id, [])):
                target.reviewed += 1
    return [rows[k] for k in sorted(rows)] + [total]


def member_loads(members: list[User], reviews: list[Review]) -> list[MemberLoad]:
    """Each member's assigned / done / recused counts in the round."""
    loads = {m.id: MemberLoad(m) for m in members}
    for review in reviews:
        load = loads.get(review.reviewer_id)
        if load is not None:
            load.counts[review.status] = load.counts.get(review.status, 0) + 1
    return list(loads.values())
