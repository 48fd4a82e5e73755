"""Home page and language switch."""

from ._roles import statuses

ROUTES = {
    "main.home": {"GET": statuses(200)},
    # Anyone may choose the language, signed in or not.
    "main.set_language": {"POST": statuses(302, anonymous=302), "data": lambda w: {"lang": "en"}},
}
