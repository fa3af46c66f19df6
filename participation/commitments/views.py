"""Commitments: the public list, one commitment's timeline with its roll-up, reviews and
assessments, creating one, progress, milestones and their weights."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from participation.accounts.models import Organisation
from participation.commitments import queries, services
from participation.commitments.forms import (
    EQUAL,
    SET,
    CommitmentForm,
    MilestoneCompletionForm,
    MilestoneForm,
    ProgressForm,
    weights_form,
)
from participation.commitments.models import Commitment, Completion, Milestone, ProgressUpdate
from participation.commitments.permissions import (
    can_create_commitment,
    can_manage_commitment,
    can_post_progress,
)
from participation.commitments.tracking import (
    commitment_overdue,
    days_late,
    milestone_overdue,
    roll_up,
    uses_set_weights,
)
from participation.core.i18n import site_date, with_names
from participation.core.models import utcnow
from participation.core.views import me, page_number, require, unit_of_work
from participation.decisions.models import Decision
from participation.decisions.queries import commitment_for
from participation.evaluations import queries as evaluations
from participation.evaluations.models import ReviewKind
from participation.evaluations.permissions import assessment_kinds, can_answer, can_review
from participation.extensions import db
from participation.kpis.queries import kpis_for_commitment
from participation.volunteering.queries import tasks_for_commitment

bp = Blueprint("commitments", __name__)


@bp.get("/commitments")
def index():
    page = queries.commitment_page(
        page=page_number(), per_page=current_app.config["PER_PAGE"]
    )
    today = site_date(utcnow())
    return render_template(
        "commitments/index.html",
        page=page,
        today=today,
        overdue_milestones=queries.overdue_milestone_counts(
            [commitment.id for commitment in page.items], today
        ),
        commitment_overdue=commitment_overdue,
    )


def _tracking(commitment: Commitment, updates: list[ProgressUpdate]) -> dict:
    """What the commitment page shows about progress and evaluation: the roll-up, overdue
    flags, the reviews of each update with its disputes' state, and the assessments."""
    today = site_date(utcnow())
    reviews = evaluations.reviews_by_update(update.id for update in updates)
    every_review = [review for listed in reviews.values() for review in listed]
    return {
        "today": today,
        "rolled": roll_up(commitment.milestones),
        "overdue": commitment_overdue(commitment, today),
        "days_overdue": days_late(commitment.due_date, today),
        "overdue_milestones": {
            m.id: days_late(m.due_date, today)
            for m in commitment.milestones if milestone_overdue(m, today)
        },
        "reviews": {key: evaluations.UpdateReviews(listed) for key, listed in reviews.items()},
        "dispute_states": {
            review.id: evaluations.dispute_state(review, today)
            for review in every_review if review.kind == ReviewKind.DISPUTE
        },
        "disputes": evaluations.dispute_summary(every_review, today),
        "assessments": evaluations.compare(evaluations.assessments_of(commitment.id)),
        "assessment_kinds": assessment_kinds(current_user, commitment),
        "completion_choices": Completion.choices(),
        "can_review": lambda update: can_review(current_user, update),
        "can_answer": lambda review: can_answer(current_user, review, commitment),
    }


@bp.get("/commitments/<int:commitment_id>")
def detail(commitment_id: int):
    commitment = queries.get_commitment(commitment_id)
    if commitment is None:
        abort(404)
    updates = queries.timeline(commitment)
    return render_template(
        "commitments/detail.html",
        commitment=commitment,
        updates=updates,
        can_post=can_post_progress(current_user, commitment),
        can_manage=can_manage_commitment(current_user, commitment),
        kpis=kpis_for_commitment(commitment.id),
        volunteer_tasks=tasks_for_commitment(commitment.id),
        **_tracking(commitment, updates),
    )


@bp.route("/decisions/<int:decision_id>/commitment/new", methods=["GET", "POST"])
@login_required
def create(decision_id: int):
    decision = db.get_or_404(Decision, decision_id)
    require(can_create_commitment(current_user, decision))
    existing = commitment_for(decision)
    if existing is not None:
        flash(_("This decision already has a commitment."), "error")
        return redirect(url_for("commitments.detail", commitment_id=existing.id))
    form = CommitmentForm()
    choices = queries.organisation_choices()
    form.lead_organisation.choices = [(0, _("Choose…")), *choices]
    form.supporters.choices = choices
    if request.method == "GET":
        form.title.data = decision.proposal.title
        form.start_date.data = site_date(utcnow())
    if form.validate_on_submit():
        organisations = {
            org.id: org
            for org in db.session.scalars(
                sa.select(Organisation).where(
                    Organisation.id.in_([form.lead_organisation.data, *form.supporters.data])
                )
            )
        }
        lead = organisations.get(form.lead_organisation.data)
        if lead is None:
            form.lead_organisation.errors = [_("Choose the lead agency.")]
        else:
            with unit_of_work(form) as work:
                commitment = services.create_commitment(
                    decision=decision,
                    actor=current_user,
                    title=form.title.data,
                    description=form.description.data or "",
                    lead_organisation=lead,
                    supporters=[organisations[i] for i in form.supporters.data],
                    start_date=form.start_date.data,
                    due_date=form.due_date.data,
                    milestones=form.milestone_lines(),
                    now=utcnow(),
                )
            if work.ok:
                flash(_("The commitment is created."))
                return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return render_template("commitments/create.html", form=form, decision=decision)


