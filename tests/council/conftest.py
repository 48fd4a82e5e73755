"""A movement with an interim and a final round, six units in two clusters, council accounts.

The world is built once per module and each test rolls back to it (tests/support/database.py).
"""

import contextlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from emulation.council.snapshots import freeze
from emulation.council.votes import save_meeting
from emulation.extensions import db
from emulation.models import CriterionNote
from tests.conftest import Auth, Clock, Factory, needs_commits
from tests.support.database import (
    LAYERS,
    rebind,
    shared_app,
    test_config,
    use_instance,
    world_layer,
)
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
ISSUER = """
[issuer]
superior = "Viện kiểm sát nhân dân tối cao"
name = "Viện kiểm sát nhân dân thành phố Đà Nẵng"
symbol = "VKSĐN"
council_secretary = "Lê Thị Hoa"
legal_bases = ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"]
recipients = ["Như Điều 3;", "Lưu: VT, HĐTĐKT."]
signer = { authority = "KT. VIỆN TRƯỞNG", position = "PHÓ VIỆN TRƯỞNG", name = "Nguyễn Văn Thành" }

[ranking]"""
HIGHER = 'min_band = "tot"\nauthority = "higher"\nproposed_to = "Viện kiểm sát nhân dân tối cao"'

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


class ModuleLayers:
    """The module's world, built once and rolled back to at the end of each test.

    The world is built in steps (STEPS), each in a transaction nested in the one before: a
    test that asks for less than the world holds rolls back the steps it does not want, and
    one that asks for more builds only the steps missing.
    """

    def __init__(self, database_url, tmp_path_factory):
        self.database_url = database_url
        self.tmp_path_factory = tmp_path_factory
        self.app = None
        self.layers: list[tuple[contextlib.ExitStack, SimpleNamespace]] = []

    def get(self, step: str) -> SimpleNamespace:
        """The world up to `step` (one of STEPS)."""
        wanted = list(STEPS).index(step) + 1
        while len(self.layers) > wanted:
            self.layers.pop()[0].close()
        while len(self.layers) < wanted:
            self._push(list(STEPS)[len(self.layers)])
        return self.layers[-1][1]

    def _push(self, step: str) -> None:
        # A step that fails is rolled back at once: its half-built rows never reach a test.
        with contextlib.ExitStack() as layer:
            if not self.layers:
                instance = self.tmp_path_factory.mktemp("council-world")
                self.app = shared_app(test_config(self.database_url, instance))
                layer.enter_context(world_layer(self.app, instance))
            else:
                layer.enter_context(LAYERS.rolled_back(self.app))
            with self.app.app_context():
                self.app.config["NOW"] = Clock(AFTER)
                if self.layers:
                    world = rebind(self.layers[-1][1])
                else:
                    world = SimpleNamespace(council=None, dossiers=None, documents=None, made=0)
                make = Factory(start=world.made)
                STEPS[step](world, make, self.app)
                world.made = make.made
            self.layers.append((layer.pop_all(), world))

    def close(self) -> None:
        """Roll back the whole world (before a test that builds its own)."""
        while self.layers:
            self.layers.pop()[0].close()


@pytest.fixture(scope="module")
def module_layers(migrated, tmp_path_factory):
    """The module's world, rolled back when the module ends."""
    layers = ModuleLayers(migrated, tmp_path_factory)
    yield layers
    layers.close()


@pytest.fixture
def module_world(request, module_layers):
    """The world this test starts from, or None when the test builds its own.

    A test that commits (or builds an app of its own) cannot see a world held in an open
    transaction, and would wait on its locks: the world is rolled back and built for it alone.
    """
    names = request.fixturenames
    if "council" not in names or needs_commits(request):
        module_layers.close()
        return None
    step = "documents" if "documents" in names else "council"
    if step == "council" and "interim_dossiers" in names:
        step = "dossiers"
    return module_layers.get(step)


