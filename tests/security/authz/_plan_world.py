"""What the registration and plan routes need: a movement with a [registration] table."""

import hashlib
import io
from datetime import date
from pathlib import Path

from flask import current_app

from emulation.evidence.storage import store_upload
from emulation.extensions import db
from emulation.models import Candidate, Movement, Registration, RegistrationTarget
from emulation.plan.operations import ActivityInput, add_activity, report_progress

from ._world import AFTER, DEADLINE, PDF

RULES = Path(__file__).parents[2] / "registration" / "rules_registration.toml"


def plan_world(w):
    """Once per world: the movement (units A and B enrolled), A's confirmed registration,
    an activity led by A with a progress report carrying a file."""
    if hasattr(w, "plan"):
        return w.plan
    movement = Movement(code="M-DANG-KY", name="Phong trào có đăng ký")
    db.session.add(movement)
    movement.rounds.append(
        w.round.__class__(
            code="so-ket-2024", kind="interim", name="Sơ kết", opens_at=w.round.opens_at,
            deadline=DEADLINE, rules_filename=RULES.name,
            rules_text=RULES.read_text(encoding="utf-8"),
            rules_hash=hashlib.sha256(RULES.read_bytes()).hexdigest(),
        )
    )  # fmt: skip
    for unit in w.units.values():
        db.session.add(Candidate(movement=movement, unit=unit))
    registration = Registration(
        movement=movement, unit=w.units["A"], status="confirmed", titles=[], note=""
    )
    registration.targets.append(RegistrationTarget(indicator_code="HOP", target=4))
    db.session.add(registration)
    db.session.flush()
    data = ActivityInput("1", "Tập huấn", w.units["A"], [], None, date(2024, 6, 30))
    activity = add_activity(movement, data, user=None, now=AFTER)
    stored = store_upload(
        io.BytesIO(PDF + b"plan"), "bien-ban.pdf",
        upload_dir=current_app.config["UPLOAD_DIR"], max_bytes=1 << 20,
    )  # fmt: skip
    report = report_progress(
        activity, progress=50, done=False, note="", stored=stored, user=None, now=AFTER
    )
    db.session.commit()
    w.plan = {"movement": movement, "activity": activity, "report": report}
    return w.plan


def movement_url(w):
    """URL values naming the registration movement."""
    return {"movement_id": plan_world(w)["movement"].id}


def unit_a_url(w):
    """URL values naming unit A's registration."""
    return {**movement_url(w), "code": w.units["A"].code}
