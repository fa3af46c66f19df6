"""The home page: what is being decided now, what was decided, and whether it is being done."""

from __future__ import annotations

from flask import Blueprint, render_template

from participation.home.queries import home_summary
from participation.proposals.models import ProposalState

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template("home/index.html", summary=home_summary(), states=ProposalState)
