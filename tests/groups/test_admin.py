"""Administration of working groups and seats, through the pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import Sector
from participation.groups.models import Seat, SeatRole, WorkingGroup
from tests.rows import count_rows

# The deadlines every group form sends (the form shows the defaults).
SETTINGS = {"answer_days": "30", "dispute_days": "14", "reminder_hours": "24"}


def admin_urls(group, seat):
    return [
        ("get", "/admin"),
        ("get", "/admin/groups"),
        ("get", "/admin/groups/new"),
        ("post", "/admin/groups/new"),
        ("get", f"/admin/groups/{group.id}/edit"),
        ("post", f"/admin/groups/{group.id}/edit"),
        ("get", f"/admin/groups/{group.id}/seats"),
        ("get", f"/admin/groups/{group.id}/seats/new"),
        ("post", f"/admin/groups/{group.id}/seats/new"),
        ("get", f"/admin/seats/{seat.id}"),
        ("post", f"/admin/seats/{seat.id}"),
        ("post", f"/admin/seats/{seat.id}/holder"),
        ("post", f"/admin/seats/{seat.id}/deputy"),
        ("post", f"/admin/seats/{seat.id}/remove"),
    ]


@pytest.mark.parametrize("who", ["anonymous", "participant", "secretary", "chair",
                                 "agency contact"])
def test_administration_is_forbidden_to_everyone_but_administrators(client, make, login, who):
    group = make.group()
    seat = make.seat(group)
    if who == "secretary":
        login(make.member(group, role=SeatRole.SECRETARY))
    elif who == "chair":
        login(make.member(group, role=SeatRole.CHAIR))
    elif who == "participant":
        login(make.user())
    elif who == "agency contact":
        login(make.agency_contact(make.organisation()))

    for method, url in admin_urls(group, seat):
        response = getattr(client, method)(url, data={"name_th": "ใหม่", "role": "member",
                                                      "sector": "citizen", "organisation": "0"})
        assert response.status_code == 403, (method, url)
    assert client.get(f"/groups/{group.id}").status_code == 200
    assert seat in group.seats and seat.holder is None


def test_administrator_sees_every_admin_page(client, make, admin):
    group = make.group(voting_members=2)
    seat = group.seats[0]
    for method, url in admin_urls(group, seat):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_admin_dashboard_counts_and_links(client, make, admin):
    make.group()
    page = client.get("/admin").get_data(as_text=True)
    assert "1 working group" in page
    assert 'href="/admin/groups"' in page
    assert 'href="/admin/users"' in page
    assert 'href="/admin/organisations"' in page


def test_base_layout_links_administrators_to_the_dashboard(client, make, login, admin):
    assert 'href="/admin"' in client.get("/").get_data(as_text=True)


def test_create_then_edit_a_group(client, admin, db):
    response = client.post("/admin/groups/new", data={
        "name_th": "คณะทำงานส่งเสริมการมีส่วนร่วม จังหวัดลำปาง",
        "name_en": "Lampang OGP working group",
        "description": "Promote participation for open government.",
        **SETTINGS,
    })
    group = db.session.scalar(sa.select(WorkingGroup).where(
        WorkingGroup.name_en == "Lampang OGP working group"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/groups/{group.id}/seats"

    page = client.get(f"/admin/groups/{group.id}/edit").get_data(as_text=True)
    assert 'value="Lampang OGP working group"' in page

    response = client.post(f"/admin/groups/{group.id}/edit", data={
        "name_th": group.name_th, "name_en": "Lampang working group",
        "description": "## Duties\n\n1. Set plans",
        **SETTINGS,
    })
    assert response.status_code == 302
    assert group.name_en == "Lampang working group"
    assert "<h2>Duties</h2>" in client.get(f"/groups/{group.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name_th": "", "name_en": "X"}, "This field is required."),
        ({"name_th": "ก" * 301}, "Field cannot be longer than 300"),
        ({"name_th": "taken group"}, "Another working group already has this name."),
        ({"name_th": "ใหม่", "description": "x" * 101}, "Use at most 100 characters."),
    ],
)
def test_bad_group_input_is_refused_beside_the_field(app, client, make, admin, db, data, message):
    taken = make.group()
    taken.name_th = "Taken Group"
    db.session.commit()
    before = count_rows(WorkingGroup)
    app.config["MAX_BODY_LENGTH"] = 100
    try:
        response = client.post("/admin/groups/new", data={**SETTINGS, **data})
    finally:
        app.config["MAX_BODY_LENGTH"] = 50_000

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_rows(WorkingGroup) == before


def test_editing_a_group_to_another_groups_name_is_refused(client, make, admin, db):
    first, second = make.group(), make.group()
    db.session.commit()
    response = client.post(f"/admin/groups/{second.id}/edit",
                           data={"name_th": first.name_th, **SETTINGS})
    assert "Another working group already has this name." in response.get_data(as_text=True)
    assert second.name_th != first.name_th


def test_unknown_group_or_seat_is_404_for_administrators(client, admin):
    assert client.get("/admin/groups/999999/edit").status_code == 404
    assert client.get("/admin/groups/999999/seats").status_code == 404
    assert client.post("/admin/groups/999999/seats/new").status_code == 404
    assert client.get("/admin/seats/999999").status_code == 404
    assert client.post("/admin/seats/999999/holder").status_code == 404
    assert client.post("/admin/seats/999999/deputy").status_code == 404
    assert client.post("/admin/seats/999999/remove").status_code == 404


def test_add_a_seat_and_see_it_listed(client, make, admin, db):
    group = make.group()
    dga = make.organisation(name_en="Digital Government Development Agency")
    db.session.commit()

    page = client.get(f"/admin/groups/{group.id}/seats/new").get_data(as_text=True)
    assert "Digital Government Development Agency" in page
    assert 'checked id="voting"' in page  # a new seat votes unless unticked

    response = client.post(f"/admin/groups/{group.id}/seats/new", data={
        "role": "member", "organisation": str(dga.id), "sector": "government", "voting": "y",
    })
    assert response.status_code == 302
    response = client.post(f"/admin/groups/{group.id}/seats/new", data={
        "role": "assistant_secretary", "organisation": "0", "sector": "government",
    })
    assert response.status_code == 302

    seats = db.session.scalars(
        sa.select(Seat).where(Seat.group_id == group.id).order_by(Seat.position)
    ).all()
    assert [(s.role, s.organisation_id, s.voting, s.position) for s in seats] == [
        (SeatRole.MEMBER, dga.id, True, 0), (SeatRole.ASSISTANT_SECRETARY, None, False, 1),
    ]
    page = client.get(f"/admin/groups/{group.id}/seats").get_data(as_text=True)
    assert "Assistant secretary" in page and "Digital Government Development Agency" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "emperor", "organisation": "0", "sector": "citizen"}, "Not a valid choice"),
        ({"role": "member", "organisation": "999999", "sector": "citizen"}, "Not a valid choice"),
        ({"role": "member", "organisation": "0", "sector": "martian"}, "Not a valid choice"),
        ({"role": "member", "organisation": "0", "sector": "citizen", "position": "first"},
         "Not a valid integer value."),
        ({"role": "member", "organisation": "0", "sector": "citizen", "position": "-3"},
         "Number must be between 0 and 10000."),
    ],
)
def test_bad_seat_input_is_refused(client, make, admin, db, data, message):
    group = make.group()
    db.session.commit()
    response = client.post(f"/admin/groups/{group.id}/seats/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    count = sa.select(sa.func.count(Seat.id)).where(Seat.group_id == group.id)
    assert db.session.scalar(count) == 0


def test_edit_a_seat(client, make, admin, db):
    group = make.group()
    seat = make.seat(group, role=SeatRole.MEMBER, sector=Sector.GOVERNMENT)
    db.session.commit()

    page = client.get(f"/admin/seats/{seat.id}").get_data(as_text=True)
    assert '<option selected value="member">' in page

    response = client.post(f"/admin/seats/{seat.id}", data={
        "role": "vice_chair", "organisation": "0", "sector": "private_sector", "position": "4",
    })

    assert response.status_code == 302
    assert (seat.role, seat.sector, seat.voting, seat.position) == (
        SeatRole.VICE_CHAIR, Sector.PRIVATE, False, 4
    )


def test_assign_a_holder_by_email_then_clear(client, make, admin, db):
    group = make.group()
    seat = make.seat(group, role=SeatRole.CHAIR)
    person = make.user(email="governor@example.org", display_name="Governor")
    db.session.commit()

    response = client.post(f"/admin/seats/{seat.id}/holder",
                           data={"holder-email": " Governor@Example.org "})
    assert response.status_code == 302
    assert seat.holder_id == person.id
    assert "Governor now holds the seat." in client.get("/").get_data(as_text=True)
    assert "Governor" in client.get(f"/groups/{group.id}").get_data(as_text=True)

    client.post(f"/admin/seats/{seat.id}/holder", data={"holder-email": ""})
    assert seat.holder_id is None


def test_assigning_an_unknown_email_is_a_form_error(client, make, admin, db):
    seat = make.seat(make.group())
    db.session.commit()
    response = client.post(f"/admin/seats/{seat.id}/holder",
                           data={"holder-email": "nobody@example.org"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No account uses this e-mail address." in page
    assert 'value="nobody@example.org"' in page
    assert seat.holder_id is None


def test_a_second_seat_in_the_same_group_is_a_friendly_form_error(client, make, admin, db):
    group = make.group()
    person = make.user(email="daeng@example.org", display_name="Daeng")
    make.seat(group, role=SeatRole.MEMBER, holder=person)
    other = make.seat(group, role=SeatRole.SECRETARY)
    db.session.commit()

    response = client.post(f"/admin/seats/{other.id}/holder",
                           data={"holder-email": "daeng@example.org"})

    assert response.status_code == 200
    assert "Daeng already holds a seat in this group (Member)" in response.get_data(as_text=True)
    assert other.holder_id is None


def test_the_same_person_may_hold_seats_in_two_groups(client, make, admin, db):
    person = make.user(email="daeng@example.org")
    make.seat(make.group(), holder=person)
    seat = make.seat(make.group())
    db.session.commit()
    assert client.post(f"/admin/seats/{seat.id}/holder",
                       data={"holder-email": "daeng@example.org"}).status_code == 302
    assert seat.holder_id == person.id


def test_remove_a_seat_without_votes(client, make, admin, db):
    group = make.group()
    seat = make.seat(group)
    seat_id = seat.id
    db.session.commit()

    page = client.get(f"/admin/seats/{seat_id}").get_data(as_text=True)
    assert "Remove this seat" in page
    response = client.post(f"/admin/seats/{seat_id}/remove")

    assert response.status_code == 302
    assert db.session.get(Seat, seat_id) is None


def test_a_seat_with_votes_cannot_be_removed(client, make, admin, db):
    group = make.group()
    holder = make.member(group)
    seat = group.seats[0]
    make.vote(seat)
    db.session.commit()

    page = client.get(f"/admin/seats/{seat.id}").get_data(as_text=True)
    assert "Remove this seat" not in page
    response = client.post(f"/admin/seats/{seat.id}/remove", follow_redirects=True)

    assert "Votes were cast from this seat" in response.get_data(as_text=True)
    assert db.session.get(Seat, seat.id) is not None
    assert seat.holder_id == holder.id
    assert "has votes" in client.get(f"/admin/groups/{group.id}/seats").get_data(as_text=True)


def test_admin_forms_refuse_a_post_without_csrf_token(app, client, admin, db):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/admin/groups/new", data={"name_th": "ไม่มีโทเคน"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert count_rows(WorkingGroup, WorkingGroup.name_th == "ไม่มีโทเคน") == 0
