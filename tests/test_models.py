"""Database constraints refuse rows that break the domain's invariants."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from emulation.extensions import db
from emulation.models import (
    Adjustment,
    Candidate,
    Dossier,
    DossierVersion,
    Review,
    Unit,
    User,
)
from tests.support.instants import DEADLINE


def _fails(exc=IntegrityError):
    return pytest.raises(exc)


def test_unit_codes_are_unique(make):
    make.unit(code="VKS-HC")
    with _fails():
        make.unit(code="VKS-HC")


def test_unit_role_needs_a_unit(app):
    db.session.add(User(username="x", full_name="X", role="unit_editor", password_hash="h"))
    with _fails():
        db.session.flush()


def test_unknown_role_refused(app):
    db.session.add(User(username="x", full_name="X", role="king", password_hash="h"))
    with _fails():
        db.session.flush()


def test_one_live_dossier_per_candidate_per_round(make):
    movement = make.movement()
    candidate = make.candidate(movement, make.unit())
    make.dossier(movement.rounds[0], candidate)
    with _fails():
        make.dossier(movement.rounds[0], candidate)


def test_a_unit_competes_once_as_a_collective_but_may_nominate_many_people(make):
    movement, unit = make.movement(), make.unit()
    make.candidate(movement, unit)
    make.candidate(movement, unit, kind="individual", person_name="Nguyễn Văn A")
    make.candidate(movement, unit, kind="individual", person_name="Trần Thị B")
    with _fails():
        make.candidate(movement, unit)


def test_individual_candidate_needs_a_name(make):
    with _fails():
        make.candidate(make.movement(), make.unit(), kind="individual")


def test_round_must_open_before_its_deadline(make):
    movement = make.movement()
    deadline = movement.rounds[0].deadline
    with _fails():
        make.round_(movement, opens_at=deadline + timedelta(days=1), deadline=deadline)


def test_round_kind_and_late_policy_are_known(make):
    movement = make.movement()
    with _fails():
        make.round_(movement, kind="annual")
    db.session.rollback()
    movement = make.movement()
    with _fails():
        make.round_(movement, late_policy="maybe")


def test_adjustment_points_not_negative_and_reason_required(make):
    movement = make.movement()
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, make.unit()))
    review = Review(dossier=dossier, reviewer=make.user("reviewer"))
    db.session.add(review)
    db.session.flush()
    db.session.add(Adjustment(review=review, indicator_code="A1", points=-1, reason="x"))
    with _fails():
        db.session.flush()
    db.session.rollback()


def test_adjustment_needs_reason(make):
    movement = make.movement()
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, make.unit()))
    review = Review(dossier=dossier, reviewer=make.user("reviewer"))
    db.session.add(review)
    db.session.flush()
    db.session.add(Adjustment(review=review, indicator_code="A1", points=3, reason=""))
    with _fails():
        db.session.flush()


def test_foreign_keys_enforced(app):
    db.session.add(Unit(code="X", name="X", cluster_id=999))
    with _fails():
        db.session.flush()


def _version(dossier, number=1, receipt="HS-1"):
    return DossierVersion(
        dossier=dossier,
        number=number,
        receipt_no=receipt,
        submitted_at=datetime(2024, 8, 1, tzinfo=UTC),
        content_hash="a" * 64,
        payload={"values": {}},
    )


def test_submitted_version_is_immutable(make):
    movement = make.movement()
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, make.unit()))
    version = _version(dossier)
    db.session.add(version)
    db.session.flush()
    version.late = True
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()


def test_version_numbers_unique_per_dossier(make):
    movement = make.movement()
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, make.unit()))
    db.session.add_all([_version(dossier, 1, "HS-1"), _version(dossier, 1, "HS-2")])
    with _fails():
        db.session.flush()


def test_times_are_stored_in_utc_and_come_back_aware(make):
    hanoi = timezone(timedelta(hours=7))
    movement = make.movement()
    round_ = movement.rounds[0]
    round_.deadline = datetime(2024, 8, 30, 23, 59, 59, tzinfo=hanoi)
    db.session.commit()
    db.session.expire_all()
    assert round_.deadline == DEADLINE
    assert round_.deadline.tzinfo is UTC


def test_naive_datetime_refused(make):
    movement = make.movement()
    movement.rounds[0].deadline = datetime(2024, 8, 30, 23, 59, 59)
    with _fails(StatementError):
        db.session.flush()


@pytest.mark.commits  # another connection changes the row behind the session's back
def test_optimistic_lock_refuses_stale_save(make, app):
    from sqlalchemy.orm.exc import StaleDataError

    movement = make.movement()
    dossier = make.dossier(movement.rounds[0], make.candidate(movement, make.unit()))
    db.session.commit()
    with db.engine.begin() as other:
        other.exec_driver_sql(
            f"UPDATE dossiers SET lock_version = lock_version + 1 WHERE id = {dossier.id}"
        )
    dossier.status = "submitted"
    with pytest.raises(StaleDataError):
        db.session.flush()


def test_candidate_display_name(make):
    movement, unit = make.movement(), make.unit(name="VKSND quận Hải Châu")
    assert make.candidate(movement, unit).display_name == "VKSND quận Hải Châu"
    person = Candidate(movement=movement, unit=unit, kind="individual", person_name="Lê Văn C")
    assert person.display_name == "Lê Văn C"
    assert isinstance(Dossier(status="draft").status, str)
