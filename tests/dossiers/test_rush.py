"""The deadline rush: many concurrent submissions around the deadline instant."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from emulation.dossiers import operations as ops
from emulation.extensions import db
from emulation.models import Dossier, DossierVersion
from tests.support.instants import DEADLINE

# Fifty threads submit at once, each on its own connection: they must see committed rows.
pytestmark = pytest.mark.commits

THREADS = 50


@pytest.fixture
def app_config(app_config):
    """Enough pooled connections for every thread at once."""
    if app_config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        app_config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": THREADS + 5, "max_overflow": 0}
    return app_config


def _submit(app, dossier_id, instant, barrier, outcomes, lock):
    with app.app_context():
        barrier.wait()
        try:
            dossier = db.session.get(Dossier, dossier_id)
            ops.submit_dossier(dossier, user=None, now=instant)
            db.session.commit()
            outcome = "accepted"
        except ops.DeadlinePassed:
            db.session.rollback()
            outcome = "late"
        except (ops.NotEditable, StaleDataError, IntegrityError):
            db.session.rollback()
            outcome = "duplicate"
        except OperationalError:
            db.session.rollback()
            outcome = "busy"
        finally:
            db.session.remove()
        with lock:
            outcomes.append((dossier_id, instant, outcome))


def test_rush_around_the_deadline(app, make):
    movement = make.movement()
    round_ = movement.rounds[0]
    dossiers = []
    for index in range(THREADS // 2):
        unit = make.unit(code=f"U{index:03d}")
        dossier = make.dossier(round_, make.candidate(movement, unit))
        ops.set_values(dossier, {"A": index})
        dossiers.append(dossier.id)
    db.session.commit()
    # Each dossier gets two concurrent attempts: on-time ones twice (one must win),
    # the last few only after the deadline.
    late = set(dossiers[-5:])
    jobs = []
    for offset, dossier_id in enumerate(dossiers):
        if dossier_id in late:
            instants = [DEADLINE + timedelta(seconds=1), DEADLINE + timedelta(seconds=2)]
        else:
            instants = [DEADLINE - timedelta(seconds=offset % 3), DEADLINE]
        jobs += [(dossier_id, instant) for instant in instants]
    barrier, lock, outcomes = threading.Barrier(len(jobs)), threading.Lock(), []
    threads = [
        threading.Thread(target=_submit, args=(app, d, i, barrier, outcomes, lock)) for d, i in jobs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == len(jobs)
    db.session.expire_all()
    versions = db.session.execute(db.select(DossierVersion)).scalars().all()
    by_dossier = {}
    for version in versions:
        by_dossier.setdefault(version.dossier_id, []).append(version)
    on_time = set(dossiers) - late
    assert set(by_dossier) == on_time  # every on-time dossier accepted, no late one
    assert all(len(v) == 1 for v in by_dossier.values())  # exactly once, no duplicate
    accepted = [o for o in outcomes if o[2] == "accepted"]
    assert sorted(d for d, _i, _o in accepted) == sorted(on_time)  # clients told the truth
    assert {o[2] for o in outcomes if o[0] in late} == {"late"}
    busy = [o for o in outcomes if o[2] == "busy"]
    assert busy == [] or db.engine.dialect.name == "sqlite"
