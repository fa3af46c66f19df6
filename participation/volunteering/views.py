"""Volunteer tasks: the upcoming list, one task's page, offering and editing a task, signing up
and withdrawing."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.accounts.verification import take_part_required
from participation.commitments.models import Commitment
from participation.core.i18n import from_site_time
from participation.core.models import utcnow
from participation.core.views import me, page_number, require, unit_of_work
from participation.extensions import db
from participation.volunteering import queries, services
from participation.volunteering.forms import TaskForm, to_site_time
from participation.volunteering.models import SignupStatus, VolunteerTask
from participation.volunteering.permissions import can_organise_tasks, can_sign_up

bp = Blueprint("volunteering", __name__)


@bp.app_template_global()
def may_organise_tasks(commitment: Commitment) -> bool:
    """Whether the reader may offer tasks on the commitment (for its page's task section)."""
    return can_organise_tasks(current_user, commitment)


@bp.get("/volunteer")
def index():
    page = queries.upcoming_page(
        now=utcnow(), page=page_number(), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("volunteering/index.html", page=page)


@bp.get("/tasks/<int:task_id>")
def detail(task_id: int):
    task = queries.get_task(task_id)
    if task is None:
        abort(404)
    now = utcnow()
    user_id = current_user.id if current_user.is_authenticated else None
    signup = queries.signup_of(task.id, user_id)
    if signup is not None and signup.status == SignupStatus.WITHDRAWN:
        signup = None
    organiser = can_organise_tasks(current_user, task.commitment)
    return render_template(
        "volunteering/detail.html",
        task=task,
        summary=queries.summary(task),
        signup=signup,
        position=(
            queries.waiting_position(signup)
            if signup is not None and signup.status == SignupStatus.WAITING else None
        ),
        started=now >= task.starts_at,
        may_sign_up=can_sign_up(current_user, task, now),
        organiser=organiser,
        roster=queries.roster(task.id) if organiser else None,
    )


def _task_arguments(form: TaskForm) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "place": form.place.data,
        "starts_at": from_site_time(form.starts_at.data),
        "ends_at": from_site_time(form.ends_at.data),
        "capacity": form.capacity.data,
    }


@bp.route("/commitments/<int:commitment_id>/tasks/new", methods=["GET", "POST"])
@login_required
def create(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    require(can_organise_tasks(current_user, commitment))
    form = TaskForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            task = services.create_task(
                commitment=commitment, actor=me(), now=utcnow(), **_task_arguments(form)
            )
        if work.ok:
            flash(_("The volunteer task is offered. People can now sign up."))
            return redirect(url_for("volunteering.detail", task_id=task.id))
    return render_template("volunteering/form.html", form=form, commitment=commitment,
                           task=None, confirmed=0)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit(task_id: int):
    task = queries.get_task(task_id)
    if task is None:
        abort(404)
    require(can_organise_tasks(current_user, task.commitment))
    form = TaskForm(obj=task) if request.method == "GET" else TaskForm()
    if request.method == "GET":
        form.starts_at.data = to_site_time(task.starts_at)
        form.ends_at.data = to_site_time(task.ends_at)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.edit_task(task=task, actor=me(), now=utcnow(), **_task_arguments(form))
        if work.ok:
            flash(_("The volunteer task is saved."))
            return redirect(url_for("volunteering.detail", task_id=task_id))
        task = queries.get_task(task_id)
    return render_template("volunteering/form.html", form=form, commitment=task.commitment,
                           task=task, confirmed=queries.summary(task).confirmed)


@bp.post("/tasks/<int:task_id>/signup")
@login_required
@take_part_required
def sign_up(task_id: int):
    task = db.get_or_404(VolunteerTask, task_id)
    with unit_of_work() as work:
        outcome = services.sign_up(task=task, user=me(), now=utcnow())
    if work.ok:
        if not outcome.changed:
            flash(_("You are already on the list for this task. Nothing has changed."))
        elif outcome.signup.status == SignupStatus.CONFIRMED:
            flash(_("You are signed up. Thank you for volunteering!"))
        else:
            flash(_("All places are taken, so you are on the waiting list. You will move up "
                    "automatically when a place becomes free."))
    return redirect(url_for("volunteering.detail", task_id=task_id))


@bp.post("/tasks/<int:task_id>/withdraw")
@login_required
def withdraw(task_id: int):
    task = db.get_or_404(VolunteerTask, task_id)
    with unit_of_work() as work:
        services.withdraw(task=task, user=me(), now=utcnow())
    if work.ok:
        flash(_("You have withdrawn from this task. You can sign up again while it has not "
                "started."))
    return redirect(url_for("volunteering.detail", task_id=task_id))
