"""Every reminder due at an instant: rounds, registrations, plan, council, digest."""

from datetime import datetime

from ..extensions import db
from ..models import Movement, Round
from .council import plan_digests, plan_review_reminders
from .reminders import LOOK_BACK, plan_activities, plan_registrations, plan_round


def plan_all(now: datetime) -> int:
    """Every reminder due at `now`: rounds, registrations, plan, council, digest. Flushes."""
    written = 0
    rounds = db.session.scalars(
        db.select(Round).where(Round.opens_at <= now, Round.deadline > now - LOOK_BACK)
    )
    for round_ in rounds:
        written += plan_round(round_, now)
    for movement in db.session.scalars(db.select(Movement)):
        written += plan_registrations(movement, now)
    written += plan_activities(now)
    written += plan_review_reminders(now)
    written += plan_digests(now)
    return written
