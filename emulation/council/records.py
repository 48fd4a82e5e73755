"""Result records are built by the standings (kept here for old imports)."""

from ..standings.records import table_records

__all__ = ["table_records"]
