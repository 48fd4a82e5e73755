"""Role names of the authorisation matrix and helpers to write expectations briefly."""

# Pseudo status: a 302 redirect to the login page (anything else that is 302 is written 302).
LOGIN = "login"

ROLES = (
    "anonymous",
    "editor_a",  # unit editor of unit A (which owns the dossier, evidence and review used)
    "editor_b",  # unit editor of unit B
    "head_a",  # unit head of unit A
    "reviewer",  # council member of no unit, holding the review of A's dossier
    "reviewer_own",  # council member belonging to unit A
    "secretariat",
    "admin",
)
UNIT_A = ("editor_a", "head_a")
COUNCIL = ("reviewer", "reviewer_own", "secretariat", "admin")
STAFF = ("secretariat", "admin")
SIGNED_IN = ROLES[1:]


def statuses(default, anonymous=LOGIN, **by_role) -> dict:
    """Every role's expected status: `default`, except anonymous and the roles named."""
    unknown = set(by_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {ROLES}")
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    table.update(by_role)
    return table


def only(status, roles, *, others=403, anonymous=LOGIN, **by_role) -> dict:
    """`status` for `roles`, `others` for every other signed-in role, login for anonymous."""
    return statuses(others, anonymous=anonymous, **dict.fromkeys(roles, status), **by_role)
