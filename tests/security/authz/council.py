"""Council review (`reviewer` holds the review of unit A's dossier; reviewer_own belongs to A).

Only the holder of a review changes it; the secretariat assigns; unit users see nothing.
"""

from ._roles import COUNCIL, STAFF, only


def _round(w):
    return {"round_id": w.round.id}


def _review(w):
    return {"review_id": w.review.id}


MEMBERS = ("reviewer", "reviewer_own")
HOLDER = only(302, ("reviewer",))  # a bare POST redirects back to the review with a message

ROUTES = {
    "council.queue": {"GET": only(200, MEMBERS)},
    "council.assignments": {"url": _round, "GET": only(200, STAFF)},
    "council.assign": {"url": _round, "POST": only(422, STAFF)},  # bare POST: nobody chosen
    "council.auto_assign": {"url": _round, "POST": only(302, STAFF)},
    "council.unassign": {"url": _review, "POST": only(302, STAFF)},
    # The secretariat reads every review; other members never read one they do not hold.
    "council.review_page": {"url": _review, "GET": only(200, ("reviewer", *STAFF))},
    "council.adjust": {"url": _review, "POST": HOLDER},
    "council.finish": {"url": _review, "POST": HOLDER, "data": lambda w: {"confirmed": "1"}},
    "council.reopen": {"url": _review, "POST": HOLDER},
    "council.recuse": {"url": _review, "POST": HOLDER},
    "council.flag": {"url": _review, "POST": HOLDER},
    "council.unflag": {
        "url": lambda w: {"review_id": w.review.id, "criterion_code": "TC1"},
        "POST": HOLDER,
    },
    "council.ranking_page": {"url": _round, "GET": only(200, COUNCIL)},
    "council.candidate_page": {
        "url": lambda w: {"round_id": w.round.id, "dossier_id": w.dossier_a.id},
        "GET": only(200, COUNCIL),
    },
    # The confirmation page; a bare POST (nothing ticked) shows it again.
    "council.freeze_round": {"url": _round, "GET": only(200, STAFF), "POST": only(422, STAFF)},
    "council.reopen_round": {
        "url": lambda w: {"round_id": w.frozen_round.id},
        "POST": only(302, STAFF),
    },
    "council.snapshot_json": {
        "url": lambda w: {"snapshot_id": w.snapshot.id},
        "GET": only(200, COUNCIL),
    },
    "council.snapshot_pdf": {
        "url": lambda w: {"snapshot_id": w.snapshot.id},
        "GET": only(200, COUNCIL),
    },
    "council.whatif_page": {"url": _round, "GET": only(200, STAFF), "POST": only(200, STAFF)},
    "council.gaps_page": {"url": _round, "GET": only(200, STAFF)},
    "council.meeting_page": {"url": _round, "GET": only(200, STAFF), "POST": only(200, STAFF)},
    # Members vote (own-unit dossiers are barred inside the page, see council/votes.recusals).
    "council.vote_page": {"url": _round, "GET": only(200, MEMBERS), "POST": only(200, MEMBERS)},
    # No meeting recorded yet: the secretariat is sent to record it first.
    "council.paper_votes_page": {
        "url": _round,
        "GET": only(302, STAFF),
        "POST": only(302, STAFF),
    },
    "council.minutes_docx": {"url": _round, "GET": only(302, STAFF)},
    "council.decision_docx": {"url": _round, "GET": only(302, STAFF)},
    "council.minutes_pdf": {"url": _round, "GET": only(302, STAFF)},
    "council.decision_pdf": {"url": _round, "GET": only(302, STAFF)},
    "council.proposal_docx": {"url": _round, "GET": only(302, STAFF)},
    # An empty form is refused with its errors (422).
    "council.decisions_page": {"url": _round, "GET": only(200, STAFF), "POST": only(422, STAFF)},
    # No decision recorded yet: back to the register with a message.
    "council.certificates_pdf": {"url": _round, "GET": only(302, STAFF)},
    "council.certificates_test_pdf": {"url": _round, "GET": only(200, STAFF)},
    "council.awards_xlsx": {"url": _round, "GET": only(200, STAFF)},
}
