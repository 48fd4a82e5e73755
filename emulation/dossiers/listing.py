"""Filters of a round's list of dossiers: unit name or code, cluster, status, late, returned."""

from dataclasses import dataclass

from ..folding import matches
from ..models import Candidate, Dossier
from ..models.dossiers import DOSSIER_STATES

NO_DOSSIER = "none"


@dataclass
class DossierFilter:
    """What the secretariat asked to see; unknown values are ignored, never an error."""

    q: str = ""
    cluster_id: int | None = None
    status: str = ""
    late: bool = False
    returned: bool = False

    @classmethod
    def from_args(cls, args) -> "DossierFilter":
        """Read the filter from request arguments."""
        cluster = (args.get("cluster") or "").strip()
        status = args.get("status") or ""
        return cls(
            q=(args.get("q") or "").strip()[:100],
            cluster_id=int(cluster) if cluster.isdigit() and len(cluster) < 12 else None,
            status=status if status in (*DOSSIER_STATES, NO_DOSSIER) else "",
            late=args.get("late") == "1",
            returned=args.get("returned") == "1",
        )

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return bool(self.q or self.cluster_id or self.status or self.late or self.returned)

    def keeps(self, candidate: Candidate, dossier: Dossier | None) -> bool:
        """Whether the candidate's row stays in the list."""
        unit = candidate.unit
        if not matches(self.q, unit.code, unit.name, candidate.display_name):
            return False
        if self.cluster_id is not None and unit.cluster_id != self.cluster_id:
            return False
        if self.status and (dossier.status if dossier else NO_DOSSIER) != self.status:
            return False
        version = dossier.latest_version if dossier else None
        if self.late and not (version and version.late):
            return False
        return not (self.returned and not (dossier and dossier.supplements))


def filtered(candidates: list[Candidate], dossiers: dict, f: DossierFilter) -> list[Candidate]:
    """The candidates whose row the filter keeps."""
    return [c for c in candidates if f.keeps(c, dossiers.get(c.id))]
