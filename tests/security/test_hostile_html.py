"""Script and HTML typed into any text field are shown as text, never run."""

from datetime import timedelta

import pytest

from emulation.council.reviewing import adjust
from emulation.extensions import db
from emulation.models import CriterionNote, DeadlineExtension, SupplementRequest
from tests.signin import signed_in_token

from .authz._world import AFTER, build_world

ATTACK = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW = ("<script>alert", "<img src=x onerror")


@pytest.fixture
def hostile(make, set_now):
    """The authorisation world with the attack in every free-text field pages show."""
    w = build_world(make, set_now)
    w.units["A"].name = "Đơn vị " + ATTACK
    w.units["A"].cluster.name = "Cụm " + ATTACK
    w.users["editor_a"].full_name = "Cán bộ " + ATTACK
    w.movement.name = "Phong trào " + ATTACK
    w.round.name = "Đợt " + ATTACK
    w.evidence_a.original_name = ATTACK + ".pdf"
    w.evidence_b.original_name = ATTACK + ".pdf"
    w.dossier_a.notes.append(CriterionNote(criterion_code="TC1", text="Thuyết minh " + ATTACK))
    w.dossier_b.notes.append(CriterionNote(criterion_code="TC1", text="Thuyết minh " + ATTACK))
    adjust(w.review, indicator_code="HOP", points=5, reason="Lý do " + ATTACK,
           user=w.users["reviewer"], now=AFTER)  # fmt: skip
    db.session.add(
        DeadlineExtension(
            round=w.round,
            unit=w.units["B"],
            until=AFTER + timedelta(days=3),
            reason="Gia hạn " + ATTACK,
            granted_at=AFTER,
        )
    )
    db.session.add(
        SupplementRequest(
            dossier=w.dossier_a,
            reason="Bổ sung " + ATTACK,
            criteria=["TC1"],
            due_at=AFTER + timedelta(days=3),
            requested_at=AFTER,
        )
    )
    db.session.commit()
    return w


def _pages(w):
    a, b = w.dossier_a.id, w.dossier_b.id
    return {
        "editor_a": ["/", f"/units/{w.units['A'].code}", f"/dossiers/{a}", f"/dossiers/{a}/edit",
                     f"/dossiers/{a}/history", f"/dossiers/{a}/versions/1/receipt"],
        "editor_b": [f"/dossiers/{b}", f"/dossiers/{b}/edit"],
        "reviewer": ["/", "/council/queue", f"/council/reviews/{w.review.id}",
                     f"/council/rounds/{w.round.id}/ranking",
                     f"/council/rounds/{w.round.id}/candidates/{a}"],
        "secretariat": ["/", f"/rounds/{w.round.id}", f"/council/rounds/{w.round.id}/reviews",
                        f"/reports/rounds/{w.round.id}", f"/dossiers/{a}/return",
                        f"/reports/rounds/{w.round.id}/report.html"],
    }  # fmt: skip


def test_attack_text_is_escaped_on_every_page(hostile, app):
    shown = 0
    for role, paths in _pages(hostile).items():
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = signed_in_token(hostile.users[role])
        for path in paths:
            response = client.get(path)
            body = response.get_data(as_text=True)
            assert response.status_code == 200, f"{role} {path}: {response.status_code}"
            for raw in RAW:
                assert raw not in body, f"{role} {path} shows {raw!r} unescaped"
            shown += "&lt;script&gt;alert" in body
    assert shown >= 10  # the attack text really was on the pages, escaped
