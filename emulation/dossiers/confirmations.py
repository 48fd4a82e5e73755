"""The confirmation pages a unit sees before submitting or withdrawing its dossier."""

from flask import url_for
from flask_babel import gettext as _

from ..confirm import confirmation_page
from ..timefmt import format_deadline
from . import operations as ops
from . import signoff
from .completeness import completeness
from .scoring import rules_of


def submit_confirmation(dossier):
    """The page asking the unit to confirm the submission, with what it will send."""
    rules = rules_of(dossier.round)
    check = completeness(dossier, rules)
    details = [
        _("Deadline: %(at)s.", at=format_deadline(ops.effective_deadline(dossier))),
        _("%(n)d evidence files are attached.", n=len(dossier.evidence)),
    ]
    if signoff.required(dossier) and signoff.state(dossier) != signoff.CONFIRMED:
        details.append(
            _("The unit head has not confirmed this dossier yet: the submission will be refused.")
        )
    if not check.complete:
        details.append(
            _("The dossier is incomplete; an incomplete dossier may not be eligible for awards.")
        )
    details.append(
        _(
            "After submitting, the dossier can only be changed by withdrawing it before the "
            "deadline."
        )
    )
    return confirmation_page(
        title=_("Submit the dossier"),
        question=_("Submit the dossier of %(name)s now?", name=dossier.candidate.display_name),
        details=details,
        button=_("Yes, submit the dossier"),
        cancel_url=url_for("dossiers.edit", dossier_id=dossier.id),
        action=url_for("dossiers.submit", dossier_id=dossier.id),
        fields=[("lock_version", str(dossier.lock_version))],
        danger=True,
    )


def withdraw_confirmation(dossier):
    """The page asking the unit to confirm taking its submitted dossier back."""
    return confirmation_page(
        title=_("Withdraw to correct"),
        question=_("Withdraw the submitted dossier to correct it?"),
        details=[
            _("The dossier no longer counts as submitted until you submit it again."),
            _(
                "Submit it again before the deadline: %(at)s.",
                at=format_deadline(ops.effective_deadline(dossier)),
            ),
        ],
        button=_("Yes, withdraw the dossier"),
        cancel_url=url_for("dossiers.edit", dossier_id=dossier.id),
    )
