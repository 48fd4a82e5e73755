"""The dossier page works with registrable indicators, the penalty and the plan formula."""

import re
from datetime import timedelta

from sqlalchemy import select

from emulation.dossiers.scoring import provisional_result
from emulation.extensions import db
from emulation.models import Candidate
from emulation.registration import operations as reg

from .conftest import BEFORE, ROUND_DEADLINE


def test_dossier_page_scores_against_the_registered_target(world, client, auth, set_now):
    set_now(BEFORE)
    registration = reg.save_draft(
        world.movement, world.unit, targets={"KYSO": 0.9, "HOP": 4}, titles=[], note="",
        user=world.editor, now=BEFORE,
    )  # fmt: skip
    reg.confirm(registration, user=world.head, now=BEFORE)
    db.session.commit()
    set_now(ROUND_DEADLINE - timedelta(days=2))
    auth.login(world.editor)
    round_ = world.movement.rounds[0]
    response = client.post(f"/rounds/{round_.id}/dossier")
    edit = response.headers["Location"]
    form = client.get(edit).get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', form).group(1)
    data = {"v_KYSO_a": "90", "v_KYSO_b": "100", "v_HOP": "4", "lock_version": lock}
    saved = client.post(edit, data=data)
    assert saved.status_code == 302
    page = client.get(edit).get_data(as_text=True)
    assert response.status_code == 302 and "Traceback" not in page
    # 90 % against the unit's own 90 % target: full 30 points, and no penalty.
    assert "Không đăng ký thi đua" in page
    candidate = db.session.execute(select(Candidate).filter_by(unit_id=world.unit.id)).scalar_one()
    result, key = provisional_result(_dossier(round_, candidate))
    row = result.table.set_index("unit_code").loc[key]
    assert row["ND1"] == 40.0 and row["penalty"] == 0.0


def _dossier(round_, candidate):
    from emulation.models import Dossier

    return db.session.execute(
        select(Dossier).filter_by(round_id=round_.id, candidate_id=candidate.id)
    ).scalar_one()
