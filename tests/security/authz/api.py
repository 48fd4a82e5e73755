"""The JSON API: only a bearer token authenticates, so every session (any role) gets 401."""

from ._roles import statuses

NO_TOKEN = statuses(401, anonymous=401)

ROUTES = {
    "api.openapi": {"GET": statuses(200, anonymous=200)},
    "api.me": {"GET": NO_TOKEN},
    "api.movements": {"GET": NO_TOKEN},
    "api.round_detail": {"url": lambda w: {"round_id": w.round.id}, "GET": NO_TOKEN},
    "api.ranking": {"url": lambda w: {"round_id": w.round.id}, "GET": NO_TOKEN},
    "api.dossier_detail": {"url": lambda w: {"dossier_id": w.dossier_a.id}, "GET": NO_TOKEN},
    "api.put_values": {"url": lambda w: {"round_id": w.round.id}, "PATCH": NO_TOKEN},
    "api.not_found": {
        "url": lambda w: {"anything": "nothing/here"},
        **dict.fromkeys(("GET", "POST", "PUT", "PATCH", "DELETE"), NO_TOKEN),
    },
}