@pytest.fixture
def app(module_world, module_layers, app, app_config):
    """The session's app, the module's world (when the test uses it) held under its transaction."""
    if module_world is not None:
        # A test that changed its configuration would run on another app than the world's.
        assert app is module_layers.app, "the module world is built on the session's app"
        # Files a test writes go to its own instance folder, as without a module world.
        use_instance(app, Path(app_config["INSTANCE_PATH"]), app_config)
    return app


@pytest.fixture
def make(module_world, make):
    """The row factory, numbering on after the module world's rows."""
    if module_world is None:
        return make
    return Factory(start=module_world.made)


@pytest.fixture
def clock(set_now):
    """The app's clock, after both deadlines."""
    return set_now(AFTER)


def build_council(make) -> SimpleNamespace:
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


def submit_interim(council) -> dict:
    """Every unit's interim dossier, submitted a day before the deadline."""
    dossiers = {}
    for i, (code, (_c, *vals)) in enumerate(INTERIM.items()):
        at = INTERIM_DEADLINE - timedelta(days=1, minutes=i)
        dossiers[code] = submit(council.interim, council.candidates[code], values_of(*vals), at)
    db.session.add(CriterionNote(dossier=dossiers["U2"], criterion_code="A1", text="Ký số 100%."))
    db.session.commit()
    return dossiers


def vote_and_freeze(c, dossiers, make, client, auth) -> dict:
    """U2 proposed for the higher Bằng khen, U1 for the own Giấy khen; all present agree.

    The round is frozen; the documents of the decision, proposal and minutes (DOCX) and the
    snapshot's hash are returned.
    """
    use_rules(
        c.interim,
        **{'min_band = "xuat-sac"\nrounds = ["tong-ket"]': HIGHER, "[ranking]": ISSUER},
    )
    members = [c.r1, c.r2, make.user("reviewer", username="uv4", full_name="Ủy viên Bốn")]
    db.session.commit()
    save_meeting(
        c.interim, held_at=AFTER, place="Phòng họp số 1", members_total=4,
        present_ids=[m.id for m in members], chair_id=c.r1.id, user=c.secretariat, now=AFTER,
    )  # fmt: skip
    db.session.commit()
    for m in members:
        auth.login(m)
        client.post(
            f"/council/rounds/{c.interim.id}/vote",
            data={f"v_{dossiers[k].id}": "agree" for k in ("U1", "U2")},
        )
        auth.logout()
    snapshot = freeze(c.interim, user=c.secretariat, now=AFTER)
    db.session.commit()
    auth.login(c.secretariat)
    base = f"/council/rounds/{c.interim.id}"
    out = {"hash": snapshot.payload_hash}
    for name in ("decision", "proposal", "minutes"):
        response = client.get(f"{base}/{name}.docx")
        assert response.status_code == 200, name
        out[name] = response.data
    auth.logout()
    return out


def _council_step(world, make, app) -> None:
    world.council = build_council(make)


def _dossiers_step(world, make, app) -> None:
    world.dossiers = submit_interim(world.council)


def _documents_step(world, make, app) -> None:
    client = app.test_client()
    world.documents = vote_and_freeze(world.council, world.dossiers, make, client, Auth(client))


# The module world's steps, in order: each builds on the world of the steps before it.
STEPS = {"council": _council_step, "dossiers": _dossiers_step, "documents": _documents_step}


@pytest.fixture
def council(module_world, app, make, clock):
    """Movement, rounds, units, candidates and accounts; no dossier yet."""
    if module_world is not None:
        return rebind(module_world.council)
    return build_council(make)


@pytest.fixture
def interim_dossiers(module_world, council):
    """Every unit's interim dossier, submitted a day before the deadline."""
    if module_world is not None:
        return rebind(module_world.dossiers)
    return submit_interim(council)


@pytest.fixture
def documents(module_world, council, interim_dossiers, make, auth, client):
    """The interim round voted and frozen (vote_and_freeze); the test is signed in as the
    secretariat."""
    if module_world is not None:
        out = dict(module_world.documents)
    else:
        out = vote_and_freeze(council, interim_dossiers, make, client, auth)
    auth.login(council.secretariat)
    return out


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
