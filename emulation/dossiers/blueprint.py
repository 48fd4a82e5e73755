"""The dossiers blueprint, shared by the unit's pages and the head's sign-off pages."""

from flask import Blueprint

bp = Blueprint("dossiers", __name__)
