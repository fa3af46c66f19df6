"""TODO skeleton."""

from flask import Blueprint

bp = Blueprint("commitments", __name__)


@bp.get("/commitments")
def index():
    return "TODO"
