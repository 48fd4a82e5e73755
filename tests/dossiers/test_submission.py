"""Submitting, withdrawing and resubmitting dossiers around the deadline (named instants)."""

from datetime import timedelta

import pytest

from emulation.dossiers import operations as ops
from emulation.dossiers.supervision import grant_extension, return_for_supplement
from emulation.extensions import db
from emulation.models import AuditEvent, DossierVersion
from tests.support.instants import DEADLINE

SECOND = timedelta(seconds=1)
ONE_SECOND_BEFORE = DEADLINE - SECOND
AT_DEADLINE = DEADLINE
ONE_SECOND_AFTER = DEADLINE + SECOND
INSIDE_GRACE = DEADLINE + timedelta(minutes=30)
AFTER_GRACE = DEADLINE + timedelta(hours=1) + SECOND


@pytest.fixture
def dossier_factory(make):
    """A dossier in a round with the given late policy and grace."""

    def build(policy="reject", grace_seconds=0):
        movement = make.movement()
        round_ = movement.rounds[0]
        round_.late_policy, round_.grace_seconds = policy, grace_seconds
        unit = make.unit(code="VKS-HC")
        editor = make.user("unit_editor", unit)
        dossier = make.dossier(round_, make.candidate(movement, unit))
        ops.set_values(dossier, {"CDS1_a": 98, "CDS1_b": 100, "HT": "đạt"})
        db.session.commit()
        return dossier, editor

    return build


@pytest.mark.parametrize("instant", [ONE_SECOND_BEFORE, AT_DEADLINE])
def test_on_time_submission_accepted(dossier_factory, instant):
    dossier, editor = dossier_factory()
    version = ops.submit_dossier(dossier, user=editor, now=instant)
    assert version.number == 1 and not version.late
    assert version.submitted_at == instant
    assert version.payload["values"] == {"CDS1_a": 98.0, "CDS1_b": 100.0, "HT": "đạt"}
    assert dossier.status == "submitted"


@pytest.mark.parametrize("instant", [ONE_SECOND_AFTER, INSIDE_GRACE])
def test_late_submission_refused_with_the_deadline(dossier_factory, instant):
    dossier, editor = dossier_factory("reject", grace_seconds=3600)
    with pytest.raises(ops.DeadlinePassed) as refused:
        ops.submit_dossier(dossier, user=editor, now=instant)
    assert refused.value.deadline == DEADLINE and refused.value.now == instant
    assert db.session.execute(db.select(DossierVersion)).first() is None


def test_grace_window_accepts_and_flags_late(dossier_factory):
    dossier, editor = dossier_factory("accept_flagged", grace_seconds=3600)
    version = ops.submit_dossier(dossier, user=editor, now=INSIDE_GRACE)
    assert version.late


def test_after_grace_refused(dossier_factory):
    dossier, editor = dossier_factory("accept_flagged", grace_seconds=3600)
    with pytest.raises(ops.DeadlinePassed):
        ops.submit_dossier(dossier, user=editor, now=AFTER_GRACE)


def test_content_hash_covers_the_content(dossier_factory):
    dossier, editor = dossier_factory()
    first = ops.submit_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE - timedelta(days=2))
    ops.withdraw_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE - timedelta(days=2))
    second = ops.submit_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE - timedelta(days=1))
    assert first.content_hash == second.content_hash  # same content, same fingerprint
    ops.withdraw_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE)
    ops.set_values(dossier, {"CDS1_a": 99})
    third = ops.submit_dossier(dossier, user=editor, now=AT_DEADLINE)
    assert third.content_hash != second.content_hash
    assert [v.number for v in dossier.versions] == [1, 2, 3]
    assert len({v.receipt_no for v in dossier.versions}) == 3
    changes = ops.diff_payloads(second.payload, third.payload)
    assert changes == [{"key": "CDS1_a", "before": 98.0, "after": 99.0}]


def test_submitted_dossier_cannot_be_submitted_again_or_edited(dossier_factory):
    dossier, editor = dossier_factory()
    ops.submit_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE)
    with pytest.raises(ops.NotEditable):
        ops.submit_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE)
    with pytest.raises(ops.NotEditable):
        ops.editable_criteria(dossier, ONE_SECOND_BEFORE)


