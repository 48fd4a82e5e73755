"""Load a rule file: parse TOML, report every problem with file/key/line, build a RuleSet."""

from __future__ import annotations

import hashlib
import re
import tomllib
from datetime import timedelta
from os import PathLike
from pathlib import Path

from pydantic import ValidationError

from .authority import build_conditions, build_issuer
from .checks import Checker, CheckResult
from .errors import Problem, RuleError
from .formula import compile_expression
from .messages import convert
from .methods import columns_for
from .model import (
    AwardTier,
    Band,
    Council,
    Criterion,
    Disqualifier,
    Group,
    Indicator,
    InputColumn,
    MovementSpec,
    Quota,
    Ranking,
    Registration,
    RoundSpec,
    RuleSet,
    ScoringSettings,
)
from .registration import REGISTRATION_PENALTY_CODE
from .schema import FormulaParams, IndicatorModel, RuleFileModel, parse_fraction, parse_offset
from .tomlpos import LineIndex

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_rules(path: str | PathLike) -> RuleSet:
    """Load and validate a rule file; raise RuleError listing every problem."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RuleError([Problem(f"không đọc được tệp: {exc.strerror}", source)], source) from None
    return _load(data, source)


def loads_rules(text: str | bytes, source: str = "<rules>") -> RuleSet:
    """Load and validate rules from a string (e.g. an upload); raise RuleError on problems."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return _load(data, source)


