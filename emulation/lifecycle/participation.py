"""Who took part in a round: one count, one definition, for every page and report."""

from dataclasses import dataclass
from itertools import groupby

from ..extensions import db
from ..models import Candidate, Cluster, Dossier, DossierVersion, Round, SupplementRequest, Unit
from ..scoring.values import NO_CLUSTER
from .counting import counted_submission

# Dossier statuses the council holds: submitted, or returned for supplement (it keeps the
# version it received). The same dossiers are ranked.
RECEIVED = ("submitted", "returned")

DEFINITION = (
    "Mỗi tập thể, cá nhân tham gia phong trào là một hồ sơ phải nộp. Hồ sơ đã nhận là hồ sơ "
    "Hội đồng đang giữ: đã nộp, hoặc đang được trả lại để bổ sung (vẫn tính bản đã nộp); hồ sơ "
    "đơn vị đã rút lại để sửa mà chưa nộp lại tính là chưa nộp. Hồ sơ nộp muộn là hồ sơ có lần "
    "nộp được tính (lần bổ sung giữ thời điểm của lần nộp được bổ sung) rơi vào thời gian gia hạn."
)


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
        """Dossiers received, on time or late (returned ones are still received)."""
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        """Candidates whose dossier the council does not hold."""
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


def late_dossiers(round_: Round) -> set[int]:
    """Ids of the round's received dossiers whose counted submission was late."""
    received = db.select(Dossier.id).where(
        Dossier.round_id == round_.id, Dossier.status.in_(RECEIVED)
    )
    resolved: dict[int, set] = {}
    for dossier_id, at in db.session.execute(
        db.select(SupplementRequest.dossier_id, SupplementRequest.resolved_at).where(
            SupplementRequest.dossier_id.in_(received), SupplementRequest.resolved_at.is_not(None)
        )
    ):
        resolved.setdefault(dossier_id, set()).add(at)
    versions = db.session.execute(
        db.select(DossierVersion.dossier_id, DossierVersion.submitted_at, DossierVersion.late)
        .where(DossierVersion.dossier_id.in_(received))
        .order_by(DossierVersion.dossier_id, DossierVersion.number)
    )
    late = set()
    for dossier_id, group in groupby(versions, key=lambda v: v[0]):
        mine = [(at, was_late) for _d, at, was_late in group]
        if not counted_submission(mine, resolved.get(dossier_id, set()), round_.deadline).on_time:
            late.add(dossier_id)
    return late


def participation(round_: Round) -> list[Participation]:
    """Figures per cluster, by cluster name (see DEFINITION)."""
    rows = db.session.execute(
        db.select(Cluster.name, Dossier.id, Dossier.status)
        .select_from(Candidate)
        .join(Unit, Candidate.unit_id == Unit.id)
        .outerjoin(Cluster, Unit.cluster_id == Cluster.id)
        .outerjoin(
            Dossier, (Dossier.candidate_id == Candidate.id) & (Dossier.round_id == round_.id)
        )
        .where(Candidate.movement_id == round_.movement_id)
    ).all()
    late = late_dossiers(round_)
    counts: dict[str, list[int]] = {}
    for cluster, dossier_id, status in rows:
        figures = counts.setdefault(cluster or NO_CLUSTER, [0, 0, 0, 0])
        figures[0] += 1
        if status in RECEIVED:
            figures[2 if dossier_id in late else 1] += 1
        if status == "returned":
            figures[3] += 1
    return [Participation(name, *counts[name]) for name in sorted(counts)]


def round_participation(round_: Round) -> Participation:
    """The whole round's figures."""
    return total_of(participation(round_), "")
