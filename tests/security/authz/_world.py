"""The objects every route's URL parameters come from: two units, every role, one of each record."""

import io
from datetime import timedelta
from types import SimpleNamespace

from emulation.council.assignment import assign_reviewer
from emulation.council.snapshots import freeze
from emulation.dossiers.operations import (
    attach_evidence,
    fill_and_submit,
    get_or_create_dossier,
    set_values,
    submit_dossier,
)
from emulation.evidence.backends import evidence_store
from emulation.extensions import db
from tests.support.instants import DEADLINE

# The factory's round deadline (tests/conftest.py DEADLINE).
# After the round's deadline: dossiers are submitted, the council works.
AFTER = DEADLINE + timedelta(days=5)
VALUES = {"KYSO_a": 90.0, "KYSO_b": 100.0, "HOP": 4.0, "TRUONGBAN": "Thủ trưởng", "SAOLUU": 1.0}
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def _evidence(dossier, user, name: str):
    stored = evidence_store().store(io.BytesIO(PDF + name.encode()), name, max_bytes=1 << 20)
    return attach_evidence(
        dossier, stored, criterion_code="TC1", document_code=None, user=user, now=AFTER
    )


def build_world(make, set_now) -> SimpleNamespace:
    """Create the world in the database (committed) and return it; the clock is AFTER."""
    set_now(AFTER)
    cluster = make.cluster()
    unit_a = make.unit(code="UA", name="Đơn vị A", cluster=cluster)
    unit_b = make.unit(code="UB", name="Đơn vị B", cluster=cluster)
    users = {
        "editor_a": make.user("unit_editor", unit=unit_a, username="editor_a"),
        "editor_b": make.user("unit_editor", unit=unit_b, username="editor_b"),
        "head_a": make.user("unit_head", unit=unit_a, username="head_a"),
        "reviewer": make.user("reviewer", username="reviewer"),
        "reviewer_own": make.user("reviewer", unit=unit_a, username="reviewer_own"),
        "secretariat": make.user("secretariat", username="secretariat"),
        "admin": make.user("admin", username="admin"),
    }
    movement = make.movement()
    round_ = movement.rounds[0]
    candidate_a = make.candidate(movement, unit_a)
    candidate_b = make.candidate(movement, unit_b)
    before = DEADLINE - timedelta(days=1)
    dossier_a = get_or_create_dossier(round_, candidate_a, user=users["editor_a"], now=before)
    evidence_a = _evidence(dossier_a, users["editor_a"], "bao-cao-A.pdf")
    set_values(dossier_a, VALUES)
    version_a = submit_dossier(dossier_a, user=users["editor_a"], now=before)
    dossier_b = get_or_create_dossier(round_, candidate_b, user=users["editor_b"], now=before)
    evidence_b = _evidence(dossier_b, users["editor_b"], "bao-cao-B.pdf")
    review = assign_reviewer(dossier_a, users["reviewer"], user=users["secretariat"], now=AFTER)
    # A second round, frozen, so the first can still be frozen by the POST under test.
    round2 = make.round_(movement, code="R-FROZEN", deadline=DEADLINE - timedelta(days=2))
    fill_and_submit(round2, candidate_a, VALUES, user=None, now=DEADLINE - timedelta(days=3))
    snapshot = freeze(round2, user=users["secretariat"], now=AFTER)
    db.session.commit()
    return SimpleNamespace(
        units={"A": unit_a, "B": unit_b},
        users=users,
        movement=movement,
        round=round_,
        frozen_round=round2,
        dossier_a=dossier_a,
        dossier_b=dossier_b,
        evidence_a=evidence_a,
        evidence_b=evidence_b,
        version_a=version_a,
        review=review,
        snapshot=snapshot,
    )
