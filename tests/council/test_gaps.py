"""Gap between self-assessed and council points, per unit and per reviewer."""

import pytest

from emulation.council.gaps import gaps
from emulation.council.ranking import live_ranking
from emulation.extensions import db
from emulation.models import SelfAssessment

from .conftest import reviewed


def test_gaps_per_unit_and_per_reviewer(council, interim_dossiers, auth, client):
    u2 = interim_dossiers["U2"]  # computed KYSO 30, HOP 7.5
    db.session.add_all(
        [
            SelfAssessment(dossier=u2, indicator_code="KYSO", points=30),
            SelfAssessment(dossier=u2, indicator_code="GOPY", points=18),
        ]
    )
    db.session.commit()
    reviewed(u2, council.r1, {"GOPY": 10, "KYSO": 24}, by=council.secretariat)
    units, reviewers = gaps(live_ranking(council.interim))
    (unit,) = units
    assert (unit.key, unit.items, unit.self_total, unit.counted_total) == ("U2", 2, 48, 34)
    assert unit.gap == -14
    (member,) = reviewers
    assert member.name == "Ủy viên Một" and member.adjustments == 2
    assert member.mean_vs_self == pytest.approx(-7)  # (10 - 18 + 24 - 30) / 2
    assert member.mean_vs_computed == pytest.approx(2)  # (10 - 0 + 24 - 30) / 2
    auth.login(council.secretariat)
    body = client.get(f"/council/rounds/{council.interim.id}/gaps").get_data(as_text=True)
    assert 'data-key="U2"' in body and "-14" in body
