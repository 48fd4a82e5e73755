"""Account security: my password and sessions; an administrator ends another user's sessions."""

from ._roles import LOGIN, SIGNED_IN, only, statuses

ROUTES = {
    # A bare POST lacks the passwords: the form comes back with its errors (400).
    "security.account": {"GET": statuses(200), "POST": only(400, SIGNED_IN)},
    # Signing out everywhere ends on the login page.
    "security.end_my_sessions": {"POST": statuses(LOGIN)},
    "security.end_user_sessions": {
        "url": lambda w: {"user_id": w.users["editor_a"].id},
        "POST": only(302, ("admin",)),
    },
}
