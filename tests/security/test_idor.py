"""Insecure direct object references: a signed-in person cannot act on another person's
content or data by changing an id, in the address or in the form. The role matrix checks who
may use each route; these tests check ownership: the manager of another working group, the
contact of another agency, a participant reaching for someone else's comment, notification or
vote, and extra form fields that name another person, seat, item or role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from participation.accounts import services as accounts
from participation.accounts.models import Organisation, Sector, User
from participation.comments.models import Comment
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups import services as groups
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.meetings.models import AgendaItem, Attendance
from participation.notifications.models import Notification
from participation.proposals.models import Support
from participation.votes.models import Vote
from tests.factories import PASSWORD, Factories
from tests.security.routes import MANAGERS, ROUTES
from tests.security.test_role_matrix import refusal_problem
from tests.security.world import World, browse_as, fingerprint, seat_new_holder, tried


@dataclass
class Outsiders:
    """People with real powers, but elsewhere: the chair and secretary of another working
    group, the contact of another agency, and a seat of that group."""

    chair: int
    secretary: int
    agency_contact: int
    other_group: int
    other_seat: int
    other_item: int


@pytest.fixture(scope="module")
def outsiders(world: World, app, module_connection) -> Outsiders:
    from participation.meetings.models import Meeting
    from tests.security.conftest import session_on

    with app.app_context(), session_on(module_connection):
        now = utcnow()
        admin = db.session.get(User, world.users["admin"])
        make = Factories()
        group = groups.create_group(name_th="คณะทำงานสิงห์บุรีทดสอบ IDOR",
                                    name_en="Test Sing Buri group", description="",
                                    actor=admin, now=now)
        chair, _ = seat_new_holder(make, group=group, role=SeatRole.CHAIR, actor=admin, now=now,
                                   display_name="Sing Buri Governor")
        secretary, seat = seat_new_holder(make, group=group, role=SeatRole.SECRETARY,
                                          actor=admin, now=now, display_name="Sing Buri OPDC")
        contact = make.user(display_name="Civil Society Network Contact",
                            sector=Sector.CIVIL_SOCIETY)
        accounts.set_agency_contact(user=contact,
                                    organisation=db.session.get(Organisation,
                                                                world.other_organisation),
                                    actor=admin, now=now)
        meeting = Meeting(group_id=group.id, created_by_id=secretary.id,
                          title="Sing Buri meeting", starts_at=now)
        db.session.add(meeting)
        db.session.flush()
        item = AgendaItem(meeting_id=meeting.id, section=1, position=1, title="Opening",
                          minutes="Opened at 10.00.")
        db.session.add(item)
        db.session.commit()
        return Outsiders(chair=chair.id, secretary=secretary.id, agency_contact=contact.id,
                         other_group=group.id, other_seat=seat.id, other_item=item.id)


def attempt(client, world: World, user_id: int, url: str, data: dict) -> tuple[object, list]:
    """Post as the person; return the response and the tables it changed (then undone)."""
    with tried(fingerprint()) as effect:
        browse_as(client, user_id)
        response = client.post(url, data=data)
    return response, effect.changed


def refused_problems(client, world: World, user_id: int, endpoints) -> list[str]:
    problems = []
    for endpoint in sorted(endpoints):
        route = ROUTES[endpoint]
        url = route.url(world)
        # The payload of a role the route allows, so only the person differs.
        allowed_role = sorted(route.allowed)[0]
        response, changed = attempt(client, world, user_id, url,
                                    route.payload(world, allowed_role))
        problem = refusal_problem("someone", response) if response.status_code != 404 else None
        if problem or changed:
            problems.append(f"POST {url} ({endpoint}): {problem or 'refused'}; changed {changed}")
    return problems


# The data import is the site's air-quality data, open to any group's secretariat by design.
SITE_WIDE = {"environment.upload"}
GROUP_MANAGED = sorted(endpoint for endpoint, route in ROUTES.items()
                       if route.allowed & MANAGERS and "participant" not in route.allowed
                       and endpoint not in SITE_WIDE)


def test_the_manager_of_another_group_cannot_manage_this_group(world, outsiders, client):
    assert len(GROUP_MANAGED) >= 25
    for person in (outsiders.chair, outsiders.secretary):
        problems = refused_problems(client, world, person, GROUP_MANAGED)
        assert not problems, "\n".join(problems)


AGENCY_ROUTES = sorted(endpoint for endpoint, route in ROUTES.items()
                       if "agency_contact" in route.allowed
                       and "participant" not in route.allowed)


def test_the_contact_of_another_agency_cannot_speak_for_the_lead_agency(world, outsiders,
                                                                        client):
    assert {"answers.answer", "commitments.post_progress", "evaluations.answer",
            "evaluations.assess", "kpis.record_measurement"} <= set(AGENCY_ROUTES)
    problems = refused_problems(client, world, outsiders.agency_contact, AGENCY_ROUTES)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_a_commenter_cannot_edit_or_delete_someone_elses_comment(action, world, client):
    """The participant owns one comment in the thread; the member's reply is not theirs."""
    reply = world.comments["reply"]
    response, changed = attempt(client, world, world.users["participant"],
                                f"/comments/{reply}/{action}",
                                {"body": "Words put in the member's mouth.", "stance": "for"})
    assert response.status_code in (403, 404)
    assert changed == []
    assert db.session.get(Comment, reply).body == "Station 38t covers it."


