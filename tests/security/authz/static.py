"""Static files: public (CSS, scripts, images hold nothing private)."""

from ._roles import statuses

ROUTES = {
    "static": {"url": lambda w: {"filename": "css/app.css"}, "GET": statuses(200, anonymous=200)},
}
