"""Setting up a movement from a rule file: the secretariat and administrators only."""

from ._roles import STAFF, only

ROUTES = {
    # A bare POST chooses no rule file: the form is shown again with the error.
    "movements.new_movement": {"GET": only(200, STAFF), "POST": only(200, STAFF)},
}
