"""Login and logout: the login page is public; signed-in users are sent home from it."""

from ._roles import LOGIN, statuses

ROUTES = {
    "auth.login": {"GET": statuses(302, anonymous=200), "POST": statuses(302, anonymous=200)},
    # Signing out ends on the login page; anonymous users are sent there too.
    "auth.logout": {"POST": statuses(LOGIN)},
}
