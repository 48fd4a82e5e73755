"""Interim → final comparison per candidate: points and overall rank in both reviews."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One candidate's interim and final standing (None where it took no part or was excluded)."""

    key: str
    name: str
    interim_total: float | None
    final_total: float | None
    interim_rank: int | None
    final_rank: int | None

    @property
    def points_change(self) -> float | None:
        """Final total minus interim total."""
        if self.interim_total is None or self.final_total is None:
            return None
        return round(self.final_total - self.interim_total, 4)

    @property
    def rank_change(self) -> int | None:
        """Places gained in the overall ranking (positive: moved up)."""
        if self.interim_rank is None or self.final_rank is None:
            return None
        return self.interim_rank - self.final_rank


def _by_key(records: list[dict]) -> dict[str, dict]:
    return {r["unit_code"]: r for r in records}


def _total(record: dict | None) -> float | None:
    return None if record is None else float(record["total"])


def compare(interim: list[dict], final: list[dict]) -> list[Change]:
    """Every candidate of either review, final order first, then those only in the interim.

    A disqualified candidate keeps its points but has no rank.
    """
    before, after = _by_key(interim), _by_key(final)
    keys = sorted(
        after,
        key=lambda k: (after[k]["rank_overall"] is None, after[k]["rank_overall"] or 0, k),
    )
    keys += sorted(k for k in before if k not in after)
    changes = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        changes.append(
            Change(
                key=key,
                name=(new or old)["unit_name"],
                interim_total=_total(old),
                final_total=_total(new),
                interim_rank=old["rank_overall"] if old else None,
                final_rank=new["rank_overall"] if new else None,
            )
        )
    return changes


def most_improved(changes: list[Change], n: int = 5) -> list[Change]:
    """The n candidates whose total rose most (rises only; ties by places gained, then key)."""
    risen = [c for c in changes if c.points_change is not None and c.points_change > 0]
    risen.sort(key=lambda c: (-c.points_change, -(c.rank_change or 0), c.key))
    return risen[:n]


def biggest_moves(changes: list[Change], n: int = 20) -> list[Change]:
    """Up to n candidates with both totals, largest change in points first (for the chart)."""
    both = [c for c in changes if c.points_change is not None]
    both.sort(key=lambda c: (-abs(c.points_change), c.key))
    return both[:n]
