"""Evaluating together: confirm or dispute a progress update, answer a dispute, record an
assessment. What they give is shown on the commitment's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from participation.accounts.verification import take_part_required
from participation.commitments.models import Commitment
from participation.core.i18n import format_date, site_date
from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work
from participation.evaluations import queries, services
from participation.evaluations.forms import AnswerForm, AssessmentForm, ReviewForm
from participation.evaluations.models import ReviewKind
from participation.evaluations.permissions import assessment_kinds, can_answer, can_review
from participation.extensions import db

bp = Blueprint("evaluations", __name__)


def _commitment_page(commitment_id: int, anchor: str):
    return redirect(url_for("commitments.detail", commitment_id=commitment_id, _anchor=anchor))


@bp.route("/progress/<int:update_id>/review", methods=["GET", "POST"])
@login_required
@take_part_required
def review(update_id: int):
    update = queries.get_update(update_id)
    if update is None:
        abort(404)
    require(can_review(current_user, update))
    commitment_id = update.commitment_id
    form = ReviewForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            made = services.review_update(
                update=update,
                reviewer=me(),
                kind=form.kind.data,
                comment=form.comment.data,
                evidence_url=form.evidence_url.data or "",
                now=utcnow(),
            )
        if work.ok:
            if made.kind == ReviewKind.DISPUTE:
                flash(_("Your dispute is recorded. The lead agency is asked to answer by "
                        "%(date)s.", date=format_date(made.answer_due_on)))
            else:
                flash(_("Your confirmation is recorded."))
            return _commitment_page(commitment_id, f"update-{update_id}")
    return render_template(
        "evaluations/review.html",
        form=form,
        update=queries.get_update(update_id),
        commitment=db.session.get(Commitment, commitment_id),
    )


@bp.route("/reviews/<int:review_id>/answer", methods=["GET", "POST"])
@login_required
def answer(review_id: int):
    dispute = queries.get_review(review_id)
    if dispute is None:
        abort(404)
    commitment = db.session.get(Commitment, dispute.update.commitment_id)
    require(can_answer(current_user, dispute, commitment))
    commitment_id = commitment.id
    form = AnswerForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.answer_dispute(review=dispute, actor=me(), answer=form.answer.data,
                                    now=utcnow())
        if work.ok:
            flash(_("Your answer to the dispute is published."))
            return _commitment_page(commitment_id, f"review-{review_id}")
    return render_template(
        "evaluations/answer.html",
        form=form,
        review=queries.get_review(review_id),
        commitment=db.session.get(Commitment, commitment_id),
        state=queries.dispute_state(dispute, site_date(utcnow())),
    )


@bp.route("/commitments/<int:commitment_id>/assessments/new", methods=["GET", "POST"])
@login_required
def assess(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    kinds = assessment_kinds(current_user, commitment)
    require(bool(kinds))
    form = AssessmentForm()
    form.kind.choices = [SelectChoice(kind.value, kind.label) for kind in kinds]
    if request.method == "GET":
        form.assessed_on.data = site_date(utcnow())
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.record_assessment(
                commitment=commitment,
                author=me(),
                kind=form.kind.data,
                assessed_on=form.assessed_on.data,
                completion=form.completion.data,
                opened_government=form.opened_government.data,
                explanation=form.explanation.data,
                now=utcnow(),
            )
        if work.ok:
            flash(_("The assessment is published."))
            return _commitment_page(commitment_id, "assessments")
    return render_template(
        "evaluations/assess.html", form=form, commitment=db.session.get(Commitment, commitment_id)
    )
