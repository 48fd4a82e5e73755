"""Search and filters of the lists people work from: diacritics and case never matter."""

import re
from datetime import timedelta

import pytest

from emulation.extensions import db
from emulation.folding import matches, search_key
from emulation.models import DossierVersion, SupplementRequest
from tests.support.instants import DEADLINE


@pytest.mark.parametrize(
    ("query", "text", "found"),
    [
        ("hai chau", "VKSND quận Hải Châu", True),
        ("HẢI CHÂU", "vksnd quan hai chau", True),
        ("da nang", "Đà Nẵng", True),
        ("Đà", "da nang", True),
        ("quan hai chau", "VKSND quận Hải Châu", True),
        ("thanh khe", "VKSND quận Hải Châu", False),
        ("", "anything", True),
    ],
)
def test_search_folds_diacritics_and_case(query, text, found):
    assert matches(query, text) is found


def test_composed_and_decomposed_accents_fold_alike():
    assert search_key("Hải Châu") == search_key("Ha\u0309i Cha\u0302u") == "hai chau"


@pytest.fixture
def round_world(make, set_now):
    """A round with four units in two clusters: submitted late, returned, draft, no dossier."""
    set_now(DEADLINE + timedelta(days=3))
    north, south = make.cluster(name="Cụm Bắc"), make.cluster(name="Cụm Nam")
    movement = make.movement()
    round_ = movement.rounds[0]
    units = {
        "HC": make.unit(code="HC", name="VKSND quận Hải Châu", cluster=north),
        "TK": make.unit(code="TK", name="VKSND quận Thanh Khê", cluster=north),
        "ST": make.unit(code="ST", name="VKSND quận Sơn Trà", cluster=south),
        "LC": make.unit(code="LC", name="VKSND huyện Hòa Vang", cluster=south),
    }
    cands = {code: make.candidate(movement, unit) for code, unit in units.items()}
    late = make.dossier(round_, cands["HC"], status="submitted")
    db.session.add(DossierVersion(dossier=late, number=1, receipt_no="R-1", late=True,
                                  submitted_at=DEADLINE + timedelta(hours=2), content_hash="0" * 64,
                                  payload={}))  # fmt: skip
    returned = make.dossier(round_, cands["TK"], status="returned")
    db.session.add(SupplementRequest(dossier=returned, reason="Thiếu", criteria=[],
                                     due_at=DEADLINE + timedelta(days=9),
                                     requested_at=DEADLINE + timedelta(days=1)))  # fmt: skip
    make.dossier(round_, cands["ST"], status="draft")
    staff = make.user("secretariat", username="thuky")
    db.session.commit()
    return dict(round=round_, staff=staff, north=north, south=south)


def listed(client, round_, **query) -> list[str]:
    """The unit codes the round's page lists for the filter."""
    response = client.get(f"/rounds/{round_.id}", query_string=query)
    assert response.status_code == 200
    return re.findall(r'<div class="small muted">(\w+)</div>', response.data.decode())


def test_round_dossiers_filtered_by_name_cluster_status_late_returned(client, auth, round_world):
    auth.login(round_world["staff"])
    round_ = round_world["round"]
    assert listed(client, round_) == ["HC", "TK", "ST", "LC"]
    assert listed(client, round_, q="hai chau") == ["HC"]
    assert listed(client, round_, q="HOA VANG") == ["LC"]
    assert listed(client, round_, q="tk") == ["TK"]
    assert listed(client, round_, cluster=round_world["south"].id) == ["ST", "LC"]
    assert listed(client, round_, status="none") == ["LC"]
    assert listed(client, round_, status="draft") == ["ST"]
    assert listed(client, round_, late="1") == ["HC"]
    assert listed(client, round_, returned="1") == ["TK"]
    assert listed(
        client, round_, q="quan", cluster=round_world["north"].id, status="submitted"
    ) == ["HC"]
    # Nonsense in the query string filters nothing out and never fails.
    assert listed(client, round_, cluster="x", status="<b>", late="yes") == ["HC", "TK", "ST", "LC"]


def test_units_and_accounts_found_without_diacritics(client, auth, make):
    north = make.cluster(name="Cụm Bắc")
    make.unit(code="HC", name="VKSND quận Hải Châu", cluster=north)
    make.unit(code="ST", name="VKSND quận Sơn Trà")
    make.user("reviewer", username="nguyenvana", full_name="Nguyễn Văn Ánh")
    make.user("reviewer", username="tranthib", full_name="Trần Thị Bình", active=False)
    staff = make.user("secretariat", username="thuky", full_name="Thư ký")
    db.session.commit()
    auth.login(staff)
    page = client.get("/admin/units", query_string={"q": "hai chau"}).data.decode()
    assert "Hải Châu" in page and "Sơn Trà" not in page
    page = client.get("/admin/units", query_string={"cluster": north.id}).data.decode()
    assert "Hải Châu" in page and "Sơn Trà" not in page
    page = client.get("/admin/users", query_string={"q": "nguyen van anh"}).data.decode()
    assert "nguyenvana" in page and "tranthib" not in page
    page = client.get("/admin/users", query_string={"role": "reviewer", "status": "inactive"})
    assert "tranthib" in page.data.decode() and "nguyenvana" not in page.data.decode()
    page = client.get("/admin/users", query_string={"role": "bogus", "unit": "x"})
    assert page.status_code == 200 and "thuky" in page.data.decode()


def test_member_queue_filtered_by_state_and_unit(client, auth, make):
    from emulation.models import Adjustment, Review

    movement = make.movement()
    round_ = movement.rounds[0]
    own = make.unit(code="HC", name="VKSND quận Hải Châu")
    member = make.user("reviewer", unit=own, username="uyvien")
    dossiers = {
        code: make.dossier(round_, make.candidate(movement, make.unit(code=code, name=name)))
        for code, name in (("TK", "Thanh Khê"), ("ST", "Sơn Trà"), ("LC", "Liên Chiểu"),
                           ("NHS", "Ngũ Hành Sơn"))
    }  # fmt: skip
    dossiers["HC"] = make.dossier(round_, make.candidate(movement, own))
    reviews = {
        code: Review(dossier=d, reviewer_id=member.id, status=status,
                     recusal_reason="Người thân" if status == "recused" else None)
        for (code, d), status in zip(
            dossiers.items(), ("assigned", "assigned", "done", "recused", "assigned"), strict=True
        )
    }  # fmt: skip
    db.session.add_all(reviews.values())
    db.session.flush()
    db.session.add(Adjustment(review=reviews["ST"], indicator_code="A1", points=1, reason="x"))
    db.session.commit()
    auth.login(member)

    def shown(**query):
        page = client.get("/council/queue", query_string=query)
        assert page.status_code == 200
        return re.findall(r'<div class="small muted">(\w+)</div>', page.data.decode())

    assert sorted(shown()) == ["HC", "LC", "NHS", "ST", "TK"]
    assert sorted(shown(state="assigned")) == ["HC", "TK"]
    assert shown(state="progress") == ["ST"]
    assert shown(state="finished") == ["LC"]
    assert sorted(shown(state="conflict")) == ["HC", "NHS"]
    assert shown(q="ngu hanh son") == ["NHS"]
    assert sorted(shown(state="nonsense")) == ["HC", "LC", "NHS", "ST", "TK"]
