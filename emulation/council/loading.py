"""The values table is read by the standings (kept here for old imports)."""

from ..standings.loading import Entry, counted_time, load_entries, reviews_of

__all__ = ["Entry", "counted_time", "load_entries", "reviews_of"]
