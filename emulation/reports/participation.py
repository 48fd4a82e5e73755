"""Who took part in a round, per cluster (counted by the round's lifecycle)."""

from ..lifecycle.participation import DEFINITION, Participation, participation, total_of

__all__ = ["DEFINITION", "Participation", "participation", "total_of"]
