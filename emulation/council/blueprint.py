"""The council's URL table."""

from flask import Blueprint

from . import views_decisions as decisions
from . import views_documents as documents
from . import views_freeze as freezing
from . import views_ranking as ranking
from . import views_review as review
from . import views_vote as vote

bp = Blueprint("council", __name__, url_prefix="/council")

_ROUTES = [
    ("/rounds/<int:round_id>/reviews", review.assignments, ["GET"]),
    ("/rounds/<int:round_id>/reviews/assign", review.assign, ["POST"]),
    ("/rounds/<int:round_id>/reviews/auto", review.auto_assign, ["POST"]),
    ("/reviews/<int:review_id>/unassign", review.unassign, ["POST"]),
    ("/queue", review.queue, ["GET"]),
    ("/reviews/<int:review_id>", review.review_page, ["GET"]),
    ("/reviews/<int:review_id>/adjust", review.adjust, ["POST"]),
    ("/reviews/<int:review_id>/finish", review.finish, ["POST"]),
    ("/reviews/<int:review_id>/reopen", review.reopen, ["POST"]),
    ("/reviews/<int:review_id>/recuse", review.recuse, ["POST"]),
    ("/reviews/<int:review_id>/flag", review.flag, ["POST"]),
    ("/reviews/<int:review_id>/flags/<criterion_code>/clear", review.unflag, ["POST"]),
    ("/rounds/<int:round_id>/ranking", ranking.ranking_page, ["GET"]),
    ("/rounds/<int:round_id>/candidates/<int:dossier_id>", ranking.candidate_page, ["GET"]),
    ("/rounds/<int:round_id>/freeze", freezing.freeze_round, ["GET", "POST"]),
    ("/rounds/<int:round_id>/reopen", ranking.reopen_round, ["POST"]),
    ("/snapshots/<int:snapshot_id>.json", ranking.snapshot_json, ["GET"]),
    ("/snapshots/<int:snapshot_id>.pdf", ranking.snapshot_pdf, ["GET"]),
    ("/rounds/<int:round_id>/whatif", ranking.whatif_page, ["GET", "POST"]),
    ("/rounds/<int:round_id>/gaps", ranking.gaps_page, ["GET"]),
    ("/rounds/<int:round_id>/meeting", vote.meeting_page, ["GET", "POST"]),
    ("/rounds/<int:round_id>/vote", vote.vote_page, ["GET", "POST"]),
    ("/rounds/<int:round_id>/paper-ballots", vote.paper_votes_page, ["GET", "POST"]),
    ("/rounds/<int:round_id>/minutes.docx", vote.minutes_docx, ["GET"]),
    ("/rounds/<int:round_id>/decision.docx", vote.decision_docx, ["GET"]),
    ("/rounds/<int:round_id>/minutes.pdf", vote.minutes_pdf, ["GET"]),
    ("/rounds/<int:round_id>/decision.pdf", vote.decision_pdf, ["GET"]),
    ("/rounds/<int:round_id>/proposal.docx", documents.proposal_docx, ["GET"]),
    ("/rounds/<int:round_id>/decisions", decisions.decisions_page, ["GET", "POST"]),
    ("/rounds/<int:round_id>/certificates.pdf", decisions.certificates_pdf, ["GET"]),
    ("/rounds/<int:round_id>/certificates-test.pdf", decisions.certificates_test_pdf, ["GET"]),
    ("/rounds/<int:round_id>/awards.xlsx", decisions.awards_xlsx, ["GET"]),
]

for rule, view, methods in _ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=methods)
