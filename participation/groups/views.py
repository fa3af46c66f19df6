"""Working groups: public pages and administration."""

from flask import Blueprint

bp = Blueprint("groups", __name__)


@bp.get("/groups")
def index():
    return "TODO"


@bp.get("/admin")
def admin_index():
    return "TODO"
