"""What an import stores, row by row, in insertion order: the bulk paths write exactly this."""

from datetime import UTC, datetime

import pytest

from emulation.extensions import db
from emulation.imports import import_units, import_values
from emulation.models import AuditEvent, Candidate, Cluster, Dossier, IndicatorValue, Unit

NOW = datetime(2024, 7, 15, tzinfo=UTC)
LATER = datetime(2024, 7, 16, 8, 30, tzinfo=UTC)
UNITS = (
    "Mã đơn vị,Tên đơn vị,Cụm thi đua,Biên chế\n"
    "HC,Hải Châu mới,Cụm số 1,12\n"
    "ST,Sơn Trà,Cụm số 2,\n"
    "NHS,Ngũ Hành Sơn,,30\n"
).encode()
VALUES = (
    "Mã đơn vị,Tên đơn vị,KYSO_a,KYSO_b,HOP,TRUONGBAN,SAOLUU\n"
    "HC,Hải Châu,90,100,4,Thủ trưởng,có\n"
    'TK,Thanh Khê,"99,5",100,,phó thủ trưởng,0\n'
    "ST,Sơn Trà,0.125,1e3,2,,\n"
    "NHS,Ngũ Hành Sơn,-0,7,1,Không có,1\n"
).encode()
UPDATE = (
    "unit_code,KYSO_a,HOP,TRUONGBAN\nHC,91,4,Thủ trưởng\nTK,,3,\nST,0.125,2,\nNHS,1,,Thủ trưởng\n"
).encode()


@pytest.fixture
def round_(make):
    movement = make.movement(code="cds")
    for code in ("HC", "TK"):
        make.candidate(movement, make.unit(code=code, name=f"Đơn vị {code}"))
    db.session.commit()
    return movement.rounds[0]


def _offsets(ids):
    first = min(ids, default=0)
    return {i: i - first for i in ids}


def _stored() -> dict:
    """Every row the imports touch, ids given relative to the first of their table."""
    units = db.session.execute(db.select(Unit).order_by(Unit.id)).scalars().all()
    clusters = db.session.execute(db.select(Cluster).order_by(Cluster.id)).scalars().all()
    code = {u.id: u.code for u in units}
    cluster = {c.id: c.code for c in clusters}
    candidates = db.session.execute(db.select(Candidate).order_by(Candidate.id)).scalars().all()
    dossiers = db.session.execute(db.select(Dossier).order_by(Dossier.id)).scalars().all()
    values = db.session.execute(db.select(IndicatorValue).order_by(IndicatorValue.id)).scalars()
    events = db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    owner = {c.id: code[c.unit_id] for c in candidates}
    unit_of = {d.id: owner[d.candidate_id] for d in dossiers}
    dossier_at = _offsets([d.id for d in dossiers])
    return {
        "clusters": [(c.code, c.name, c.active) for c in clusters],
        "units": [
            (u.code, u.name, cluster.get(u.cluster_id), u.active, u.headcount) for u in units
        ],
        "candidates": [
            (owner[c.id], c.kind, c.person_name, c.position, c.rating, c.nominated_at)
            for c in candidates
        ],
        "dossiers": [
            (
                unit_of[d.id],
                dossier_at[d.id],
                d.status,
                d.lock_version,
                d.created_at,
                d.updated_at,
                d.head_confirmed_hash,
            )
            for d in dossiers
        ],  # fmt: skip
        "values": [(unit_of[v.dossier_id], v.column, v.value, v.text_value) for v in values],
        "events": [
            (
                e.at,
                e.actor_id,
                e.action,
                e.object_type,
                dossier_at.get(e.object_id) if e.object_type == "Dossier" else None,
                e.details,
                e.remote_addr,
            )
            for e in events
        ],  # fmt: skip
    }


def test_units_then_values_then_an_update_store_these_rows(app, round_):
    assert import_units(UNITS, "don-vi.csv", now=NOW).ok
    db.session.commit()
    assert import_values(round_, VALUES, "so-lieu.csv", now=NOW).ok
    db.session.commit()
    assert import_values(round_, UPDATE, "sua.csv", now=LATER).ok
    db.session.commit()
    db.session.expire_all()
    stored = _stored()
    assert stored == EXPECTED


