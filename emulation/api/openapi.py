"""The OpenAPI 3.1 document of /api/v1, written by hand to match views.py (tests check it)."""

from ..version import __version__

ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
NUMBER_OR_NULL = {"type": ["number", "null"]}
VALUE = {"type": ["number", "string", "boolean", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problems(*statuses: int) -> dict:
    problem = {"content": {"application/problem+json": {"schema": _ref("Problem")}}}
    texts = {
        400: "Malformed request body",
        401: "No valid bearer token",
        403: "The account's role or unit may not do this",
        404: "No such record",
        409: "Deadline passed, dossier submitted or changed meanwhile",
        422: "Values that do not fit the round's rules",
    }
    return {str(s): {"description": texts[s], **problem} for s in statuses}


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID}


SCHEMAS = {
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "deadline": {"type": "string", "format": "date-time"},
            "lock_version": {"type": "integer"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "field": {"type": ["string", "null"]},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    },
    "Unit": {
        "type": "object",
        "required": ["code", "name"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
    },
    "Me": {
        "type": "object",
        "required": ["username", "full_name", "role", "unit"],
        "properties": {
            "username": {"type": "string"},
            "full_name": {"type": "string"},
            "role": {"enum": ["unit_editor", "unit_head", "reviewer", "secretariat", "admin"]},
            "unit": {"oneOf": [_ref("Unit"), {"type": "null"}]},
        },
    },
    "Round": {
        "type": "object",
        "required": ["id", "code", "name", "kind", "movement", "opens_at", "deadline", "state"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"enum": ["interim", "final"]},
            "movement": {"type": "string"},
            "opens_at": {"type": "string", "format": "date-time"},
            "deadline": {"type": "string", "format": "date-time"},
            "late_policy": {"enum": ["reject", "accept_flagged"]},
            "grace_seconds": {"type": "integer"},
            "state": {"enum": ["not_started", "open", "grace", "closed"]},
            "dossier_id": {"type": ["integer", "null"]},
            "unit_window": {
                "type": "object",
                "required": ["state", "deadline"],
                "properties": {
                    "state": {"enum": ["not_started", "open", "grace", "closed"]},
                    "deadline": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
    "Movement": {
        "type": "object",
        "required": ["id", "code", "name", "rounds"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "organisation": {"type": "string"},
            "rounds": {"type": "array", "items": _ref("Round")},
        },
    },
    "Ranking": {
        "type": "object",
        "required": ["round", "frozen_snapshot", "tie_policy", "ranking"],
        "properties": {
            "round": _ref("Round"),
            "frozen_snapshot": {"type": ["string", "null"]},
            "tie_policy": {"type": "string"},
            "ranking": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["unit_code", "unit_name", "total"],
                    "properties": {
                        "unit_code": {"type": "string"},
                        "unit_name": {"type": "string"},
                        "total": NUMBER_OR_NULL,
                    },
                },
            },
        },
    },
    "Dossier": {
        "type": "object",
        "required": ["id", "round_id", "unit", "status", "lock_version", "values", "points"],
        "properties": {
            "id": {"type": "integer"},
            "round_id": {"type": "integer"},
            "unit": _ref("Unit"),
            "status": {"enum": ["draft", "submitted", "returned", "withdrawn"]},
            "lock_version": {"type": "integer"},
            "updated_at": {"type": "string", "format": "date-time"},
            "values": {"type": "object", "additionalProperties": {"type": ["number", "string"]}},
            "points": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "properties": {
                            "total": NUMBER_OR_NULL,
                            "band": {"type": ["string", "null"]},
                        },
                    },
                ]
            },
            "explanation": {"type": ["object", "null"]},
            "changed": {"type": "array", "items": {"type": "string"}},
        },
    },
    "ValuesInput": {
        "type": "object",
        "additionalProperties": False,
        "required": ["values"],
        "properties": {
            "values": {"type": "object", "additionalProperties": VALUE},
            "lock_version": {"type": "integer"},
        },
    },
}


def openapi_document() -> dict:
    """The whole document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "emulation API",
            "version": __version__,
            "description": (
                "Movements, rounds, rankings and dossiers of the emulation system. Authenticate "
                "with a personal token (Tài khoản → Mã truy cập API): Authorization: Bearer "
                "<token>. Errors are RFC 9457 problem details in the account's language."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/me": {
                "get": {
                    "operationId": "me",
                    "summary": "The account the token acts for",
                    "responses": {"200": _ok(_ref("Me"), "The account"), **_problems(401)},
                }
            },
            "/movements": {
                "get": {
                    "operationId": "listMovements",
                    "summary": "Movements and their rounds",
                    "responses": {
                        "200": _ok({"type": "array", "items": _ref("Movement")}, "Movements"),
                        **_problems(401),
                    },
                }
            },
            "/rounds/{round_id}": {
                "get": {
                    "operationId": "getRound",
                    "summary": "A round (for a unit account: its dossier and own deadline)",
                    "parameters": [_path_id("round_id")],
                    "responses": {"200": _ok(_ref("Round"), "The round"), **_problems(401, 404)},
                }
            },
            "/rounds/{round_id}/ranking": {
                "get": {
                    "operationId": "getRanking",
                    "summary": "The round's ranking (council and secretariat only)",
                    "parameters": [_path_id("round_id")],
                    "responses": {
                        "200": _ok(_ref("Ranking"), "The ranking"),
                        **_problems(401, 403, 404, 409),
                    },
                }
            },
            "/rounds/{round_id}/values": {
                "patch": {
                    "operationId": "setValues",
                    "summary": "A unit sets values in its own draft; null clears one",
                    "parameters": [_path_id("round_id")],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ValuesInput")}},
                    },
                    "responses": {
                        "200": _ok(_ref("Dossier"), "The draft after the change"),
                        **_problems(400, 401, 403, 404, 409, 422),
                    },
                }
            },
            "/dossiers/{dossier_id}": {
                "get": {
                    "operationId": "getDossier",
                    "summary": "A dossier's values, points and explanation",
                    "parameters": [_path_id("dossier_id")],
                    "responses": {
                        "200": _ok(_ref("Dossier"), "The dossier"),
                        **_problems(401, 403, 404),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": _ok({"type": "object"}, "OpenAPI 3.1")},
                }
            },
        },
    }
