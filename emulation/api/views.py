"""API endpoints: movements and rounds, a round's ranking, a dossier, a unit's values."""

import pandas as pd
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..access import COUNCIL_ROLES, get_dossier, now
from ..dossiers import operations as ops
from ..dossiers.counted import counted_columns
from ..dossiers.editing import column_owners
from ..dossiers.scoring import provisional_result, rules_of
from ..dossiers.window import SubmissionWindow
from ..extensions import db
from ..models import Candidate, Dossier, Round
from ..queries import all_movements
from ..scoring import RuleError, ValuesError
from ..scoring.explain import json_safe
from ..scoring.numbers import NumberRefused, read_number
from ..scoring.values import validate_values, value_columns
from ..standings.model import standings_of
from ..timefmt import format_deadline
from ..validation import number_message
from . import bp
from .openapi import openapi_document
from .problems import ApiProblem

MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL


def _load(model, object_id: int):
    if object_id > MAX_ID:
        raise ApiProblem(404)
    found = db.session.get(model, object_id)
    if found is None:
        raise ApiProblem(404)
    return found


def _round_json(round_: Round) -> dict:
    return {
        "id": round_.id,
        "code": round_.code,
        "name": round_.name,
        "kind": round_.kind,
        "movement": round_.movement.code,
        "opens_at": round_.opens_at.isoformat(),
        "deadline": round_.deadline.isoformat(),
        "late_policy": round_.late_policy,
        "grace_seconds": round_.grace_seconds,
        "state": round_.state(now()),
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API (public)."""
    return jsonify(openapi_document())


@bp.get("/me")
def me():
    """The account the token acts for: role and unit."""
    unit = current_user.unit
    return jsonify(
        {
            "username": current_user.username,
            "full_name": current_user.full_name,
            "role": current_user.role,
            "unit": {"code": unit.code, "name": unit.name} if unit else None,
        }
    )


@bp.get("/movements")
def movements():
    """Every movement with its rounds."""
    return jsonify(
        [
            {
                "id": m.id,
                "code": m.code,
                "name": m.name,
                "organisation": m.organisation,
                "rounds": [_round_json(r) for r in m.rounds],
            }
            for m in all_movements()
        ]
    )


@bp.get("/rounds/<int:round_id>")
def round_detail(round_id: int):
    """One round; for a unit account also its dossier and its own deadline."""
    round_ = _load(Round, round_id)
    data = _round_json(round_)
    if current_user.is_unit_user:
        dossier = _own_dossier(round_)
        window = SubmissionWindow.for_unit(round_, current_user.unit, dossier)
        data["unit_window"] = {
            "state": window.state(now()),
            "deadline": window.deadline.isoformat(),
        }
        data["dossier_id"] = dossier.id if dossier else None
    return jsonify(data)


@bp.get("/rounds/<int:round_id>/ranking")
def ranking(round_id: int):
    """The round's ranking as the council sees it (frozen snapshot if frozen); council only."""
    if current_user.role not in COUNCIL_ROLES:
        raise ApiProblem(403, _("Only the council and its secretariat see the ranking."))
    round_ = _load(Round, round_id)
    try:
        standings = standings_of(round_)
    except RuleError as exc:
        raise ApiProblem(
            409, _("The round's data cannot be ranked."), errors=_errors(exc)
        ) from None
    return jsonify(
        json_safe(
            {
                "round": _round_json(round_),
                "frozen_snapshot": standings.snapshot_hash,
                "tie_policy": standings.tie_policy,
                "ranking": standings.records,
            }
        )
    )


def _errors(exc: RuleError) -> list[dict]:
    return [{"field": p.column, "message": p.message} for p in exc.errors]


def _dossier_json(dossier: Dossier) -> dict:
    values = {
        v.column: v.text_value if v.text_value is not None else v.value for v in dossier.values
    }
    data = {
        "id": dossier.id,
        "round_id": dossier.round_id,
        "unit": {"code": dossier.candidate.unit.code, "name": dossier.candidate.unit.name},
        "status": dossier.status,
        "lock_version": dossier.lock_version,
        "updated_at": dossier.updated_at.isoformat(),
        "values": values,
        "points": None,
        "explanation": None,
    }
    try:
        result, key = provisional_result(dossier)
        explanation = result.explain(key) if result is not None else None
    except (KeyError, RuleError):
        explanation = None  # values the engine refuses: shown, but not scored
    if explanation is not None:
        row = result.table[result.table["unit_code"] == key].to_dict("records")[0]
        data["points"] = {"total": row.get("total"), "band": row.get("band")}
        data["explanation"] = explanation
    return json_safe(data)


@bp.get("/dossiers/<int:dossier_id>")
def dossier_detail(dossier_id: int):
    """A dossier's values, points and explanation (unit accounts: own unit only)."""
    if dossier_id > MAX_ID:
        raise ApiProblem(404)
    return jsonify(_dossier_json(get_dossier(dossier_id)))


def _own_dossier(round_: Round) -> Dossier | None:
    return db.session.execute(
        db.select(Dossier)
        .join(Candidate)
        .where(
            Dossier.round_id == round_.id,
            Candidate.unit_id == current_user.unit_id,
            Candidate.kind == "collective",
        )
    ).scalar_one_or_none()


def _checked_values(rules, unit_code: str, given: dict) -> dict:
    """The posted values checked by the scoring validator; None clears a value."""
    specs = {s.name: s for s in value_columns(rules)}
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise ApiProblem(
            422,
            _("Unknown value columns: %(names)s.", names=", ".join(unknown)),
            errors=[{"field": n, "message": _("not a column of this round")} for n in unknown],
        )
    refused = []
    for name, value in given.items():
        if specs[name].kind in ("choice", "boolean") or isinstance(value, dict | list):
            continue
        try:
            read_number(value, typed=False)
        except NumberRefused as exc:
            message = str(number_message(exc.reason, name, value))
            refused.append({"field": name, "message": message})
    if refused:
        raise ApiProblem(422, _("Some values are not valid."), errors=refused)
    row = {"unit_code": unit_code}
    for name in specs:
        value = given.get(name)
        if isinstance(value, dict | list):
            value = "?"
        row[name] = "" if value is None else str(value)
    try:
        checked = validate_values(pd.DataFrame([row], dtype=object), rules, source="api")
    except ValuesError as exc:
        raise ApiProblem(422, _("Some values are not valid."), errors=_errors(exc)) from None
    out = {}
    for name in given:
        value = checked[name].iloc[0]
        blank = value is None or (isinstance(value, float) and value != value)
        out[name] = None if blank else value if isinstance(value, str) else float(value)
    return out


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise ApiProblem(400, _('Send a JSON object such as {"values": {"HOP": 4}}.'))
    extra = sorted(set(data) - {"values", "lock_version"})
    if extra:
        raise ApiProblem(400, _("Unknown members: %(names)s.", names=", ".join(extra)))
    lock = data.get("lock_version")
    if lock is not None and (not isinstance(lock, int) or isinstance(lock, bool)):
        raise ApiProblem(400, _("lock_version must be an integer."))
    return data


@bp.patch("/rounds/<int:round_id>/values")
def put_values(round_id: int):
    """A unit sets indicator values in its own draft (same deadline and rules as the form)."""
    if not current_user.is_unit_user:
        raise ApiProblem(403, _("Only a unit's own accounts enter its values."))
    round_ = _load(Round, round_id)
    body = _body()
    candidate = db.session.execute(
        db.select(Candidate).filter_by(
            movement_id=round_.movement_id, unit_id=current_user.unit_id, kind="collective"
        )
    ).scalar_one_or_none()
    if candidate is None:
        raise ApiProblem(403, _("Your unit does not take part in this movement."))
    rules = rules_of(round_)
    values = _checked_values(rules, current_user.unit.code, body["values"])
    counted = sorted(set(values) & counted_columns(rules))
    if counted:
        raise ApiProblem(
            422, _("Some values are not valid."),
            errors=[{"field": c, "message": _("counted from the evidence files")}
                    for c in counted],
        )  # fmt: skip
    instant = now()
    dossier = _own_dossier(round_)
    window = SubmissionWindow.for_unit(round_, candidate.unit, dossier)
    if dossier is None:
        if not window.is_open(instant):
            raise _closed(window, instant)
        dossier = ops.get_or_create_dossier(round_, candidate, user=current_user, now=instant)
    if body.get("lock_version") is not None:
        _check_lock(dossier, body["lock_version"])
    try:
        allowed = ops.editable_criteria(dossier, instant)
    except ops.NotEditable as exc:
        if exc.reason == "submitted":
            raise ApiProblem(
                409, _("The dossier is submitted; withdraw it in the web interface to change it.")
            ) from None
        raise _closed(window, instant) from None
    owners = column_owners(rules)
    if allowed is not None:
        refused = sorted(c for c in values if owners.get(c) not in allowed)
        if refused:
            raise ApiProblem(
                409,
                _("Only the criteria reopened for supplement may change: %(c)s.",
                  c=", ".join(sorted(allowed))),
                errors=[{"field": c, "message": _("not reopened")} for c in refused],
            )  # fmt: skip
    changed = ops.save_draft(
        dossier, values=values, self_points={}, notes={}, owners=owners,
        user=current_user, now=instant,
    )  # fmt: skip
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        raise ApiProblem(
            409, _("Someone saved this dossier at the same time; try again.")
        ) from None
    data = _dossier_json(dossier)
    data["changed"] = changed
    return jsonify(data)


def _check_lock(dossier: Dossier, lock_version: int) -> None:
    try:
        ops.check_lock(dossier, lock_version)
    except ops.StaleDossier:
        raise ApiProblem(
            409,
            _("The dossier changed since you read it (lock_version %(v)s is current).",
              v=dossier.lock_version),
            lock_version=dossier.lock_version,
        ) from None  # fmt: skip


def _closed(window: SubmissionWindow, instant) -> ApiProblem:
    if window.state(instant) == "not_started":
        detail = _("The round opens at %(when)s.", when=format_deadline(window.round.opens_at))
    else:
        detail = _(
            "The deadline %(deadline)s has passed (server time %(now)s); values can no longer "
            "change.",
            deadline=format_deadline(window.deadline),
            now=format_deadline(instant),
        )
    return ApiProblem(409, detail, deadline=window.deadline.isoformat())


# Every other address under /api/v1 answers a problem too (not the HTML 404 page).
@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(anything: str):
    """Unknown API address."""
    raise ApiProblem(404)
