"""TODO skeleton."""

from flask import Blueprint

bp = Blueprint("accountability", __name__)


@bp.get("/log")
def index():
    return "TODO"


@bp.get("/log/head.json")
def head_json():
    return "TODO"