# Rows as the imports stored them before they took the bulk paths.
EXPECTED = {
    "clusters": [("CUM-SO-1", "Cụm số 1", True), ("CUM-SO-2", "Cụm số 2", True)],
    "units": [
        ("HC", "Hải Châu mới", "CUM-SO-1", True, 12),
        ("TK", "Đơn vị TK", None, True, None),
        ("ST", "Sơn Trà", "CUM-SO-2", True, None),
        ("NHS", "Ngũ Hành Sơn", None, True, 30),
    ],
    "candidates": [
        ("HC", "collective", None, None, None, None),
        ("TK", "collective", None, None, None, None),
        ("ST", "collective", None, None, None, None),
        ("NHS", "collective", None, None, None, None),
    ],
    "dossiers": [
        (
            "HC",
            0,
            "draft",
            2,
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            datetime(2024, 7, 16, 8, 30, tzinfo=UTC),
            None,
        ),
        (
            "TK",
            1,
            "draft",
            2,
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            datetime(2024, 7, 16, 8, 30, tzinfo=UTC),
            None,
        ),
        (
            "ST",
            2,
            "draft",
            1,
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            None,
        ),
        (
            "NHS",
            3,
            "draft",
            2,
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            datetime(2024, 7, 16, 8, 30, tzinfo=UTC),
            None,
        ),
    ],
    "values": [
        ("HC", "KYSO_a", 91.0, None),
        ("HC", "KYSO_b", 100.0, None),
        ("HC", "HOP", 4.0, None),
        ("HC", "TRUONGBAN", None, "Thủ trưởng"),
        ("HC", "SAOLUU", 1.0, None),
        ("TK", "KYSO_a", 99.5, None),
        ("TK", "KYSO_b", 100.0, None),
        ("TK", "TRUONGBAN", None, "Phó thủ trưởng"),
        ("TK", "SAOLUU", 0.0, None),
        ("ST", "KYSO_a", 0.125, None),
        ("ST", "KYSO_b", 1000.0, None),
        ("ST", "HOP", 2.0, None),
        ("NHS", "KYSO_a", 1.0, None),
        ("NHS", "KYSO_b", 7.0, None),
        ("NHS", "HOP", 1.0, None),
        ("NHS", "TRUONGBAN", None, "Thủ trưởng"),
        ("NHS", "SAOLUU", 1.0, None),
        ("TK", "HOP", 3.0, None),
    ],
    "events": [
        (
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            None,
            "units_imported",
            "",
            None,
            {
                "file": "don-vi.csv",
                "counts": {
                    "cluster": {"created": 2, "updated": 0, "unchanged": 0},
                    "unit": {"created": 2, "updated": 1, "unchanged": 0},
                },
                "changed": [
                    ["cluster", "CUM-SO-1", "created", ["name"]],
                    ["cluster", "CUM-SO-2", "created", ["name"]],
                    ["unit", "HC", "updated", ["name", "cluster", "headcount"]],
                    ["unit", "ST", "created", []],
                    ["unit", "NHS", "created", []],
                ],
            },
            None,
        ),
        (
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            None,
            "dossier_values_imported",
            "Dossier",
            0,
            {"changed": ["HOP", "KYSO_a", "KYSO_b", "SAOLUU", "TRUONGBAN"], "file": "so-lieu.csv"},
            None,
        ),
        (
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            None,
            "dossier_values_imported",
            "Dossier",
            1,
            {"changed": ["KYSO_a", "KYSO_b", "SAOLUU", "TRUONGBAN"], "file": "so-lieu.csv"},
            None,
        ),
        (
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            None,
            "dossier_values_imported",
            "Dossier",
            2,
            {"changed": ["HOP", "KYSO_a", "KYSO_b"], "file": "so-lieu.csv"},
            None,
        ),
        (
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            None,
            "dossier_values_imported",
            "Dossier",
            3,
            {"changed": ["HOP", "KYSO_a", "KYSO_b", "SAOLUU", "TRUONGBAN"], "file": "so-lieu.csv"},
            None,
        ),
        (
            datetime(2024, 7, 15, 0, 0, tzinfo=UTC),
            None,
            "values_imported",
            "",
            None,
            {
                "file": "so-lieu.csv",
                "counts": {
                    "dossier": {"created": 4, "updated": 0, "unchanged": 0},
                    "candidate": {"created": 2, "updated": 0, "unchanged": 0},
                },
                "changed": [
                    [
                        "dossier",
                        "HC",
                        "created",
                        ["HOP", "KYSO_a", "KYSO_b", "SAOLUU", "TRUONGBAN"],
                    ],
                    ["dossier", "TK", "created", ["KYSO_a", "KYSO_b", "SAOLUU", "TRUONGBAN"]],
                    ["candidate", "ST", "created", []],
                    ["dossier", "ST", "created", ["HOP", "KYSO_a", "KYSO_b"]],
                    ["candidate", "NHS", "created", []],
                    [
                        "dossier",
                        "NHS",
                        "created",
                        ["HOP", "KYSO_a", "KYSO_b", "SAOLUU", "TRUONGBAN"],
                    ],
                ],
            },
            None,
        ),
        (
            datetime(2024, 7, 16, 8, 30, tzinfo=UTC),
            None,
            "dossier_values_imported",
            "Dossier",
            0,
            {"changed": ["KYSO_a"], "file": "sua.csv"},
            None,
        ),
        (
            datetime(2024, 7, 16, 8, 30, tzinfo=UTC),
            None,
            "dossier_values_imported",
            "Dossier",
            1,
            {"changed": ["HOP"], "file": "sua.csv"},
            None,
        ),
        (
            datetime(2024, 7, 16, 8, 30, tzinfo=UTC),
            None,
            "dossier_values_imported",
            "Dossier",
            3,
            {"changed": ["KYSO_a", "TRUONGBAN"], "file": "sua.csv"},
            None,
        ),
        (
            datetime(2024, 7, 16, 8, 30, tzinfo=UTC),
            None,
            "values_imported",
            "",
            None,
            {
                "file": "sua.csv",
                "counts": {"dossier": {"created": 0, "updated": 3, "unchanged": 1}},
                "changed": [
                    ["dossier", "HC", "updated", ["KYSO_a"]],
                    ["dossier", "TK", "updated", ["HOP"]],
                    ["dossier", "NHS", "updated", ["KYSO_a", "TRUONGBAN"]],
                ],
            },
            None,
        ),
    ],
}
