"""TODO skeleton."""

from flask import Blueprint

bp = Blueprint("decisions", __name__)


@bp.get("/decisions")
def index():
    return "TODO"