def _load(data: bytes, source: str) -> RuleSet:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RuleError(
            [Problem("tệp không phải văn bản UTF-8", source, line=line)], source
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        line = int(found.group(1)) if found else None
        message = _TOML_POSITION.sub("", str(exc)).strip()
        problem = Problem(f"lỗi cú pháp TOML: {message}", source, line=line)
        raise RuleError([problem], source) from None

    lines = LineIndex(text)
    problems: list[tuple[tuple, str]] = []
    model = None
    try:
        model = RuleFileModel.model_validate(raw)
    except ValidationError as exc:
        problems += convert(exc, RuleFileModel)
    checked = Checker(raw, lines.line_of).run()
    problems += checked.problems
    if problems or model is None:
        raise RuleError(_locate(problems, raw, lines, source), source)
    return _build(model, checked, source, hashlib.sha256(data).hexdigest())


def display_path(loc: tuple, raw) -> str:
    """A readable key path: list items by their code, e.g. groups[TT].criteria[TT1].max_points."""
    out = ""
    node = raw
    for part in loc:
        if isinstance(part, int):
            element = node[part] if isinstance(node, list) and part < len(node) else None
            code = element.get("code") if isinstance(element, dict) else None
            out += f"[{code}]" if isinstance(code, str) else f"[#{part + 1}]"
            node = element
        else:
            key = str(part)
            is_bare = re.fullmatch(r"[A-Za-z0-9_\-]+", key)
            out += (("." if out else "") + key) if is_bare else f'["{key}"]'
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _locate(problems: list[tuple[tuple, str]], raw, lines: LineIndex, source: str) -> list[Problem]:
    seen = set()
    located = []
    for loc, message in problems:
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        located.append(
            Problem(message, source, path=display_path(loc, raw), line=lines.line_of(loc))
        )
    located.sort(key=lambda p: (p.line is None, p.line or 0))
    return located


def _item(model: IndicatorModel, checked: CheckResult, loc: tuple, **where) -> Indicator:
    found = checked.items[loc]
    return Indicator(
        code=model.code,
        name=model.name,
        max_points=float(model.max_points),
        method=model.method,
        params=found.config.model_dump(mode="json"),
        unit=model.unit,
        evidence=list(model.evidence),
        data_source=model.data_source,
        verified_by=model.verified_by,
        description=model.description,
        columns=tuple(c for c, _ in columns_for(model.code, model.method, found.config)),
        registrable=model.registrable,
        config=found.config,
        expression=found.expression,
        **where,
    )


def _build(model: RuleFileModel, checked: CheckResult, source: str, digest: str) -> RuleSet:
    groups = []
    for gi, g in enumerate(model.groups):
        criteria = []
        for ci, c in enumerate(g.criteria):
            indicators = [
                _item(
                    ind,
                    checked,
                    ("groups", gi, "criteria", ci, "indicators", ii),
                    group_code=g.code,
                    criterion_code=c.code,
                )
                for ii, ind in enumerate(c.indicators)
            ]
            top = c.max_points or sum(i.max_points for i in indicators)
            criteria.append(Criterion(c.code, c.name, float(top), g.code, indicators))
        top = g.max_points or sum(c.max_points for c in criteria)
        groups.append(Group(g.code, g.name, float(top), criteria))
    m = model.movement
    s = model.scoring
    return RuleSet(
        source=source,
        content_hash=digest,
        movement=MovementSpec(
            m.code, m.name, m.organisation, m.place, m.starts_on, m.ends_on, m.timezone,
            m.description,
        ),
        rounds=[
            RoundSpec(
                r.code, r.kind, r.name, r.opens_at, r.deadline,
                timedelta(minutes=r.grace_minutes), r.late_policy, r.award_date,
                tuple(parse_offset(o) for o in r.reminders), r.head_confirmation,
            )
            for r in model.rounds
        ],
        documents=[(d.code, d.name, d.required) for d in model.documents],
        signed_documents=tuple(d.code for d in model.documents if d.digitally_signed),
        council=Council(
            model.council.aggregation,
            model.council.members,
            parse_fraction(model.council.quorum),
            parse_fraction(model.council.pass_threshold),
            model.council.pass_rule,
            model.council.publish_results,
        ),
        scoring=ScoringSettings(
            max_total=float(s.max_total or sum(g.max_points for g in groups)),
            points_decimals=s.points_decimals,
            index_decimals=s.index_decimals,
            sums=s.sums,
            cap_total=s.cap_total,
            bonus_cap=s.bonus_cap,
            penalty_cap=s.penalty_cap,
        ),
        inputs=[InputColumn(i.code, i.name, i.type, i.unit, i.required) for i in model.inputs],
        groups=groups,
        bonus=[
            _item(b, checked, ("bonus", i), section="bonus") for i, b in enumerate(model.bonus)
        ],
        penalties=[
            _item(p, checked, ("penalties", i), section="penalty")
            for i, p in enumerate(model.penalties)
        ]
        + _registration_penalty(model),
        disqualifiers=[
            Disqualifier(d.code, d.reason, d.when, checked.disqualifiers[("disqualifiers", i)])
            for i, d in enumerate(model.disqualifiers)
        ],
        bands=[Band(b.code, b.name, float(b.min_total)) for b in model.bands],
        ranking=Ranking(
            list(model.ranking.group_by), model.ranking.tie_policy, list(model.ranking.tie_break)
        ),
        awards=[
            AwardTier(
                a.code, a.name, a.min_band, a.min_total, list(a.kinds), list(a.rounds),
                a.require_complete, a.require_on_time,
                Quota(**a.quota.model_dump()) if a.quota else None,
                a.category, a.authority, a.proposed_to, build_conditions(a.conditions),
                parse_fraction(a.pass_threshold) if a.pass_threshold else None, a.pass_rule,
            )
            for a in model.awards
        ],
        registration=_registration(model),
        issuer=build_issuer(model.issuer),
        initiatives=model.initiatives,
    )  # fmt: skip


def _registration(model: RuleFileModel) -> Registration | None:
    r = model.registration
    if r is None:
        return None
    titles = [(t.code, t.name) for t in r.titles]
    return Registration(
        r.deadline, r.opens_at, titles, float(r.penalty), r.penalty_name,
        tuple(parse_offset(o) for o in r.reminders),
    )  # fmt: skip


def _registration_penalty(model: RuleFileModel) -> list[Indicator]:
    """[registration] penalty as a penalty item, so it is capped and explained like the rest."""
    r = model.registration
    if r is None or not r.penalty:
        return []
    # A blank 'registered' (no registration data, e.g. an offline VALUES file) costs nothing.
    text = f"{float(r.penalty)!r} if registered == 0 else 0"
    return [
        Indicator(
            code=REGISTRATION_PENALTY_CODE,
            name=r.penalty_name,
            max_points=float(r.penalty),
            method="formula",
            params={"expression": text},
            section="penalty",
            description="Điểm trừ khi đơn vị không đăng ký thi đua (bảng [registration])",
            config=FormulaParams(expression=text),
            expression=compile_expression(text, {"registered"}),
        )
    ]