def test_edit_forms_of_someone_elses_content_are_not_shown(world, client):
    pages = {
        f"/comments/{world.comments['reply']}/edit": world.users["participant"],
        f"/proposals/{world.proposals['open']}/edit": world.users["participant"],
        f"/proposals/{world.proposals['draft']}": world.users["participant"],
        f"/proposals/{world.proposals['draft']}/edit": world.users["voting_member"],
    }
    for url, person in pages.items():
        browse_as(client, person)
        assert client.get(url).status_code in (403, 404), url


def test_a_notification_of_someone_else_cannot_be_read_or_seen(world, client):
    mine = world.notification
    response, changed = attempt(client, world, world.users["voting_member"],
                                f"/notifications/{mine}/read", {})
    assert response.status_code in (403, 404)
    assert changed == []
    assert db.session.get(Notification, mine).read_at is None
    browse_as(client, world.users["voting_member"])
    listed = client.get("/notifications").get_data(as_text=True)
    assert f"/notifications/{mine}/read" not in listed


TAMPERED_PERSON = ("user_id", "member_id", "voter_id", "author_id", "seat_id", "seat", "user",
                   "member", "author", "id")


def _tampered(payload: dict, person: int, seat: int | None = None) -> dict:
    fields = dict.fromkeys(TAMPERED_PERSON, str(person))
    if seat is not None:
        fields.update(seat_id=str(seat), seat=str(seat))
    return {**payload, **fields}


def test_a_vote_naming_another_members_seat_is_the_voters_own(world, client):
    """The member posts a vote with every id field a form could carry set to the chair's
    person and seat: the chair's vote is not cast, the member's is."""
    chair, member = world.users["chair"], world.users["voting_member"]

    def votes_by(user_id):
        return db.session.scalars(sa.select(Vote).where(
            Vote.ballot_id == world.open_ballot, Vote.voter_id == user_id)).all()

    with tried(fingerprint()):
        browse_as(client, member)
        response = client.post(f"/ballots/{world.open_ballot}/vote",
                               data=_tampered({"choice": "no", "reason": "Too costly."},
                                              chair, world.seats["chair"]))
        assert response.status_code in (200, 302)
        assert votes_by(chair) == []
        assert db.session.scalars(sa.select(Vote.id).where(
            Vote.ballot_id == world.open_ballot, Vote.seat_id == world.seats["chair"])).all() == []
        assert [vote.choice.value for vote in votes_by(member)] == ["no"]


def test_a_support_or_comment_naming_someone_else_is_the_posters_own(world, client):
    member, chair = world.users["voting_member"], world.users["chair"]
    proposal = world.proposals["open"]
    with tried(fingerprint()):
        browse_as(client, member)
        client.post(f"/proposals/{proposal}/support", data=_tampered({}, chair))
        client.post(f"/proposals/{proposal}/comments",
                    data=_tampered({"body": "Signed by the chair?", "stance": "for"}, chair))
        supporters = set(db.session.scalars(
            sa.select(Support.user_id).where(Support.proposal_id == proposal)))
        assert member in supporters
        assert chair not in supporters
        authors = set(db.session.scalars(sa.select(Comment.author_id).where(
            Comment.body == "Signed by the chair?")))
        assert authors == {member}


