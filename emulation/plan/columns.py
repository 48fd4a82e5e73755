"""The derived VALUES columns now live with the values table (kept here for old imports)."""

from ..standings.derived import COUNTED, fill_derived_columns

__all__ = ["COUNTED", "fill_derived_columns"]
