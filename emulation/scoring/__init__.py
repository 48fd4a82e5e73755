"""Scoring engine: rule files in, points, ranks and explanations out (no Flask, no database)."""

from .engine import ScoreResult, score
from .errors import FormulaError, Problem, RuleError, ValuesError
from .loader import load_rules, loads_rules
from .methods import METHODS, round_half_up
from .model import AwardTier, Band, Criterion, Group, Indicator, MovementSpec, RoundSpec, RuleSet
from .reviews import aggregate_reviews
from .values import read_values, validate_values

__all__ = [
    "METHODS",
    "AwardTier",
    "Band",
    "Criterion",
    "FormulaError",
    "Group",
    "Indicator",
    "MovementSpec",
    "Problem",
    "RoundSpec",
    "RuleError",
    "RuleSet",
    "ScoreResult",
    "ValuesError",
    "aggregate_reviews",
    "load_rules",
    "loads_rules",
    "read_values",
    "round_half_up",
    "score",
    "validate_values",
]