def test_withdraw_refused_after_deadline(dossier_factory):
    dossier, editor = dossier_factory()
    ops.submit_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE)
    with pytest.raises(ops.DeadlinePassed):
        ops.withdraw_dossier(dossier, user=editor, now=ONE_SECOND_AFTER)
    assert dossier.status == "submitted"


def test_extension_moves_this_units_deadline_only(dossier_factory, make):
    dossier, editor = dossier_factory()
    secretariat = make.user("secretariat")
    until = DEADLINE + timedelta(days=2)
    grant_extension(
        dossier.round,
        dossier.candidate.unit,
        until=until,
        reason="Mất điện",
        user=secretariat,
        now=DEADLINE - timedelta(days=1),
    )
    version = ops.submit_dossier(dossier, user=editor, now=DEADLINE + timedelta(days=1))
    assert not version.late
    assert dossier.round.state(DEADLINE + timedelta(days=1)) == "closed"  # others: closed
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "deadline_extended" in actions


def test_extension_needs_a_reason_and_a_later_time(dossier_factory, make):
    dossier, _editor = dossier_factory()
    secretariat = make.user("secretariat")
    with pytest.raises(ValueError):
        grant_extension(
            dossier.round,
            dossier.candidate.unit,
            until=DEADLINE + SECOND,
            reason="  ",
            user=secretariat,
            now=DEADLINE,
        )
    with pytest.raises(ValueError):
        grant_extension(
            dossier.round,
            dossier.candidate.unit,
            until=DEADLINE,
            reason="x",
            user=secretariat,
            now=DEADLINE,
        )


def test_return_for_supplement_reopens_only_named_criteria(dossier_factory, make):
    dossier, editor = dossier_factory()
    reviewer = make.user("reviewer")
    ops.submit_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE)
    due = DEADLINE + timedelta(days=5)
    return_for_supplement(
        dossier,
        criteria=["TC1"],
        reason="Thiếu biên bản",
        due_at=due,
        user=reviewer,
        now=DEADLINE + timedelta(days=1),
    )
    assert dossier.status == "returned"
    now = DEADLINE + timedelta(days=2)
    assert ops.editable_criteria(dossier, now) == {"TC1"}
    changed = ops.save_draft(
        dossier,
        values={"CDS1_a": 100, "HT": "không đạt"},
        self_points={},
        notes={"TC1": "Bổ sung biên bản", "TC2": "không được phép"},
        owners={"CDS1_a": "TC1", "HT": "TC2"},
        user=editor,
        now=now,
    )
    assert changed == ["CDS1_a", "TC1"]
    version = ops.submit_dossier(dossier, user=editor, now=now)
    assert version.number == 2 and dossier.open_supplement is None
    assert version.payload["values"]["HT"] == "đạt"
    with pytest.raises(ops.DeadlinePassed):
        return_for_supplement(
            dossier, criteria=["TC1"], reason="Lần 2", due_at=due, user=reviewer, now=now
        )
        ops.submit_dossier(dossier, user=editor, now=due + SECOND)


def test_stale_lock_version_refused(dossier_factory):
    dossier, _editor = dossier_factory()
    opened_with = dossier.lock_version
    ops.check_lock(dossier, opened_with)
    ops.save_draft(
        dossier,
        values={"CDS1_a": 50},
        self_points={},
        notes={},
        owners={},
        user=_editor,
        now=ONE_SECOND_BEFORE,
    )
    db.session.commit()
    with pytest.raises(ops.StaleDossier):
        ops.check_lock(dossier, opened_with)


def test_every_action_is_audited(dossier_factory):
    dossier, editor = dossier_factory()
    ops.save_draft(
        dossier,
        values={"CDS1_a": 97},
        self_points={},
        notes={},
        owners={},
        user=editor,
        now=ONE_SECOND_BEFORE - timedelta(hours=1),
    )
    ops.submit_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE - timedelta(minutes=5))
    ops.withdraw_dossier(dossier, user=editor, now=ONE_SECOND_BEFORE)
    events = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [e.action for e in events] == ["dossier_saved", "dossier_submitted", "dossier_withdrawn"]
    assert all(e.actor_id == editor.id for e in events)
    assert events[0].details == {"changed": ["CDS1_a"]}
