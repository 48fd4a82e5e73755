"""A small world for notification tests: one unit (editor, head), a round, a secretariat."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from emulation.extensions import db
from emulation.models import Candidate, Dossier, Round, Unit, User

# Named instants around the round's deadline, 23:59:59 on 30/08/2024 in Vietnam.
DEADLINE = datetime(2024, 8, 30, 16, 59, 59, tzinfo=UTC)
OPENS = DEADLINE - timedelta(days=60)
REMINDERS = '["7d", "3d", "1d", "2h"]'


def rules_with_reminders(text: str) -> str:
    """The small test rule file with reminder offsets on its round."""
    anchor = "award_date = 2024-10-10"
    return text.replace(anchor, f"{anchor}\nreminders = {REMINDERS}", 1)


@dataclass
class World:
    unit: Unit
    editor: User
    head: User
    secretariat: User
    round: Round
    candidate: Candidate
    dossier: Dossier


def build(make, *, email=True) -> World:
    """Hải Châu with an editor and a head (with addresses), a movement and an empty dossier."""
    unit = make.unit(code="VKS-HC", name="VKSND quận Hải Châu")
    editor = make.user(
        "unit_editor",
        unit=unit,
        username="canbo.haichau",
        full_name="Phạm Văn Nam",
        email="canbo@haichau.example" if email else None,
    )
    head = make.user(
        "unit_head",
        unit=unit,
        username="truong.haichau",
        full_name="Đỗ Thị Lan",
        email="truong@haichau.example" if email else None,
    )
    secretariat = make.user("secretariat", username="thuky", email="thuky@vks.example")
    movement = make.movement()
    round_ = movement.rounds[0]
    round_.name = "Sơ kết năm 2024"
    round_.rules_text = rules_with_reminders(round_.rules_text)
    round_.rules_hash = hashlib.sha256(round_.rules_text.encode()).hexdigest()
    round_.opens_at = OPENS
    candidate = make.candidate(movement, unit)
    dossier = make.dossier(round_, candidate)
    db.session.commit()
    return World(unit, editor, head, secretariat, round_, candidate, dossier)