@bp.route("/commitments/<int:commitment_id>/progress/new", methods=["GET", "POST"])
@login_required
def post_progress(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    require(can_post_progress(current_user, commitment))
    form = ProgressForm()
    rolled = roll_up(commitment.milestones)
    if rolled is not None:
        # With milestones the percent is their roll-up, not typed.
        del form.percent
    if request.method == "GET":
        form.reported_on.data = site_date(utcnow())
        form.completion.data = commitment.completion.value
        form.status.data = commitment.status.value
        if rolled is None:
            form.percent.data = commitment.percent
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.post_progress(
                commitment=commitment,
                author=current_user,
                reported_on=form.reported_on.data,
                completion=form.completion.data,
                percent=None if rolled is not None else form.percent.data,
                status=form.status.data,
                note=form.note.data or "",
                reason=form.reason.data or "",
                evidence=form.evidence_links(),
                now=utcnow(),
            )
        if work.ok:
            flash(_("The progress report is published."))
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return render_template("commitments/progress.html", form=form, commitment=commitment,
                           rolled=rolled)


@bp.route("/commitments/<int:commitment_id>/milestones/new", methods=["GET", "POST"])
@login_required
def add_milestone(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    require(can_manage_commitment(current_user, commitment))
    form = MilestoneForm()
    if form.validate_on_submit():
        weighted = uses_set_weights(commitment.milestones)
        with unit_of_work(form) as work:
            services.add_milestone(
                commitment=commitment,
                actor=current_user,
                title=form.title.data,
                due_date=form.due_date.data,
                now=utcnow(),
            )
        if work.ok:
            flash(_("The milestone is added."))
            if weighted:
                flash(_("The weights were cleared: the milestones now count in equal shares "
                        "until they are weighed again."))
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return render_template("commitments/milestone.html", form=form, commitment=commitment)


@bp.route("/milestones/<int:milestone_id>/completion", methods=["GET", "POST"])
@login_required
def milestone_completion(milestone_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    commitment = milestone.commitment
    require(can_post_progress(current_user, commitment))
    commitment_id = commitment.id
    form = MilestoneCompletionForm()
    if request.method == "GET":
        form.completion.data = milestone.completion.value
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            percent = services.set_milestone_completion(
                milestone=milestone, actor=me(), completion=form.completion.data, now=utcnow()
            )
        if work.ok:
            flash(_("The milestone is updated. The commitment is now %(percent)s%% complete.",
                    percent=percent))
            return redirect(url_for("commitments.detail", commitment_id=commitment_id,
                                    _anchor="milestones"))
    milestone = db.session.get(Milestone, milestone_id)
    return render_template("commitments/milestone_completion.html", form=form,
                           milestone=milestone, commitment=milestone.commitment)


@bp.route("/commitments/<int:commitment_id>/weights", methods=["GET", "POST"])
@login_required
def weights(commitment_id: int):
    commitment = queries.get_commitment(commitment_id)
    if commitment is None:
        abort(404)
    require(can_manage_commitment(current_user, commitment))
    milestones = list(commitment.milestones)
    if not milestones:
        flash(_("This commitment has no milestones to weigh."), "error")
        return redirect(url_for("commitments.detail", commitment_id=commitment_id))
    form = weights_form(len(milestones))
    if request.method == "GET":
        form.shares.data = SET if uses_set_weights(milestones) else EQUAL
        for entry, milestone in zip(form.weights.entries, milestones, strict=True):
            entry.data = "" if milestone.weight is None else f"{milestone.weight:.3f}"
    # Milestones are never removed, so weights typed before one was added are one short and
    # refused ("a weight for every milestone") rather than paired with the wrong milestones.
    if form.validate_on_submit():
        chosen = form.chosen_weights()
        with unit_of_work(form, fallback_field="weights") as work:
            services.set_weights(
                commitment=commitment,
                actor=me(),
                weights=None if chosen is None else {
                    milestone.id: weight
                    for milestone, weight in zip(milestones, chosen, strict=True)
                },
                now=utcnow(),
            )
        if work.ok:
            if chosen is None:
                flash(_("The milestones now count in equal shares."))
            else:
                flash(_("The weights are saved."))
            return redirect(url_for("commitments.detail", commitment_id=commitment_id,
                                    _anchor="progress-formula"))
        commitment = queries.get_commitment(commitment_id)
        milestones = list(commitment.milestones)
    rows = list(zip(milestones, form.weights.entries, strict=False))
    for milestone, entry in rows:
        entry.label.text = with_names(_l("Weight of “%(milestone)s”"), milestone=milestone.title)
    return render_template("commitments/weights.html", form=form, commitment=commitment,
                           rows=rows)
