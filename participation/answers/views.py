"""Official answers: answering a proposal, and the public responsiveness pages of a working
group and of an agency."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.accounts.models import Organisation
from participation.answers import permissions, queries, services
from participation.answers.forms import ANSWER_PREFIX, AnswerForm
from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.proposals.views import answer_choices, render_detail, visible_or_404

bp = Blueprint("answers", __name__)


@bp.post("/proposals/<int:proposal_id>/answer")
@login_required
def answer(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    require(permissions.may_answer(current_user, proposal))
    form = AnswerForm(prefix=ANSWER_PREFIX)
    organisations, targets = answer_choices(form, proposal)
    if form.validate_on_submit():
        referred_to = next((o for o in organisations if o.id == form.referred_to.data), None)
        merged_into = next((p for p in targets if p.id == form.merged_into.data), None)
        with unit_of_work(form) as work:
            services.answer_proposal(
                proposal=proposal, actor=me(), state=form.state_value(), body=form.body.data,
                referred_to=referred_to, merged_into=merged_into, now=utcnow(),
            )
        if work.ok:
            flash(_("The official answer is published."))
            return redirect(url_for("proposals.detail", proposal_id=proposal.id,
                                    _anchor="answer"))
        if isinstance(work.error, services.AnswerNotPossible):
            # The page shows no answer form now (answered, withdrawn, no deadline): say why.
            flash(work.error.message, "error")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id,
                                    _anchor="answer"))
    return render_detail(proposal, answer_form=form)


@bp.get("/groups/<int:group_id>/responsiveness")
def group_responsiveness(group_id: int):
    group = db.get_or_404(WorkingGroup, group_id)
    tracked = queries.tracked_in_group(group.id)
    today = queries.today()
    return render_template(
        "answers/group.html",
        group=group,
        figures=queries.figures(tracked, today),
        agencies=queries.by_agency(tracked, today),
        chart=queries.days_chart(tracked, chart_id="days-to-answer"),
    )


@bp.get("/organisations/<int:organisation_id>/responsiveness")
def organisation_responsiveness(organisation_id: int):
    organisation = db.get_or_404(Organisation, organisation_id)
    tracked = queries.tracked_for_agency(organisation.id)
    today = queries.today()
    return render_template(
        "answers/organisation.html",
        organisation=organisation,
        figures=queries.figures(tracked, today),
        chart=queries.days_chart(tracked, chart_id="days-to-answer"),
    )
