"""The activity plan: the secretariat edits it, lead units report, units see their own."""

from ._plan_world import movement_url, plan_world
from ._roles import COUNCIL, STAFF, UNIT_A, only, statuses

ROUTES = {
    "plan.index": {"GET": statuses(200)},
    "plan.plan_page": {"url": movement_url, "GET": statuses(200)},
    "plan.add_activity": {
        "url": movement_url,
        "POST": only(302, STAFF),
        "data": lambda w: {
            "title": "Rà soát",
            "lead_unit": str(w.units["A"].id),
            "due_on": "30/06/2025",
        },  # fmt: skip
    },
    # A bare request has no file: the secretariat gets the form back with the error.
    "plan.import_plan": {"url": movement_url, "POST": only(422, STAFF)},
    "plan.import_template": {"url": movement_url, "GET": only(200, STAFF)},
    "plan.activity_page": {
        "url": lambda w: {"activity_id": plan_world(w)["activity"].id},
        "GET": only(200, (*UNIT_A, *COUNCIL)),
        "POST": only(302, UNIT_A),
        "data": lambda w: {"progress": "60"},
    },
    "plan.edit_activity": {
        "url": lambda w: {"activity_id": plan_world(w)["activity"].id},
        "GET": only(200, STAFF),
        # A bare post is an incomplete form: the secretariat gets it back with the errors.
        "POST": only(422, STAFF),
    },
    # The world's activity has a progress report, so it is kept (redirect with the refusal).
    "plan.delete_activity": {
        "url": lambda w: {"activity_id": plan_world(w)["activity"].id},
        "POST": only(302, STAFF),
    },
    "plan.report_file": {
        "url": lambda w: {"report_id": plan_world(w)["report"].id},
        "GET": only(200, (*UNIT_A, *COUNCIL)),
    },
    "plan.calendar": {"url": movement_url, "GET": statuses(200)},
}
