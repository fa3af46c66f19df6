"""Seat deputies (ผู้แทน) and the group's answer, dispute and reminder times: the services,
the administration pages and the log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import DomainError
from participation.core.models import utcnow
from participation.groups import services
from participation.groups.models import SeatRole, WorkingGroup
from participation.groups.permissions import votes_in_group
from tests.rows import count_rows


def entries(db, verb) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == verb).order_by(LogEntry.id)
    ))


def test_naming_and_removing_a_deputy_is_logged(make, db):
    group = make.group()
    make.member(group)
    seat = group.seats[0]
    deputy = make.user()
    admin = make.user(is_admin=True)
    services.name_deputy(seat=seat, deputy=deputy, actor=admin, now=utcnow())
    assert seat.deputy_id == deputy.id
    services.name_deputy(seat=seat, deputy=deputy, actor=admin, now=utcnow())  # no change
    services.name_deputy(seat=seat, deputy=None, actor=admin, now=utcnow())
    assert seat.deputy_id is None
    [named] = entries(db, "seat.deputy_named")
    [removed] = entries(db, "seat.deputy_removed")
    for entry in (named, removed):
        assert (entry.subject_type, entry.subject_id, entry.actor_id) == ("seat", seat.id,
                                                                          admin.id)
        assert entry.data == {"group_id": group.id, "deputy_id": deputy.id}


def test_a_deputy_may_deputise_seats_in_two_groups(make, db):
    person = make.user()
    for _ in range(2):
        group = make.group(voting_members=1)
        services.name_deputy(seat=group.seats[0], deputy=person, actor=None, now=utcnow())
        assert group.seats[0].deputy_id == person.id


@pytest.mark.parametrize("who", ["holder", "holder of another seat", "deputy of another seat"])
def test_a_deputy_who_holds_or_deputises_a_seat_of_the_group_is_refused(make, db, who):
    group = make.group(voting_members=2)
    seat, other = group.seats
    if who == "holder":
        person = seat.holder
    elif who == "holder of another seat":
        person = other.holder
    else:
        person = make.user(display_name="Somchai")
        services.name_deputy(seat=other, deputy=person, actor=None, now=utcnow())
    with pytest.raises(services.InvalidDeputy) as caught:
        services.name_deputy(seat=seat, deputy=person, actor=None, now=utcnow())
    assert caught.value.field == "email"
    assert seat.deputy_id is None
    assert {"holder": "cannot also be its deputy", "holder of another seat": "holds a seat",
            "deputy of another seat": "already the deputy of another seat"}[who] in (
        caught.value.message)


def test_the_deputy_of_a_seat_cannot_be_made_a_holder_in_the_group(make, db):
    group = make.group(voting_members=1)
    vacant = make.seat(group)
    person = make.user(display_name="Malee")
    services.name_deputy(seat=group.seats[0], deputy=person, actor=None, now=utcnow())
    for seat in (vacant, group.seats[0]):
        with pytest.raises(services.HolderHasSeat, match="Malee is the deputy of a seat"):
            services.assign_holder(seat=seat, holder=person, actor=None, now=utcnow())
    assert vacant.holder_id is None


def test_votes_in_group_holds_for_the_holder_and_deputy_of_a_voting_seat(make, db):
    group = make.group()
    member = make.member(group)
    secretary = make.member(group, role=SeatRole.SECRETARY)
    deputy, secretary_deputy, outsider = make.user(), make.user(), make.user()
    services.name_deputy(seat=group.seats[0], deputy=deputy, actor=None, now=utcnow())
    services.name_deputy(seat=group.seats[1], deputy=secretary_deputy, actor=None, now=utcnow())
    assert votes_in_group(member, group.id) is True
    assert votes_in_group(deputy, group.id) is True
    assert votes_in_group(secretary, group.id) is False
    assert votes_in_group(secretary_deputy, group.id) is False
    assert votes_in_group(outsider, group.id) is False
    assert votes_in_group(None, group.id) is False


def test_an_administrator_names_and_removes_a_deputy_on_the_seat_page(client, make, admin,
                                                                      db):
    group = make.group(voting_members=1)
    seat = group.seats[0]
    make.user(email="deputy@example.org", display_name="Deputy Person")
    db.session.commit()
    page = client.get(f"/admin/seats/{seat.id}").text
    assert "This seat has no deputy." in page and 'name="deputy-email"' in page

    response = client.post(f"/admin/seats/{seat.id}/deputy",
                           data={"deputy-email": " Deputy@Example.org "})
    assert response.status_code == 302
    assert seat.deputy.display_name == "Deputy Person"
    assert "Deputy Person is now the deputy of the seat." in client.get("/").text
    assert "Deputy: Deputy Person" in client.get(f"/groups/{group.id}").text
    assert "Deputy Person is the deputy of this seat." in client.get(
        f"/admin/seats/{seat.id}").text

    client.post(f"/admin/seats/{seat.id}/deputy", data={"deputy-email": ""})
    assert seat.deputy_id is None
    assert [e.verb for e in entries(db, "seat.deputy_named") + entries(db, "seat.deputy_removed")
            ] == ["seat.deputy_named", "seat.deputy_removed"]


@pytest.mark.parametrize(("email", "message"), [
    ("nobody@example.org", "No account uses this e-mail address."),
    ("not-an-email", "Enter a valid e-mail address."),
    ("@holder", "cannot also be its deputy"),
])
def test_a_bad_deputy_is_a_form_error_and_nothing_changes(client, make, admin, db, email,
                                                          message):
    group = make.group(voting_members=1)
    seat = group.seats[0]
    db.session.commit()
    if email == "@holder":
        email = seat.holder.email
    response = client.post(f"/admin/seats/{seat.id}/deputy", data={"deputy-email": email})
    assert response.status_code == 200
    assert message in response.text and 'class="error"' in response.text
    assert seat.deputy_id is None
    assert count_rows(LogEntry, LogEntry.verb == "seat.deputy_named") == 0


def test_the_deputy_form_is_for_administrators_only(client, make, login, db):
    group = make.group(voting_members=1)
    seat = group.seats[0]
    person = make.user()
    db.session.commit()
    login(make.member(group, role=SeatRole.SECRETARY))
    response = client.post(f"/admin/seats/{seat.id}/deputy", data={"deputy-email": person.email})
    assert response.status_code == 403
    assert seat.deputy_id is None


def test_a_new_group_has_the_default_times(make, db):
    group = services.create_group(name_th="คณะทำงานใหม่", name_en="", description="",
                                  actor=None, now=utcnow())
    assert (group.answer_days, group.dispute_days, group.reminder_hours) == (30, 14, 24)


@pytest.mark.parametrize(("field", "value"), [
    ("answer_days", 0), ("answer_days", 366), ("dispute_days", 0), ("dispute_days", 366),
    ("reminder_hours", 0), ("reminder_hours", 721),
])
def test_times_outside_their_range_are_refused(make, db, field, value):
    group = make.group()
    with pytest.raises(DomainError) as caught:
        services.update_group(group=group, name_th=group.name_th, name_en=group.name_en,
                              description="", actor=None, now=utcnow(), **{field: value})
    assert caught.value.field == field and "Enter a number between" in caught.value.message
    with pytest.raises(DomainError):
        services.create_group(name_th="อีกคณะ", name_en="", description="", actor=None,
                              now=utcnow(), **{field: value})


def test_changing_the_times_is_logged_as_a_group_edit(make, db):
    group = make.group()
    services.update_group(group=group, name_th=group.name_th, name_en=group.name_en,
                          description="", answer_days=45, dispute_days=7, reminder_hours=720,
                          actor=None, now=utcnow())
    assert (group.answer_days, group.dispute_days, group.reminder_hours) == (45, 7, 720)
    [entry] = entries(db, "group.edited")
    assert entry.data == {"changed": ["answer_days", "dispute_days", "reminder_hours"]}


def test_the_group_form_shows_explains_and_saves_the_times(client, make, admin, db):
    group = make.group()
    db.session.commit()
    page = client.get(f"/admin/groups/{group.id}/edit").text
    assert 'name="answer_days"' in page and 'value="30"' in page
    assert 'value="14"' in page and 'value="24"' in page
    assert "Hours before a ballot closes to remind members who have not voted" in page
    assert "must answer it within this many days (1 to 365)" in page
    response = client.post(f"/admin/groups/{group.id}/edit", data={
        "name_th": group.name_th, "name_en": group.name_en, "answer_days": "60",
        "dispute_days": "21", "reminder_hours": "48",
    })
    assert response.status_code == 302
    assert (group.answer_days, group.dispute_days, group.reminder_hours) == (60, 21, 48)
    public = client.get(f"/groups/{group.id}").text
    assert "answered within 60 days" in public and "reminded 48 hours before" in public


@pytest.mark.parametrize(("data", "message"), [
    ({"answer_days": "0"}, "Number must be between 1 and 365."),
    ({"dispute_days": "400"}, "Number must be between 1 and 365."),
    ({"reminder_hours": "721"}, "Number must be between 1 and 720."),
    ({"reminder_hours": ""}, "Enter a number of hours."),
    ({"answer_days": "a month"}, "Not a valid integer value."),
])
def test_bad_times_are_refused_beside_the_field(client, make, admin, db, data, message):
    before = count_rows(WorkingGroup)
    response = client.post("/admin/groups/new", data={
        "name_th": "คณะทำงานเวลา", "answer_days": "30", "dispute_days": "14",
        "reminder_hours": "24", **data,
    })
    assert response.status_code == 200
    assert message in response.text
    assert count_rows(WorkingGroup) == before
