"""Who took part in a round, per cluster: expected, on time, late, missing, returned."""

from dataclasses import dataclass

from ..dossiers.scoring import NO_CLUSTER
from ..extensions import db
from ..models import Candidate, Cluster, Dossier, DossierVersion, Round, Unit


@dataclass(frozen=True)
class Participation:
    """Participation figures of one cluster (or of the whole round)."""

    cluster: str
    expected: int
    on_time: int
    late: int
    returned: int

    @property
    def submitted(self) -> int:
        """Dossiers received, on time or late (returned ones were received too)."""
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        """Candidates from whom nothing was received."""
        return self.expected - self.submitted

    @property
    def rate(self) -> float | None:
        """Share of expected candidates whose dossier was received."""
        return self.submitted / self.expected if self.expected else None


def total_of(rows: list[Participation], label: str) -> Participation:
    """The sum of several clusters' figures."""
    return Participation(
        label,
        sum(r.expected for r in rows),
        sum(r.on_time for r in rows),
        sum(r.late for r in rows),
        sum(r.returned for r in rows),
    )


def participation(round_: Round) -> list[Participation]:
    """Figures per cluster, by cluster name; counts agree with queries.round_progress.

    Every candidate of the movement is expected. A dossier counts as received once any
    version was submitted (a returned or withdrawn dossier was still received), and as late
    when any of its versions arrived in the grace window.
    """
    rows = db.session.execute(
        db.select(Candidate.id, Cluster.name, Dossier.id, Dossier.status)
        .select_from(Candidate)
        .join(Unit, Candidate.unit_id == Unit.id)
        .outerjoin(Cluster, Unit.cluster_id == Cluster.id)
        .outerjoin(
            Dossier, (Dossier.candidate_id == Candidate.id) & (Dossier.round_id == round_.id)
        )
        .where(Candidate.movement_id == round_.movement_id)
    ).all()
    in_round = db.select(Dossier.id).where(Dossier.round_id == round_.id)
    received = set(
        db.session.execute(
            db.select(DossierVersion.dossier_id)
            .where(DossierVersion.dossier_id.in_(in_round))
            .distinct()
        ).scalars()
    )
    late = set(
        db.session.execute(
            db.select(DossierVersion.dossier_id)
            .where(DossierVersion.dossier_id.in_(in_round), DossierVersion.late.is_(True))
            .distinct()
        ).scalars()
    )
    counts: dict[str, list[int]] = {}
    for _candidate, cluster, dossier_id, status in rows:
        figures = counts.setdefault(cluster or NO_CLUSTER, [0, 0, 0, 0])
        figures[0] += 1
        if dossier_id in late:
            figures[2] += 1
        elif dossier_id in received:
            figures[1] += 1
        if status == "returned":
            figures[3] += 1
    return [Participation(name, *counts[name]) for name in sorted(counts)]
