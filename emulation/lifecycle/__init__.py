"""A round's lifecycle, below every feature: windows, the counted instant, rules and freezing.

Features ask this layer whether a round or a unit's window is open, when a dossier counts as
submitted and on time, which rule set the round froze, and whether its ranking is frozen;
none of them decides it again.
"""

from .counting import CountedSubmission, counted_submission, counted_time
from .freeze import active_snapshot, is_frozen, lock_round
from .rules import rules_of
from .window import RegistrationWindow, SubmissionWindow, dossier_window_state, window_state

__all__ = [
    "CountedSubmission",
    "RegistrationWindow",
    "SubmissionWindow",
    "active_snapshot",
    "counted_submission",
    "counted_time",
    "dossier_window_state",
    "is_frozen",
    "lock_round",
    "rules_of",
    "window_state",
]
