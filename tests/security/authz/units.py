"""A unit's page and a dossier's page (unit A's): never for another unit's users."""

from ._roles import statuses

ROUTES = {
    "units.unit_page": {
        "url": lambda w: {"code": w.units["A"].code},
        "GET": statuses(200, editor_b=403),
    },
    "units.awards": {
        "url": lambda w: {"code": w.units["A"].code},
        "GET": statuses(200, editor_b=403),
    },
    "units.dossier_page": {
        "url": lambda w: {"dossier_id": w.dossier_a.id},
        "GET": statuses(200, editor_b=403),
    },
}
