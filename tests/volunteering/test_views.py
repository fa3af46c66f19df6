"""The volunteering pages through the client: a task's page for the public, volunteers and
organisers; signing up and withdrawing; offering and editing a task; the upcoming list; the
section on the commitment page; and their query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.commitments.models import Commitment
from participation.extensions import db
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from tests.querycount import page_queries
from tests.rows import count_rows
from tests.volunteering.scene import Scene, confirmed_ids, in_days, sign_up, waiting_order


@pytest.fixture
def scene(make, db):
    made = Scene(make)
    db.session.commit()
    return made


def task_form(**overrides):
    data = {
        "title": "Fuel clearing day", "description": "Clear **dry leaves** along the firebreak.",
        "place": "Ban Tha Si, Mae Moh", "starts_at": "2030-01-05T09:00",
        "ends_at": "2030-01-05T12:00", "capacity": "20",
    }
    data.update(overrides)
    return data


def flashes_after(response, client) -> str:
    """The page a POST redirected to, with its flashed message."""
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).text


# The task page


def test_the_public_sees_details_and_counts_but_no_names(client, scene):
    task = scene.task(capacity=2)
    sign_up(task, *scene.people(3))
    db.session.commit()
    text = client.get(f"/tasks/{task.id}?lang=en").text
    assert "Fire-watch shift" in text and "Ban Sop Pat, Mae Moh" in text
    assert "<strong>water</strong>" in text
    assert "0 of 2 places left" in text
    assert "1 person waiting" in text
    assert "Volunteer 1" not in text and "Volunteer 3" not in text
    assert "Log in to sign up" in text
    assert f'href="/commitments/{scene.commitment.id}#volunteer-tasks"' in text


def test_a_volunteer_sees_their_place_and_no_one_elses_name(client, scene, login):
    task = scene.task(capacity=1)
    first, second, third = scene.people(3)
    sign_up(task, first, second, third)
    db.session.commit()
    login(third)
    text = client.get(f"/tasks/{task.id}?lang=en").text
    assert "You are on the waiting list, position 2." in text
    assert "Leave the waiting list" in text
    assert 'novalidate' in text and f'action="/tasks/{task.id}/withdraw"' in text
    assert "Volunteer 1" not in text
    login(first)
    text = client.get(f"/tasks/{task.id}?lang=en").text
    assert "You are signed up." in text and ">Withdraw<" in text


def test_organisers_see_the_names_signed_up_and_the_waiting_list_in_order(
    client, scene, login
):
    task = scene.task(capacity=2)
    people = scene.people(4)
    sign_up(task, people[2], people[0], people[3], people[1])
    db.session.commit()
    login(scene.contact)
    text = client.get(f"/tasks/{task.id}?lang=en").text
    assert "Edit the task" in text
    signed_up = text.split('id="signed-up"')[1].split('id="waiting"')[0]
    waiting = text.split('id="waiting"')[1]
    assert signed_up.index("Volunteer 3") < signed_up.index("Volunteer 1")
    assert waiting.index("Volunteer 4") < waiting.index("Volunteer 2")
    assert "Volunteer 4" not in signed_up


def test_a_started_task_closes_sign_ups_on_its_page(client, scene, login):
    task = scene.task()
    task.starts_at = datetime.now(UTC) - timedelta(hours=1)
    task.ends_at = datetime.now(UTC) + timedelta(hours=1)
    db.session.commit()
    login(scene.people(1)[0])
    text = client.get(f"/tasks/{task.id}?lang=en").text
    assert "sign-ups are closed" in text
    assert f'action="/tasks/{task.id}/signup"' not in text


def test_the_task_page_in_thai_dates_in_the_buddhist_era(client, scene):
    task = scene.task(starts_at=datetime(2030, 1, 5, 2, 0, tzinfo=UTC))
    db.session.commit()
    text = client.get(f"/tasks/{task.id}?lang=th").text
    assert "2573" in text and "09:00" in text


def test_an_unknown_task_is_not_found(client):
    assert client.get("/tasks/999999").status_code == 404
    assert client.get("/tasks/99999999999").status_code == 404


# Signing up and withdrawing


def test_signing_up_confirms_then_queues_and_twice_changes_nothing(client, scene, login):
    task = scene.task(capacity=1)
    first, second = scene.people(2)
    db.session.commit()
    login(first)
    text = flashes_after(client.post(f"/tasks/{task.id}/signup"), client)
    assert "You are signed up." in text
    text = flashes_after(client.post(f"/tasks/{task.id}/signup"), client)
    assert "Nothing has changed." in text
    login(second)
    text = flashes_after(client.post(f"/tasks/{task.id}/signup"), client)
    assert "you are on the waiting list" in text
    assert "position 1" in text
    assert count_rows(Signup, Signup.task_id == task.id) == 2


def test_withdrawing_moves_the_first_person_waiting_up(client, scene, login):
    task = scene.task(capacity=1)
    first, second, third = scene.people(3)
    sign_up(task, first, second, third)
    db.session.commit()
    login(first)
    text = flashes_after(client.post(f"/tasks/{task.id}/withdraw"), client)
    assert "You have withdrawn" in text
    assert "1 person waiting" in text
    assert confirmed_ids(task) == {second.id}
    login(second)
    assert "You are signed up." in client.get(f"/tasks/{task.id}?lang=en").text


def test_withdrawing_without_a_place_says_so_and_changes_nothing(client, scene, login):
    task = scene.task()
    [person] = scene.people(1)
    db.session.commit()
    login(person)
    response = client.post(f"/tasks/{task.id}/withdraw")
    assert "You are not signed up for this task." in flashes_after(response, client)
    assert count_rows(Signup) == 0


def test_signing_up_after_the_start_is_refused_with_a_message(client, scene, login):
    task = scene.task()
    task.starts_at = datetime.now(UTC) - timedelta(minutes=5)
    db.session.commit()
    login(scene.people(1)[0])
    response = client.post(f"/tasks/{task.id}/signup")
    assert "sign-ups are closed" in flashes_after(response, client)
    assert count_rows(Signup) == 0


def test_a_visitor_is_sent_to_log_in_before_signing_up(client, scene):
    task = scene.task()
    db.session.commit()
    response = client.post(f"/tasks/{task.id}/signup")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count_rows(Signup) == 0


# Offering and editing a task


def test_the_lead_agency_contact_offers_a_task_in_site_time(client, scene, login):
    login(scene.contact)
    page = client.get(f"/commitments/{scene.commitment.id}/tasks/new?lang=en")
    assert page.status_code == 200 and "Offer a volunteer task" in page.text
    assert 'type="datetime-local"' in page.text and "novalidate" in page.text
    response = client.post(f"/commitments/{scene.commitment.id}/tasks/new", data=task_form())
    text = flashes_after(response, client)
    assert "The volunteer task is offered." in text
    task = db.session.scalar(sa.select(VolunteerTask))
    # 09:00 in Bangkok is 02:00 UTC.
    assert task.starts_at == datetime(2030, 1, 5, 2, 0, tzinfo=UTC)
    assert task.ends_at == datetime(2030, 1, 5, 5, 0, tzinfo=UTC)
    assert (task.capacity, task.created_by_id) == (20, scene.contact.id)
    assert "20 of 20 places left" in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2030-01-05T08:00"}, "The task must end after it starts."),
        ({"starts_at": "2001-01-05T09:00", "ends_at": "2001-01-05T10:00"},
         "The start must be in the future."),
        ({"capacity": "0"}, "The number of places must be between 1 and 10000."),
        ({"capacity": "10001"}, "The number of places must be between 1 and 10000."),
        ({"capacity": ""}, "Enter the number of places."),
        ({"title": " "}, "Give the task a title."),
        ({"place": ""}, "Say where the task takes place."),
        ({"starts_at": "tomorrow morning"}, "Enter the date and time the task starts."),
    ],
)
def test_a_wrong_task_form_shows_the_error_and_creates_nothing(
    client, scene, login, overrides, message
):
    login(scene.secretary)
    response = client.post(f"/commitments/{scene.commitment.id}/tasks/new?lang=en",
                           data=task_form(**overrides))
    assert response.status_code == 200
    assert message in response.text and 'class="error"' in response.text
    assert count_rows(VolunteerTask) == 0


@pytest.mark.parametrize("who", ["member", "other_contact"])
def test_others_may_not_open_the_task_form(client, scene, login, who):
    login(getattr(scene, who))
    assert client.get(f"/commitments/{scene.commitment.id}/tasks/new").status_code == 403
    response = client.post(f"/commitments/{scene.commitment.id}/tasks/new", data=task_form())
    assert response.status_code == 403
    assert count_rows(VolunteerTask) == 0


def test_the_edit_form_shows_the_times_in_site_time(client, scene, login):
    task = scene.task(starts_at=datetime(2030, 1, 5, 2, 0, tzinfo=UTC))
    db.session.commit()
    login(scene.chair)
    text = client.get(f"/tasks/{task.id}/edit?lang=en").text
    assert 'value="2030-01-05T09:00"' in text and 'value="2030-01-05T12:00"' in text
    assert "Edit the volunteer task" in text


def test_raising_the_capacity_moves_the_waiting_list_up(client, scene, login):
    task = scene.task(capacity=1, starts_at=datetime(2030, 1, 5, 2, 0, tzinfo=UTC))
    people = scene.people(3)
    sign_up(task, *people)
    db.session.commit()
    login(scene.secretary)
    response = client.post(f"/tasks/{task.id}/edit",
                           data=task_form(title="Fire-watch shift", capacity="2"))
    assert "The volunteer task is saved." in flashes_after(response, client)
    assert confirmed_ids(task) == {people[0].id, people[1].id}
    assert waiting_order(task) == [people[2].id]


def test_lowering_the_capacity_below_those_signed_up_is_refused_clearly(client, scene, login):
    task = scene.task(capacity=3)
    sign_up(task, *scene.people(3))
    db.session.commit()
    login(scene.secretary)
    response = client.post(f"/tasks/{task.id}/edit?lang=en", data=task_form(capacity="2"))
    assert response.status_code == 200
    assert "3 people are already signed up, so the task needs at least 3 places." in (
        response.text
    )
    db.session.expire_all()
    task = db.session.get(VolunteerTask, task.id)
    assert (task.capacity, task.title) == (3, "Fire-watch shift")
    assert count_rows(Signup, Signup.status == SignupStatus.CONFIRMED) == 3


# The list of upcoming tasks and the commitment page


def test_the_upcoming_list_shows_tasks_not_yet_started_with_places_left(client, scene):
    soon = scene.task(title="Village awareness session", capacity=3)
    scene.task(title="Later fuel clearing", starts_at=in_days(30))
    gone = scene.task(title="Old shift")
    gone.starts_at, gone.ends_at = in_days(-2), in_days(-1)
    sign_up(soon, *scene.people(1))
    db.session.commit()
    text = client.get("/volunteer?lang=en").text
    assert "Village awareness session" in text and "Later fuel clearing" in text
    assert "Old shift" not in text
    assert text.index("Village awareness session") < text.index("Later fuel clearing")
    assert "2 of 3 places left" in text
    assert "Fire-watch network in Mae Moh" in text
    assert 'role="table"' in text and 'data-label="Places left"' in text


def test_the_upcoming_list_is_paginated(client, scene, app):
    per_page = app.config["PER_PAGE"]
    for n in range(per_page + 1):
        scene.task(title=f"Shift number {n:02d}", starts_at=in_days(1 + n))
    db.session.commit()
    first = client.get("/volunteer?lang=en").text
    second = client.get("/volunteer?page=2&lang=en").text
    assert "Shift number 00" in first and f"Shift number {per_page:02d}" not in first
    assert f"Shift number {per_page:02d}" in second and "Shift number 00" not in second
    for junk in ("abc", "-1", "9" * 400):
        assert client.get(f"/volunteer?page={junk}").status_code == 200


def test_the_commitment_page_lists_its_tasks_and_offers_a_link_to_organisers(
    client, scene, login
):
    task = scene.task(capacity=4)
    sign_up(task, *scene.people(1))
    db.session.commit()
    url = f"/commitments/{scene.commitment.id}?lang=en"
    text = client.get(url).text
    assert 'id="volunteer-tasks"' in text and "Volunteer tasks" in text
    assert f'href="/tasks/{task.id}"' in text
    assert "Ban Sop Pat, Mae Moh" in text and "3 of 4 places left" in text
    assert "Offer a volunteer task" not in text
    login(scene.contact)
    assert "Offer a volunteer task" in client.get(url).text


def test_a_commitment_without_tasks_says_so(client, scene):
    text = client.get(f"/commitments/{scene.commitment.id}?lang=en").text
    assert "No volunteer tasks are offered yet." in text


# Query counts


@pytest.mark.parametrize("viewer", ["visitor", "volunteer", "organiser"])
def test_the_task_page_runs_the_same_queries_for_few_and_many_volunteers(
    client, scene, login, viewer
):
    task = scene.task(capacity=3)
    people = scene.people(30)
    sign_up(task, *people[:5])
    db.session.commit()
    task_id, people_ids = task.id, [person.id for person in people]
    if viewer == "volunteer":
        login(people[4])
    elif viewer == "organiser":
        login(scene.secretary)
    few, text = page_queries(client, f"/tasks/{task_id}")
    assert ("Volunteer 2" in text) == (viewer == "organiser")
    sign_up(db.session.get(VolunteerTask, task_id),
            *(db.session.get(User, person_id) for person_id in people_ids[5:]))
    db.session.commit()
    many, _text = page_queries(client, f"/tasks/{task_id}")
    assert few == many <= 8


def test_the_upcoming_list_runs_the_same_queries_for_few_and_many_tasks(client, make):
    scene = Scene(make)
    scene.task()
    db.session.commit()
    few, _text = page_queries(client, "/volunteer")
    scene = Scene(make)
    for n in range(15):
        task = scene.task(title=f"Shift {n}", capacity=2)
        sign_up(task, *scene.people(3))
    db.session.commit()
    many, text = page_queries(client, "/volunteer")
    assert "Shift 14" in text
    assert few == many <= 5


def test_the_commitment_page_runs_the_same_queries_for_one_and_many_tasks(
    client, scene, login
):
    login(scene.secretary)
    commitment_id, secretary_id = scene.commitment.id, scene.secretary.id
    url = f"/commitments/{commitment_id}"
    scene.task()
    db.session.commit()
    one, _text = page_queries(client, url)
    scene.commitment = db.session.get(Commitment, commitment_id)
    scene.secretary = db.session.get(User, secretary_id)
    for n in range(8):
        sign_up(scene.task(title=f"Shift {n}"), *scene.people(2))
    db.session.commit()
    many, text = page_queries(client, url)
    assert "Shift 7" in text
    assert one == many