def test_the_account_form_changes_only_the_own_name_never_a_role_or_another_person(world,
                                                                                  client):
    participant, member = world.users["participant"], world.users["voting_member"]
    payload = _tampered(ROUTES["accounts.account"].payload(world, "participant"), member)
    payload.update(is_admin="y", email="taken.over@example.org", organisation_id="1",
                   session_version="0")
    with tried(fingerprint()):
        browse_as(client, participant)
        assert client.post("/account", data=payload).status_code in (200, 302)
        me, other = db.session.get(User, participant), db.session.get(User, member)
        assert me.display_name == "Renamed participant"
        assert not me.is_admin
        assert me.email == world.emails["participant"]
        assert other.display_name == "Environment Office Member"


def test_registration_cannot_make_an_administrator(world, client):
    payload = dict(ROUTES["accounts.register"].payload(world, "visitor"), is_admin="y",
                   email="climber@example.org")
    with tried(fingerprint()):
        browse_as(client, None)
        client.post("/register", data={**payload, "password": PASSWORD, "confirm": PASSWORD})
        made = db.session.scalars(
            sa.select(User).where(User.email == "climber@example.org")).one_or_none()
        assert made is None or not made.is_admin


def test_minutes_cannot_be_written_into_an_item_of_another_meeting(world, outsiders, client):
    """The minutes form names its agenda items by id: an id of another group's meeting (or of
    approved minutes) in it changes nothing there."""
    for foreign in (outsiders.other_item, world.minutes_items["approved"]):
        before = db.session.get(AgendaItem, foreign).minutes
        payload = ROUTES["minutes.edit"].payload(world, "secretary")
        payload["items-0-item_id"] = str(foreign)
        payload["items-0-minutes"] = "Rewritten from another meeting."
        with tried(fingerprint()):
            browse_as(client, world.users["secretary"])
            response = client.post(ROUTES["minutes.edit"].url(world), data=payload)
            assert response.status_code < 500
            db.session.expire_all()
            assert db.session.get(AgendaItem, foreign).minutes == before


def test_attendance_cannot_be_taken_for_a_seat_of_another_group(world, outsiders, client):
    payload = ROUTES["meetings.attendance"].payload(world, "secretary")
    payload["seats-0-seat_id"] = str(outsiders.other_seat)
    with tried(fingerprint()):
        browse_as(client, world.users["secretary"])
        response = client.post(ROUTES["meetings.attendance"].url(world), data=payload)
        assert response.status_code < 500
        marked = db.session.scalars(sa.select(Attendance.id).where(
            Attendance.seat_id == outsiders.other_seat)).all()
        assert marked == []
    assert db.session.get(Seat, outsiders.other_seat).group_id == outsiders.other_group
    assert db.session.get(WorkingGroup, outsiders.other_group) is not None


def test_the_data_download_and_erasure_are_always_the_readers_own(world, client):
    """Privacy lane B2: no address names a person, and ids in the query or the form are
    ignored: the download is the reader's own data, erasure erases the reader's account."""
    participant, author = world.users["participant"], world.users["author"]
    browse_as(client, participant)
    response = client.get(f"/account/data.json?user_id={author}&id={author}"
                          f"&email={world.emails['author']}")
    assert response.status_code == 200
    assert response.get_json()["account"]["id"] == participant
    assert world.emails["author"] not in response.get_data(as_text=True)

    payload = _tampered({"password": PASSWORD, "confirm": "y"}, author)
    payload.update(email=world.emails["author"], user_id=str(author))
    with tried(fingerprint()):
        browse_as(client, participant)
        assert client.post("/account/delete", data=payload).status_code == 302
        db.session.expire_all()
        assert db.session.get(User, author).erased_at is None
        assert db.session.get(User, participant).erased_at is not None
