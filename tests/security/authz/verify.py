"""Checking a PDF's signatures: anyone signed in; a bare POST without a file is refused."""

from ._roles import statuses

ROUTES = {
    "verify.verify_page": {"GET": statuses(200), "POST": statuses(422)},
}
