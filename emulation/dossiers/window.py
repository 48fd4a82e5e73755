"""When a unit may submit: decided by the round's lifecycle (kept here for old imports)."""

from ..lifecycle.window import SubmissionWindow

__all__ = ["SubmissionWindow"]
