"""Sign-ups at the same moment never take more places than a task has.

These run on an app whose transactions really commit (fresh_app), on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.models import utcnow
from participation.extensions import db
from participation.volunteering import services
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from tests.volunteering.scene import Scene, sign_up
from tests.votes.test_concurrency import load_detached, run_together


def statuses_of(task_id: int) -> list[SignupStatus]:
    return list(db.session.scalars(sa.select(Signup.status).where(Signup.task_id == task_id)))


def sign_up_together(app, task_id: int, user_ids: list[int]):
    def work(barrier, user_id):
        task = load_detached(VolunteerTask, task_id)
        user = load_detached(User, user_id)
        barrier.wait()
        outcome = services.sign_up(task=task, user=user, now=utcnow())
        db.session.commit()
        return outcome.signup.status

    return run_together(app, work, [(user_id,) for user_id in user_ids])


def test_two_people_taking_the_last_place_at_once_leave_exactly_capacity_confirmed(
    fresh_app, make
):
    with fresh_app.app_context():
        scene = Scene(make)
        task = scene.task(capacity=2)
        first, second, third = scene.people(3)
        sign_up(task, first)
        db.session.commit()
        task_id, racers = task.id, [second.id, third.id]

    results, errors = sign_up_together(fresh_app, task_id, racers)
    assert errors == {}, errors
    assert sorted(results.values()) == [SignupStatus.CONFIRMED, SignupStatus.WAITING]

    with fresh_app.app_context():
        statuses = statuses_of(task_id)
        assert statuses.count(SignupStatus.CONFIRMED) == 2
        assert statuses.count(SignupStatus.WAITING) == 1


def test_many_people_at_once_fill_the_places_and_queue_the_rest(fresh_app, make):
    with fresh_app.app_context():
        scene = Scene(make)
        task = scene.task(capacity=3)
        people = scene.people(8)
        db.session.commit()
        task_id, user_ids = task.id, [person.id for person in people]

    _results, errors = sign_up_together(fresh_app, task_id, user_ids)
    assert errors == {}, errors

    with fresh_app.app_context():
        statuses = statuses_of(task_id)
        assert statuses.count(SignupStatus.CONFIRMED) == 3
        assert statuses.count(SignupStatus.WAITING) == 5


def test_a_withdrawal_and_a_sign_up_at_once_never_overfill_the_task(fresh_app, make):
    with fresh_app.app_context():
        scene = Scene(make)
        task = scene.task(capacity=1)
        holder, waiting, newcomer = scene.people(3)
        sign_up(task, holder, waiting)
        db.session.commit()
        task_id, ids = task.id, (holder.id, waiting.id, newcomer.id)

    def work(barrier, user_id, action):
        task = load_detached(VolunteerTask, task_id)
        user = load_detached(User, user_id)
        barrier.wait()
        action(task=task, user=user, now=utcnow())
        db.session.commit()

    _results, errors = run_together(
        fresh_app, work, [(ids[0], services.withdraw), (ids[2], services.sign_up)]
    )
    assert errors == {}, errors

    with fresh_app.app_context():
        confirmed = db.session.scalars(
            sa.select(Signup.user_id).where(
                Signup.task_id == task_id, Signup.status == SignupStatus.CONFIRMED
            )
        ).all()
        # The place freed goes to the person who was waiting, whoever came first.
        assert confirmed == [ids[1]]
