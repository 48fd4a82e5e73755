"""Formula-safe spreadsheet cells (the engine's own, so its CSV output is safe too)."""

from ..scoring.cells import FORMULA_STARTS, safe_cell

__all__ = ["FORMULA_STARTS", "safe_cell"]
