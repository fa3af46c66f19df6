"""TODO skeleton."""

from flask import Blueprint

bp = Blueprint("proposals", __name__)


@bp.get("/proposals")
def index():
    return "TODO"
