"""Decisions: the public list, one decision with its roll-call, and its resolution text."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.commitments.permissions import can_create_commitment
from participation.core.charts import Chart, bar_chart
from participation.core.models import utcnow
from participation.core.views import page_number, require, unit_of_work
from participation.decisions import queries, services
from participation.decisions.forms import ResolutionForm
from participation.decisions.models import Decision
from participation.decisions.permissions import can_record_resolution
from participation.extensions import db
from participation.votes.forms import ballot_choices
from participation.votes.queries import roll_call, turnout_by_sector

bp = Blueprint("decisions", __name__)


@bp.get("/decisions")
def index():
    page = queries.decision_page(
        page=page_number(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("decisions/index.html", page=page)


@bp.get("/decisions/<int:decision_id>")
def detail(decision_id: int):
    decision = queries.get_decision(decision_id)
    if decision is None:
        abort(404)
    commitment = queries.commitment_for(decision)
    roll = roll_call(decision.ballot)
    return render_template(
        "decisions/detail.html",
        decision=decision,
        roll_call=roll,
        turnout=turnout_by_sector(roll),
        result_chart=result_chart(decision),
        commitment=commitment,
        can_record=can_record_resolution(current_user, decision),
        can_commit=commitment is None and can_create_commitment(current_user, decision),
    )


@bp.route("/decisions/<int:decision_id>/resolution", methods=["GET", "POST"])
@login_required
def resolution(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    require(can_record_resolution(current_user, decision))
    form = ResolutionForm()
    if request.method == "GET":
        form.text.data = decision.resolution
    if form.validate_on_submit():
        with unit_of_work(form, fallback_field="text") as work:
            services.record_resolution(
                decision=decision, actor=current_user, text=form.text.data, now=utcnow()
            )
        if work.ok:
            flash(_("The resolution is saved."))
            return redirect(url_for("decisions.detail", decision_id=decision.id))
    return render_template("decisions/resolution.html", form=form, decision=decision)


def result_chart(decision: Decision) -> Chart:
    """The tally as horizontal bars, labelled for the ballot's kind, with the seats that did
    not vote."""
    counts = {"yes": decision.yes_count, "no": decision.no_count,
              "abstain": decision.abstain_count, "block": decision.block_count}
    return bar_chart(
        chart_id="result-chart",
        title=_("Result of the ballot"),
        description=_(
            "Votes cast by the working group's voting seats, and the seats that did not vote."
        ),
        bars=[
            *((label, counts[value], value) for value, label in ballot_choices(decision.ballot.kind)),
            (_("Did not vote"), decision.eligible_count - decision.votes_cast, "absent"),
        ],
        unit=_("votes"),
        horizontal=True,
        show_share=True,
        label_header=_("Vote"),
    )
