"""RFC 9457 problem details: every API error is application/problem+json with a clear message."""

import json

from flask import Response
from flask_babel import gettext as _

PROBLEM_TYPE = "application/problem+json"


def problem_titles() -> dict[int, str]:
    """Short titles per status, in the user's language."""
    return {
        400: _("Bad request"),
        401: _("Authentication required"),
        403: _("Access denied"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Request too large"),
        415: _("Unsupported media type"),
        422: _("Invalid values"),
        500: _("Internal error"),
    }


def default_detail(status: int) -> str:
    """What a status means for the caller, when the view has nothing more precise to say."""
    return {
        401: _("Send a personal API token: Authorization: Bearer <token>."),
        403: _("Your account may not do this."),
        404: _("The record or address you asked for does not exist."),
        405: _("This address does not accept that method."),
        500: _("Something went wrong on the server. Nothing was changed; try again."),
    }.get(status, _("The request could not be processed."))


def problem(status: int, detail: str | None = None, **extra) -> Response:
    """A problem-details response; `extra` adds members such as `errors` or `deadline`."""
    body = {
        "type": "about:blank",
        "title": problem_titles().get(status, _("Error")),
        "status": status,
        "detail": str(detail) if detail else default_detail(status),
        **extra,
    }
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="emulation"'
    return response


class ApiProblem(Exception):
    """Raised inside a view to answer with a problem."""

    def __init__(self, status: int, detail=None, **extra):
        super().__init__(status)
        self.status = status
        self.detail = detail
        self.extra = extra

    def response(self) -> Response:
        """The problem as a response."""
        return problem(self.status, self.detail, **self.extra)
