"""Commitments: the public list, one commitment's timeline, creating one, progress, milestones."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.accounts.models import Organisation
from participation.commitments import queries, services
from participation.commitments.forms import CommitmentForm, MilestoneForm, ProgressForm
from participation.commitments.models import Commitment
from participation.commitments.permissions import (
    can_create_commitment,
    can_manage_commitment,
    can_post_progress,
)
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.core.views import page_number, require, unit_of_work
from participation.decisions.models import Decision
from participation.decisions.queries import commitment_for
from participation.extensions import db
from participation.kpis.queries import kpis_for_commitment

bp = Blueprint("commitments", __name__)


@bp.get("/commitments")
def index():
    page = queries.commitment_page(
        page=page_number(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("commitments/index.html", page=page)


@bp.get("/commitments/<int:commitment_id>")
def detail(commitment_id: int):
    commitment = queries.get_commitment(commitment_id)
    if commitment is None:
        abort(404)
    return render_template(
        "commitments/detail.html",
        commitment=commitment,
        updates=queries.timeline(commitment),
        can_post=can_post_progress(current_user, commitment),
        can_manage=can_manage_commitment(current_user, commitment),
        kpis=kpis_for_commitment(commitment.id),
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
    if request.method == "GET":
        form.reported_on.data = site_date(utcnow())
        form.completion.data = commitment.completion.value
        form.percent.data = commitment.percent
        form.status.data = commitment.status.value
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.post_progress(
                commitment=commitment,
                author=current_user,
                reported_on=form.reported_on.data,
                completion=form.completion.data,
                percent=form.percent.data,
                status=form.status.data,
                note=form.note.data or "",
                reason=form.reason.data or "",
                evidence=form.evidence_links(),
                now=utcnow(),
            )
        if work.ok:
            flash(_("The progress report is published."))
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return render_template("commitments/progress.html", form=form, commitment=commitment)


@bp.route("/commitments/<int:commitment_id>/milestones/new", methods=["GET", "POST"])
@login_required
def add_milestone(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    require(can_manage_commitment(current_user, commitment))
    form = MilestoneForm()
    if form.validate_on_submit():
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
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return render_template("commitments/milestone.html", form=form, commitment=commitment)
