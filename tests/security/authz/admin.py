"""Administration pages: the secretariat and administrators only."""

from ._roles import STAFF, only

# Bare POSTs carry no fields: the forms answer 422, the confirm step 400.
ROUTES = {
    "admin.index": {"GET": only(200, STAFF)},
    "admin.clusters": {"GET": only(200, STAFF), "POST": only(422, STAFF)},
    "admin.cluster_edit": {
        "url": lambda w: {"cluster_id": w.units["A"].cluster_id},
        "GET": only(200, STAFF),
        # An empty body leaves the stored code and name in the form: saved as they are.
        "POST": only(302, STAFF),
    },
    "admin.set_active": {
        "url": lambda w: {"kind": "units", "object_id": w.units["B"].id},
        "POST": only(302, STAFF),
    },
    "admin.units": {"GET": only(200, STAFF)},
    "admin.unit_edit": {
        "url": lambda w: {"unit_id": w.units["B"].id},
        "GET": only(200, STAFF),
        "POST": only(422, STAFF),
    },
    "admin.unit_changes": {"GET": only(200, STAFF), "POST": only(422, STAFF)},
    "admin.users": {"GET": only(200, STAFF)},
    "admin.user_edit": {
        "url": lambda w: {"user_id": w.users["editor_b"].id},
        "GET": only(200, STAFF),
        "POST": only(422, STAFF),
    },
    "admin.user_password": {
        "url": lambda w: {"user_id": w.users["editor_b"].id},
        "POST": only(200, STAFF),
    },
    "admin.import_upload": {"GET": only(200, STAFF), "POST": only(422, STAFF)},
    "admin.import_confirm": {"POST": only(400, STAFF)},
}
