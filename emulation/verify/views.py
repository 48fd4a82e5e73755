"""The page where anyone signed in checks a PDF: who signed or sealed it, when, changed or not."""

from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from ..signatures.seal import verify_file

bp = Blueprint("verify", __name__)


class VerifyForm(FlaskForm):
    """One PDF to check."""

    file = FileField(_l("PDF file"), validators=[FileRequired(_l("Choose a file."))])


@bp.route("/verify", methods=["GET", "POST"])
@login_required
def verify_page():
    """Upload a PDF and see each signature: signer, organisation, time, trust and changes."""
    form = VerifyForm()
    result, name, status = None, None, 200
    if form.validate_on_submit():
        upload = form.file.data
        limit = int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024
        data = upload.stream.read(limit + 1)
        name = upload.filename
        if len(data) > limit:
            form.file.errors.append(_l("The file is larger than %(mb)s MB.",
                                       mb=current_app.config["MAX_UPLOAD_MB"]))
            status = 413
        else:
            result = verify_file(data, current_app.config)
    elif form.is_submitted():
        status = 422
    return render_template("verify/page.html", form=form, result=result, name=name), status
