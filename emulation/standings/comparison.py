"""Two reviews of one candidate side by side: points and ranks (in its group and overall)."""

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
    interim_rank_in_group: int | None = None
    final_rank_in_group: int | None = None

    @property
    def points_change(self) -> float | None:
        """Final total minus interim total."""
        if self.interim_total is None or self.final_total is None:
            return None
        return round(self.final_total - self.interim_total, 4)

    @property
    def rank_change(self) -> int | None:
        """Places gained in the overall ranking (positive: moved up)."""
        return _gain(self.interim_rank, self.final_rank)

    @property
    def rank_in_group_change(self) -> int | None:
        """Places gained in the candidate's ranking group (positive: moved up)."""
        return _gain(self.interim_rank_in_group, self.final_rank_in_group)


def _gain(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else before - after


def _total(record: dict | None) -> float | None:
    return None if record is None else float(record["total"])


def change_of(key: str, before: dict | None, after: dict | None) -> Change:
    """How one candidate's record moved between two reviews (either may be missing)."""
    return Change(
        key=key,
        name=(after or before)["unit_name"],
        interim_total=_total(before),
        final_total=_total(after),
        interim_rank=before["rank_overall"] if before else None,
        final_rank=after["rank_overall"] if after else None,
        interim_rank_in_group=before.get("rank_in_group") if before else None,
        final_rank_in_group=after.get("rank_in_group") if after else None,
    )


def compare(interim: list[dict], final: list[dict]) -> list[Change]:
    """Every candidate of either review, final order first, then those only in the interim.

    A disqualified candidate keeps its points but has no rank.
    """
    before = {r["unit_code"]: r for r in interim}
    after = {r["unit_code"]: r for r in final}
    keys = sorted(
        after,
        key=lambda k: (after[k]["rank_overall"] is None, after[k]["rank_overall"] or 0, k),
    )
    keys += sorted(k for k in before if k not in after)
    return [change_of(key, before.get(key), after.get(key)) for key in keys]
