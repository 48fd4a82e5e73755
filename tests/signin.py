"""Sign a test client in without the login form: a server-side sign-in for the user."""

from emulation.extensions import db
from emulation.models import utcnow
from emulation.security.sessions import start_login


def signed_in_token(user) -> str:
    """A committed sign-in of `user`; put the token in the session as `_user_id`."""
    token = start_login(user, remember=False, now=utcnow())
    db.session.commit()
    return token
