"""A movement with an interim and a final round, six units in two clusters, council accounts."""

from datetime import timedelta
from pathlib import Path

import pytest

from emulation.extensions import db
from emulation.models import CriterionNote
from tests.support.instants import (  # noqa: F401  (the tests here import them from this module)
    COUNCIL_AT,
    FINAL_DEADLINE,
    INTERIM_DEADLINE,
)
from tests.support.worlds import (  # noqa: F401  (the tests here import them from this module)
    STAFF_ACCOUNTS,
    UNIT_ACCOUNTS,
    movement_world,
    submit,
    values_of,
)

RULES = Path(__file__).parent / "rules_council.toml"
AFTER = COUNCIL_AT

# unit code: (cluster, KYSO_a of 100, HOP, SAOLUU, TIN, LOLOT) — interim values
INTERIM = {
    "U1": ("Cụm 1", 90, 4, 1, 10, 0),  # 27 + 10 + 20 + 20 = 77
    "U2": ("Cụm 1", 100, 3, 1, 10, 0),  # 77.5
    "U3": ("Cụm 1", 50, 2, 0, 5, 0),  # 30, no band
    "U4": ("Cụm 1", 100, 4, 1, 10, 1),  # disqualified (data leak)
    "U5": ("Cụm 2", 90, 4, 1, 10, 0),  # 77, tied with U6
    "U6": ("Cụm 2", 96.66666667, 4, 1, 9, 0),  # 29 + 10 + 20 + 18 = 77, another mix
}


@pytest.fixture
def clock(set_now):
    """The app's clock, after both deadlines."""
    return set_now(AFTER)


@pytest.fixture
def council(app, make, clock):
    """Movement, rounds, units, candidates and accounts; no dossier yet."""
    units = {code: (cluster, f"VKSND {code}") for code, (cluster, *_rest) in INTERIM.items()}
    accounts = {
        **STAFF_ACCOUNTS,
        "r1": {"role": "reviewer", "username": "uyvien1", "full_name": "Ủy viên Một"},
        "r2": {"role": "reviewer", "username": "uyvien2", "full_name": "Ủy viên Hai"},
        "r3": {"role": "reviewer", "unit": "U1", "username": "uyvien3", "full_name": "Ủy viên Ba"},
        **UNIT_ACCOUNTS,
    }
    return movement_world(make, RULES, units, accounts, now=AFTER)


@pytest.fixture
def interim_dossiers(council):
    """Every unit's interim dossier, submitted a day before the deadline."""
    dossiers = {}
    for i, (code, (_c, *vals)) in enumerate(INTERIM.items()):
        at = INTERIM_DEADLINE - timedelta(days=1, minutes=i)
        dossiers[code] = submit(council.interim, council.candidates[code], values_of(*vals), at)
    db.session.add(CriterionNote(dossier=dossiers["U2"], criterion_code="A1", text="Ký số 100%."))
    db.session.commit()
    return dossiers


def reviewed(dossier, member, points: dict, *, by, finish=True):
    """A review of `dossier` by `member` with {indicator: points} adjustments, finished."""
    from emulation.council.assignment import assign_reviewer
    from emulation.council.reviewing import adjust
    from emulation.council.reviewing import finish as finish_review

    review = assign_reviewer(dossier, member, user=by, now=AFTER)
    for code, value in points.items():
        adjust(
            review,
            indicator_code=code,
            points=value,
            reason=f"Lý do {code}",
            user=member,
            now=AFTER,
        )
    if finish:
        finish_review(review, user=member, now=AFTER)
    db.session.commit()
    return review


def use_rules(round_, **replacements) -> None:
    """Change the round's rule text (e.g. aggregation or tie policy) for one test."""
    import hashlib

    text = round_.rules_text
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    round_.rules_text = text
    round_.rules_hash = hashlib.sha256(text.encode()).hexdigest()
    db.session.commit()


@pytest.fixture
def members(council, make):
    """Five council members: r1, r2, r3 (of unit U1), r4, r5."""
    council.r4 = make.user("reviewer", username="uyvien4", full_name="Ủy viên Bốn")
    council.r5 = make.user("reviewer", username="uyvien5", full_name="Ủy viên Năm")
    db.session.commit()
    return council


def hold_meeting(council, *present, total=5):
    """Record the interim round's meeting with these members present, the first chairing."""
    from emulation.council.votes import save_meeting

    save_meeting(
        council.interim,
        held_at=AFTER,
        place="Phòng họp số 1",
        members_total=total,
        present_ids=[m.id for m in present],
        chair_id=present[0].id,
        user=council.secretariat,
        now=AFTER,
    )
    db.session.commit()


def vote_as(client, auth, member, round_, dossiers, choice):
    """Sign in as `member` and cast the same vote on each dossier."""
    auth.logout()
    auth.login(member)
    data = {f"v_{d.id}": choice for d in dossiers}
    return client.post(f"/council/rounds/{round_.id}/vote", data=data)
