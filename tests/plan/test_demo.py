"""The demo holds registrations and a plan modelled on the seed plans."""

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from emulation.demo import load_demo
from emulation.extensions import db
from emulation.models import Movement, PlanActivity, Registration
from emulation.registration.operations import RegistrationWindow

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def test_demo_registrations_and_plan(app):
    load_demo(now=NOW)
    db.session.commit()
    seed, open_ = db.session.execute(select(Movement).order_by(Movement.id)).scalars().all()
    statuses = Counter(
        r.status
        for r in db.session.execute(select(Registration).filter_by(movement_id=seed.id)).scalars()
    )
    assert statuses == {"accepted": 16, "confirmed": 1, "draft": 1}  # one unit never registered
    activities = (
        db.session.execute(select(PlanActivity).filter_by(movement_id=seed.id)).scalars().all()
    )
    assert len(activities) == 11
    assert all(a.lead_unit and a.due_at for a in activities)
    assert sum(a.overdue(NOW) for a in activities) == 1
    assert sum(1 for a in activities if a.completed_at and not a.on_time()) == 1
    assert RegistrationWindow.for_movement(open_).is_open(NOW)
    assert not RegistrationWindow.for_movement(seed).is_open(NOW)
