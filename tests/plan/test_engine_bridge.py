"""Registered targets, registration status and plan counts reach the engine from the app."""

from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from emulation.council.loading import load_entries
from emulation.dossiers.operations import fill_and_submit
from emulation.dossiers.scoring import round_frame, rules_of
from emulation.extensions import db
from emulation.models import Candidate, Dossier
from emulation.plan.operations import ActivityInput, add_activity, report_progress
from emulation.registration import operations as reg
from emulation.scoring import score
from tests.registration.conftest import BEFORE, ROUND_DEADLINE

VALUES = {"KYSO_a": 90, "KYSO_b": 100, "HOP": 4}


def _plan(world):
    """Three activities led by VKS-HC due before the round: one on time, one late, one open."""
    made = []
    for number, due in (
        ("1", date(2024, 5, 31)),
        ("2", date(2024, 6, 30)),
        ("3", date(2024, 7, 31)),
    ):
        data = ActivityInput(number, f"Nhiệm vụ {number}", world.unit, [], None, due)
        made.append(add_activity(world.movement, data, user=None, now=BEFORE))
    on_time, late, _open = made
    report_progress(on_time, progress=100, done=True, note="", user=world.editor,
                    now=on_time.due_at - timedelta(days=1))  # fmt: skip
    report_progress(late, progress=100, done=True, note="", user=world.editor,
                    now=late.due_at + timedelta(seconds=1))  # fmt: skip


def _submit(world):
    round_ = world.movement.rounds[0]
    for unit in (world.unit, world.other):
        candidate = db.session.execute(
            select(Candidate).filter_by(unit_id=unit.id, movement_id=world.movement.id)
        ).scalar_one()
        fill_and_submit(round_, candidate, VALUES, user=None, now=ROUND_DEADLINE - timedelta(1))
    return round_


@pytest.fixture
def scored(world, set_now):
    """VKS-HC registered (KYSO ≥ 95%, HOP 4) and has a plan; VKS-TK did not register."""
    set_now(BEFORE)
    registration = reg.save_draft(
        world.movement, world.unit, targets={"KYSO": 0.95, "HOP": 4}, titles=[], note="",
        user=world.editor, now=BEFORE,
    )  # fmt: skip
    reg.confirm(registration, user=world.head, now=BEFORE)
    _plan(world)
    round_ = _submit(world)
    db.session.commit()
    set_now(ROUND_DEADLINE + timedelta(days=3))
    return round_


def _check(result):
    table = result.table.set_index("unit_code")
    details = result.details.set_index(["unit_code", "indicator_code"])
    # 90 % against its own 95 % target: 30 × 0.9 / 0.95; no target → 0 points.
    assert details.loc[("VKS-HC", "KYSO"), "points"] == pytest.approx(28.42)
    assert details.loc[("VKS-TK", "KYSO"), "points"] == 0.0
    assert table.loc["VKS-HC", "penalty"] == 0.0
    assert table.loc["VKS-TK", "penalty"] == 5.0
    # Plan: 3 due by the round's deadline, 1 completed on time → 10 × 1/3.
    assert details.loc[("VKS-HC", "KH_DUNG_HAN"), "points"] == pytest.approx(3.33)
    assert np.isnan(result.values.set_index("unit_code").loc["VKS-TK", "plan_on_time_share"])


def test_council_ranking_scores_against_registered_targets(world, scored):
    rules = rules_of(scored)
    _entries, frame = load_entries(scored, rules)
    _check(score(rules, frame, round_code=scored.code))


def test_dossier_page_scores_the_same(world, scored):
    rules = rules_of(scored)
    dossiers = db.session.execute(select(Dossier)).scalars().all()
    _check(score(rules, round_frame(rules, dossiers), round_code=scored.code))


def test_returned_registration_no_longer_counts(world, scored):
    registration = reg.get_registration(world.movement, world.unit)
    reg.return_registration(registration, reason="Sai", user=world.secretariat, now=BEFORE)
    rules = rules_of(scored)
    result = score(rules, load_entries(scored, rules)[1], round_code=scored.code)
    assert result.table.set_index("unit_code").loc["VKS-HC", "penalty"] == 5.0


def test_activity_not_yet_due_counts_only_once_done(world, scored, set_now):
    # Before 31/07 the third activity is still on schedule: 1 of 2 due so far.
    set_now(ROUND_DEADLINE - timedelta(days=45))
    rules = rules_of(scored)
    values = load_entries(scored, rules)[1].set_index("unit_code")
    assert (values.loc["VKS-HC", "plan_due"], values.loc["VKS-HC", "plan_on_time"]) == (2, 1)
