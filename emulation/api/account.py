"""The page where a user creates and revokes personal API tokens."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..access import now, roles_required
from ..extensions import db
from ..models import ROLES, ApiToken
from .tokens import MAX_ACTIVE, TokenError, create_token, revoke_token, tokens_of

bp = Blueprint("account", __name__, url_prefix="/account")


class TokenForm(FlaskForm):
    """Name a new token after where it will be used."""

    name = StringField(
        _l("What the token is for"),
        validators=[DataRequired(_l("Give the token a name.")), Length(max=100)],
    )


class RevokeForm(FlaskForm):
    """A CSRF-protected button."""


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required(*ROLES)
def tokens():
    """List the user's tokens; create one, showing its secret once."""
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _token, secret = create_token(current_user, form.name.data, now=now())
            db.session.commit()
        except TokenError:
            db.session.rollback()
            flash(
                _("You already have %(n)s active tokens; revoke one first.", n=MAX_ACTIVE), "error"
            )
        else:
            form.name.data = ""
    return render_template(
        "account/tokens.html",
        form=form,
        revoke=RevokeForm(),
        tokens=tokens_of(current_user),
        secret=secret,
    ), (200 if not form.errors else 422)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required(*ROLES)
def revoke(token_id: int):
    """Revoke one of the user's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if RevokeForm().validate_on_submit():
        revoke_token(token, actor=current_user, now=now())
        db.session.commit()
        flash(
            _("Token “%(name)s” revoked: it no longer opens the API.", name=token.name), "success"
        )
    return redirect(url_for("account.tokens"))
