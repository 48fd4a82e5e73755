"""Emulation registration: each unit its own; the head confirms; the secretariat decides.

The world's clock is after the registration deadline, so a unit's save or confirm is
refused (409, or a redirect with the refusal) but only after access was granted.
"""

from ._plan_world import movement_url, unit_a_url
from ._roles import COUNCIL, STAFF, UNIT_A, only, statuses

ROUTES = {
    "registration.overview": {
        "url": movement_url,
        # Unit users are sent to their own unit's registration.
        "GET": statuses(200, editor_a=302, head_a=302, editor_b=302),
    },
    "registration.unit_page": {
        "url": unit_a_url,
        "GET": only(200, (*UNIT_A, *COUNCIL)),
        "POST": only(409, UNIT_A),
    },
    "registration.confirm": {"url": unit_a_url, "POST": only(302, ("head_a",))},
    "registration.accept": {"url": unit_a_url, "POST": only(302, STAFF)},
    "registration.return_": {
        "url": unit_a_url,
        "POST": only(302, STAFF),
        "data": lambda w: {"reason": "Chỉ tiêu chưa phù hợp"},
    },
}
