"""Interim → final comparison per candidate: points and overall rank in both reviews."""

from ..standings.comparison import Change, compare

__all__ = ["Change", "biggest_moves", "compare", "most_improved"]


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
