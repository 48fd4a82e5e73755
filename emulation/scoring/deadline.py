"""The one deadline rule: where an instant falls in a submission or registration window."""

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

STATES = ("not_started", "open", "grace", "closed")


def window_state(
    now: datetime,
    *,
    opens_at: datetime | None,
    deadline: datetime,
    grace: timedelta = timedelta(0),
    late_policy: str = "reject",
) -> str:
    """Where `now` falls in a window: not_started, open, grace (late, flagged) or closed.

    The one deadline rule for dossiers and registrations alike, and for the engine when it
    scores a VALUES file that does not say whether each row was on time.
    """
    # The deadline is the last accepted second: 23:59:59.4 still counts as 23:59:59.
    instant = now.replace(microsecond=0)
    if opens_at is not None and instant < opens_at:
        return "not_started"
    if instant <= deadline:
        return "open"
    # Subtract from now rather than add to the deadline: a deadline at the calendar's end
    # (31/12/9999) plus the grace would overflow.
    if late_policy == "accept_flagged" and instant - grace <= deadline:
        return "grace"
    return "closed"


def after(instants: pd.Series, limit: datetime) -> np.ndarray:
    """Which instants fall after `limit` by the same whole-second rule (missing: not after)."""
    return (instants.dt.floor("s") > pd.Timestamp(limit)).to_numpy(dtype=bool)
