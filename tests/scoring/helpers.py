"""Helpers for the scoring tests: small rule sets built from TOML snippets, VALUES frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from emulation.scoring import loads_rules

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "scoring_rules"
SEED_RULES = RULES_DIR / "vksnd_danang_cds_2023_2025.toml"

BASE = """
format = 1
[movement]
code = "mini"
name = "Phong trào thử"
organisation = "Cơ quan thử"
place = "Đà Nẵng"

[[rounds]]
code = "r1"
kind = "interim"
name = "Sơ kết"
opens_at = 2024-01-01T00:00:00+07:00
deadline = 2024-08-30T23:59:59+07:00
late_policy = "{late_policy}"
grace_minutes = {grace}
award_date = 2024-10-10
"""


def indicator(code: str, method: str, max_points: float, params: str = "{}") -> str:
    """TOML text for one indicator of the single criterion."""
    return (
        f'[[groups.criteria.indicators]]\ncode = "{code}"\nname = "Chỉ tiêu {code}"\n'
        f'max_points = {max_points}\nmethod = "{method}"\nparams = {params}\n'
    )


def rules_text(*indicators: str, extra: str = "", late_policy="reject", grace=0) -> str:
    """A complete rule file: one group G, one criterion C holding the given indicators."""
    return (
        BASE.format(late_policy=late_policy, grace=grace)
        + '[[groups]]\ncode = "G"\nname = "Nhóm"\n'
        + '[[groups.criteria]]\ncode = "C"\nname = "Tiêu chí"\n'
        + "".join(indicators)
        + extra
    )


def make_rules(*indicators: str, extra: str = "", **kw):
    """Load a small rule set from indicator snippets."""
    return loads_rules(rules_text(*indicators, extra=extra, **kw), source="test.toml")


def frame(**columns) -> pd.DataFrame:
    """A VALUES frame; unit codes U0.. are added unless given."""
    n = len(next(iter(columns.values())))
    data = {"unit_code": [f"U{i}" for i in range(n)]}
    data.update(columns)
    return pd.DataFrame(data)
