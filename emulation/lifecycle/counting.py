"""When a dossier counts as submitted, and whether on time: decided once, from its versions."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CountedSubmission:
    """The instant a dossier counts as submitted at, and whether that was on time."""

    at: datetime
    on_time: bool


def counted_submission(
    versions: list[tuple[datetime, bool]], resolved: set, deadline: datetime
) -> CountedSubmission:
    """The counted instant and on-time flag of a dossier, for lateness and the tie-break.

    `versions` are (submitted_at, late) in order; `late` was decided by the submission window
    when the version arrived. A version sent in answer to a council request for supplement
    keeps the time (and lateness) of the submission it supplements; one sent on time under
    an extension counts as at the round's deadline.
    """
    own = [v for v in versions if v[0] not in resolved] or versions[:1]
    submitted_at, late = own[-1]
    if not late and submitted_at > deadline:
        return CountedSubmission(deadline, True)
    return CountedSubmission(submitted_at, not late)


def counted_time(versions: list[tuple[datetime, bool]], resolved: set, deadline: datetime):
    """When the dossier counts as submitted (see counted_submission)."""
    return counted_submission(versions, resolved, deadline).at
