"""The browser tests' data: one movement, six units in two clusters, one account per role.

Made with the app's own operations, so the server sees exactly what real use produces.
Unit journeys use the "Cụm quận, huyện" cluster; the council journey ranks the
"Khối phòng nghiệp vụ" cluster, so the order the journeys run in changes no expectation.
"""

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from emulation.council.assignment import assign_reviewer
from emulation.dossiers.operations import fill_and_submit
from emulation.extensions import db
from emulation.operations import (
    create_movement_from_rules,
    create_user,
    enrol_unit,
    upsert_unit,
)
from emulation.scoring import load_rules
from tests.support.instants import DEADLINE  # noqa: F401  (the browser tests import it from here)

RULES = Path(__file__).parent / "rules_e2e.toml"
PASSWORD = "ThiDua@2026"
BEFORE = datetime(2024, 8, 20, 2, 0, tzinfo=UTC)  # 09:00 on 20/08/2024, ten days early
AFTER = datetime(2024, 9, 5, 2, 0, tzinfo=UTC)  # 09:00 on 05/09/2024, after the deadline
SEEDED_AT = datetime(2024, 8, 15, 2, 0, tzinfo=UTC)

DISTRICTS = ("CUM-QH", "Cụm quận, huyện")
OFFICES = ("KHOI-NV", "Khối phòng nghiệp vụ")
# code: (cluster, name, submitted values or None)
UNITS = {
    "VKS-HC": (DISTRICTS, "VKSND quận Hải Châu", None),
    "VKS-TK": (DISTRICTS, "VKSND quận Thanh Khê", None),
    "VKS-ST": (DISTRICTS, "VKSND quận Sơn Trà", (70, 3, "Phó thủ trưởng", 1)),
    "VKS-LC": (DISTRICTS, "VKSND quận Liên Chiểu", None),
    "P-TK": (OFFICES, "Phòng Thống kê tội phạm", (100, 4, "Thủ trưởng", 1)),  # 60
    "VP": (OFFICES, "Văn phòng", (90, 4, "Thủ trưởng", 1)),  # 57
    "TTR": (OFFICES, "Thanh tra", (80, 2, "Phó thủ trưởng", 0)),  # 34
}
# username: (role, full name, unit code)
USERS = {
    "canbo.haichau": ("unit_editor", "Phạm Văn Nam", "VKS-HC"),
    "canbo.thanhkhe": ("unit_editor", "Võ Thị Mai", "VKS-TK"),
    "canbo.sontra": ("unit_editor", "Hồ Văn Long", "VKS-ST"),
    "canbo.lienchieu": ("unit_editor", "Lê Văn Hùng", "VKS-LC"),
    "uyvien.tran": ("reviewer", "Trần Văn Minh", None),
    "thuky": ("secretariat", "Nguyễn Thị Thu", None),
    "admin": ("admin", "Quản trị hệ thống", None),
}


def values_of(kyso: float, hop: int, truongban: str, saoluu: int) -> dict:
    """The VALUES columns of one dossier of the e2e rule set."""
    return {
        "KYSO_a": float(kyso),
        "KYSO_b": 100.0,
        "HOP": float(hop),
        "TRUONGBAN": truongban,
        "SAOLUU": float(saoluu),
    }


def seed() -> SimpleNamespace:
    """Create the data (in the current app context) and return the ids the tests need."""
    rules = load_rules(RULES)
    movement = create_movement_from_rules(
        rules, filename=RULES.name, text=RULES.read_text(encoding="utf-8"), now=SEEDED_AT
    )
    round_ = movement.rounds[0]
    units, dossiers = {}, {}
    for code, ((cluster_code, cluster_name), name, values) in UNITS.items():
        units[code] = upsert_unit(
            code=code, name=name, cluster_code=cluster_code, cluster_name=cluster_name
        )
        candidate = enrol_unit(movement, units[code])
        if values is not None:
            dossiers[code] = fill_and_submit(
                round_, candidate, values_of(*values), user=None, now=SEEDED_AT
            )
    users = {
        name: create_user(
            username=name,
            password=PASSWORD,
            role=role,
            full_name=full_name,
            unit=units.get(unit_code) if unit_code else None,
            now=SEEDED_AT,
            check_strength=False,  # the demo's shared, printed password
        )
        for name, (role, full_name, unit_code) in USERS.items()
    }
    review = assign_reviewer(
        dossiers["P-TK"], users["uyvien.tran"], user=users["thuky"], now=SEEDED_AT
    )
    db.session.commit()
    return SimpleNamespace(
        movement_id=movement.id,
        round_id=round_.id,
        dossier_ids={code: d.id for code, d in dossiers.items()},
        review_id=review.id,
    )
