"""The live ranking is computed by the standings (kept here for old imports)."""

from ..standings.live import (
    RoundRanking,
    engine_round_code,
    explanation,
    interim_round,
    live_ranking,
    rule_points_of,
    standing,
)

__all__ = [
    "RoundRanking",
    "engine_round_code",
    "explanation",
    "interim_round",
    "live_ranking",
    "rule_points_of",
    "standing",
]
