"""Volunteer tasks through the services: offering and editing with their rules and log
entries, signing up, the waiting list, withdrawing and signing up again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from participation.volunteering import services
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from tests.rows import count_rows
from tests.volunteering.scene import (
    Scene,
    confirmed_ids,
    entries,
    in_days,
    sign_up,
    statuses,
    waiting_order,
)

SOON = in_days(2)


@pytest.fixture
def scene(make, db):
    made = Scene(make)
    db.session.commit()
    return made


def edit(scene, task, **overrides):
    values = {
        "task": task, "actor": scene.secretary, "title": task.title,
        "description": task.description, "place": task.place, "starts_at": task.starts_at,
        "ends_at": task.ends_at, "capacity": task.capacity, "now": utcnow(),
    }
    values.update(overrides)
    return services.edit_task(**values)


# Offering a task


def test_the_secretary_offers_a_task_and_the_log_holds_counts_and_times_only(scene):
    task = scene.task(capacity=12)
    assert task.commitment_id == scene.commitment.id
    assert task.created_by_id == scene.secretary.id
    assert (task.title, task.place, task.capacity) == ("Fire-watch shift",
                                                       "Ban Sop Pat, Mae Moh", 12)
    [entry] = entries("task.created")
    assert (entry.subject_type, entry.subject_id) == ("commitment", scene.commitment.id)
    assert entry.actor_id == scene.secretary.id
    assert entry.data == {"task_id": task.id, "capacity": 12,
                          "starts_at": task.starts_at.isoformat()}


@pytest.mark.parametrize("who", ["chair", "contact"])
def test_the_chair_and_the_lead_agency_contact_offer_tasks_too(scene, who):
    task = scene.task(actor=getattr(scene, who))
    assert task.created_by_id == getattr(scene, who).id


@pytest.mark.parametrize("who", ["member", "other_contact"])
def test_others_may_not_offer_a_task(scene, who):
    with pytest.raises(NotAllowed):
        scene.task(actor=getattr(scene, who))
    assert count_rows(VolunteerTask) == 0
    assert entries("task.created") == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"place": ""}, "place"),
        ({"place": "x" * 301}, "place"),
        ({"description": "x" * 50_001}, "description"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10_001}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"starts_at": in_days(-1)}, "starts_at"),
        ({"starts_at": SOON, "ends_at": SOON}, "ends_at"),
        ({"starts_at": SOON, "ends_at": SOON - timedelta(hours=1)}, "ends_at"),
        ({"starts_at": "tomorrow", "ends_at": SOON}, "starts_at"),
        ({"ends_at": SOON.replace(tzinfo=None)}, "ends_at"),
    ],
)
def test_a_task_breaking_a_rule_is_refused_beside_its_field(scene, overrides, field):
    with pytest.raises(DomainError) as refused:
        scene.task(**overrides)
    assert refused.value.field == field
    assert refused.value.message
    assert count_rows(VolunteerTask) == 0


def test_capacity_may_be_one_to_ten_thousand(scene):
    assert scene.task(capacity=1).capacity == 1
    assert scene.task(capacity=10_000).capacity == 10_000


# Signing up and the waiting list


def test_people_are_confirmed_while_places_remain_then_wait_in_order(scene):
    task = scene.task(capacity=2)
    first, second, third, fourth = scene.people(4)
    outcomes = [services.sign_up(task=task, user=user, now=utcnow())
                for user in (first, second, third, fourth)]
    assert [o.signup.status for o in outcomes] == [
        SignupStatus.CONFIRMED, SignupStatus.CONFIRMED, SignupStatus.WAITING,
        SignupStatus.WAITING,
    ]
    assert all(o.changed for o in outcomes)
    assert waiting_order(task) == [third.id, fourth.id]


def test_signing_up_twice_changes_nothing(scene):
    task = scene.task(capacity=1)
    first, second = scene.people(2)
    sign_up(task, first, second)
    queued = {s.user_id: s.queued_at for s in db.session.scalars(
        db.select(Signup).where(Signup.task_id == task.id))}
    again = services.sign_up(task=task, user=second, now=utcnow() + timedelta(minutes=5))
    assert again.changed is False
    assert again.signup.status == SignupStatus.WAITING
    assert again.signup.queued_at == queued[second.id]
    assert count_rows(Signup, Signup.task_id == task.id) == 2


def test_withdrawing_frees_the_place_for_the_first_person_waiting(scene):
    task = scene.task(capacity=2)
    first, second, third, fourth = scene.people(4)
    sign_up(task, first, second, third, fourth)
    moved = services.withdraw(task=task, user=first, now=utcnow())
    assert [s.user_id for s in moved] == [third.id]
    assert statuses(task) == {
        first.id: SignupStatus.WITHDRAWN, second.id: SignupStatus.CONFIRMED,
        third.id: SignupStatus.CONFIRMED, fourth.id: SignupStatus.WAITING,
    }


def test_leaving_the_waiting_list_moves_nobody_into_a_place(scene):
    task = scene.task(capacity=1)
    first, second, third = scene.people(3)
    sign_up(task, first, second, third)
    assert services.withdraw(task=task, user=second, now=utcnow()) == []
    assert confirmed_ids(task) == {first.id}
    assert waiting_order(task) == [third.id]


def test_a_withdrawn_person_signs_up_again_on_the_same_row_at_the_back(scene):
    task = scene.task(capacity=1)
    first, second, third = scene.people(3)
    sign_up(task, first, second, third)
    row_id = db.session.scalar(
        db.select(Signup.id).where(Signup.task_id == task.id, Signup.user_id == first.id)
    )
    services.withdraw(task=task, user=first, now=utcnow())
    later = utcnow() + timedelta(minutes=1)
    again = services.sign_up(task=task, user=first, now=later)
    assert again.changed and again.signup.id == row_id
    assert again.signup.status == SignupStatus.WAITING
    assert again.signup.queued_at == later
    assert confirmed_ids(task) == {second.id}
    assert waiting_order(task) == [third.id, first.id]


def test_withdrawing_without_being_signed_up_is_refused(scene):
    task = scene.task()
    [person] = scene.people(1)
    with pytest.raises(services.NotSignedUp):
        services.withdraw(task=task, user=person, now=utcnow())
    sign_up(task, person)
    services.withdraw(task=task, user=person, now=utcnow())
    with pytest.raises(services.NotSignedUp):
        services.withdraw(task=task, user=person, now=utcnow())


def test_signing_up_and_withdrawing_close_when_the_task_starts(scene):
    task = scene.task(starts_at=in_days(1))
    first, second = scene.people(2)
    sign_up(task, first)
    started = task.starts_at + timedelta(seconds=1)
    with pytest.raises(services.TaskStarted):
        services.sign_up(task=task, user=second, now=started)
    with pytest.raises(services.TaskStarted):
        services.withdraw(task=task, user=first, now=task.starts_at)
    assert statuses(task) == {first.id: SignupStatus.CONFIRMED}


def test_signing_up_writes_nothing_to_the_public_log(scene):
    task = scene.task(capacity=1)
    first, second = scene.people(2)
    logged = len(entries("task.created"))
    sign_up(task, first, second)
    services.withdraw(task=task, user=first, now=utcnow())
    assert len(entries("task.created")) == logged
    assert entries("task.edited") == []


# Editing a task


def test_editing_changes_the_task_and_logs_it(scene):
    task = scene.task(capacity=2)
    starts = in_days(10)
    edit(scene, task, actor=scene.contact, title="Fuel clearing day", capacity=5,
         starts_at=starts, ends_at=starts + timedelta(hours=6))
    assert (task.title, task.capacity, task.starts_at) == ("Fuel clearing day", 5, starts)
    [entry] = entries("task.edited")
    assert entry.actor_id == scene.contact.id
    assert entry.subject_id == scene.commitment.id
    assert entry.data == {"task_id": task.id, "capacity": 5, "starts_at": starts.isoformat()}


def test_saving_a_task_unchanged_logs_nothing(scene):
    task = scene.task()
    edit(scene, task)
    assert entries("task.edited") == []


def test_more_places_move_people_up_from_the_waiting_list_in_order(scene):
    task = scene.task(capacity=1)
    people = scene.people(5)
    sign_up(task, *people)
    edit(scene, task, capacity=3)
    assert confirmed_ids(task) == {people[0].id, people[1].id, people[2].id}
    assert waiting_order(task) == [people[3].id, people[4].id]


def test_fewer_places_than_people_signed_up_is_refused_with_the_number(scene):
    task = scene.task(capacity=3)
    people = scene.people(3)
    sign_up(task, *people)
    db.session.commit()
    with pytest.raises(services.InvalidTask) as refused:
        edit(scene, task, capacity=2)
    assert refused.value.field == "capacity"
    assert "3 people are already signed up" in refused.value.message
    db.session.rollback()
    assert db.session.get(VolunteerTask, task.id).capacity == 3
    edit(scene, db.session.get(VolunteerTask, task.id), capacity=3, title="Same places")
    assert entries("task.edited")[-1].data["capacity"] == 3


def test_fewer_places_down_to_those_signed_up_is_allowed(scene):
    task = scene.task(capacity=5)
    people = scene.people(2)
    sign_up(task, *people)
    edit(scene, task, capacity=2)
    assert task.capacity == 2
    assert confirmed_ids(task) == {p.id for p in people}


def test_moving_the_start_into_the_past_is_refused_but_a_past_start_may_stay(scene):
    task = scene.task(starts_at=in_days(1))
    db.session.commit()
    with pytest.raises(services.InvalidTask) as refused:
        edit(scene, task, starts_at=in_days(-1))
    assert refused.value.field == "starts_at"
    db.session.rollback()
    task = db.session.get(VolunteerTask, task.id)
    # After the task started, the organisers may still correct its description.
    services.edit_task(
        task=task, actor=scene.secretary, title=task.title, description="Went well.",
        place=task.place, starts_at=task.starts_at, ends_at=task.ends_at,
        capacity=task.capacity, now=task.starts_at + timedelta(hours=1),
    )
    assert task.description == "Went well."


def test_the_places_of_a_task_that_has_started_no_longer_change(scene):
    task = scene.task(capacity=1, starts_at=in_days(1))
    people = scene.people(2)
    sign_up(task, *people)
    db.session.commit()
    with pytest.raises(services.InvalidTask) as refused:
        edit(scene, task, capacity=2, now=task.starts_at + timedelta(hours=1))
    assert refused.value.field == "capacity"
    db.session.rollback()
    task = db.session.get(VolunteerTask, task.id)
    assert task.capacity == 1
    assert waiting_order(task) == [people[1].id]


def test_only_organisers_edit_a_task(scene):
    task = scene.task()
    with pytest.raises(NotAllowed):
        edit(scene, task, actor=scene.member, title="Taken over")
    with pytest.raises(NotAllowed):
        edit(scene, task, actor=scene.other_contact, title="Taken over")
