"""The meetings pages through the client: the lists, a meeting's public page (agenda in the
Thai order, resolutions, attendance and quorum), the managers' forms with their translated
errors, the ballot opened from an item, the decision page's link back, and query counts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.meetings import services
from participation.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from participation.votes import services as votes
from participation.votes.models import Ballot, VoteChoice
from tests.meetings.scene import Scene, in_days
from tests.querycount import page_queries
from tests.rows import count_rows

P, A, E, D = (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED,
              AttendanceStatus.DEPUTY)


@pytest.fixture
def scene(make, db):
    made = Scene(make)
    db.session.commit()
    return made


def local(moment) -> str:
    """A moment as a datetime-local field sends it."""
    return moment.astimezone(ZoneInfo("Asia/Bangkok")).strftime("%Y-%m-%dT%H:%M")


def meeting_form(**overrides):
    data = {"title": "การประชุมคณะทำงาน ครั้งที่ 2/2569", "starts_at": local(in_days(10)),
            "ends_at": local(in_days(10) + timedelta(hours=3)),
            "place": "ห้องประชุมศาลากลาง", "online_url": "", "guests": ""}
    data.update(overrides)
    return data


def held_meeting(scene: Scene) -> Meeting:
    """The scene's meeting moved into the past (as if time had passed), held, with a full
    agenda, a decided proposal and its attendance."""
    meeting = scene.meeting
    now = utcnow()
    meeting.starts_at = now - timedelta(hours=3)
    meeting.ends_at = now - timedelta(hours=1)
    db.session.flush()
    proposal = scene.proposal(title="Ban open burning in Mae Mo")
    scene.item(1, "ประธานแจ้งเรื่องการประชุมระดับภาค")
    info = scene.item(2, "รายงานสถานการณ์ฝุ่น PM2.5")
    scene.item(2, "ผลการดำเนินงานตามมติครั้งก่อน")
    item = scene.item(3, "Ban open burning in Mae Mo", proposal=proposal)
    scene.item(4, "กำหนดการประชุมครั้งต่อไป")
    services.mark_held(meeting=meeting, actor=scene.secretary, now=now)
    services.edit_item(item=info, actor=scene.secretary, section=2, title=info.title,
                       resolution="ที่ประชุม**รับทราบ**", now=now)
    services.record_attendance(
        meeting=meeting, actor=scene.secretary, now=now,
        marks=scene.marks(chair=P, secretary=P, member=P, represented=D, other_member=E),
    )
    ballot = votes.open_ballot(proposal=proposal, actor=scene.secretary, agenda_item=item,
                               closes_at=now + timedelta(minutes=30), now=now)
    for voter, choice in ((scene.chair, VoteChoice.YES), (scene.member, VoteChoice.YES),
                          (scene.deputy, VoteChoice.NO)):
        votes.cast_vote(ballot=ballot, member=voter, choice=choice, now=now)
    votes.close_ballot(ballot=ballot, actor=scene.chair, now=now)
    db.session.commit()
    return meeting


# Public pages


def test_the_meeting_page_shows_the_agenda_in_thai_order_with_numbers_and_resolutions(
    client, scene
):
    meeting = held_meeting(scene)
    text = client.get(f"/meetings/{meeting.id}?lang=en").text
    headings = ["Item 1</span> Matters the chair announces to the meeting",
                "Item 2</span> Matters for information",
                "Item 3</span> Matters for consideration", "Item 4</span> Other business"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    numbers = ["1.1", "2.1", "2.2", "3.1", "4.1"]
    found = [text.index(f'<span class="agenda-number">{number}</span>') for number in numbers]
    assert found == sorted(found)
    assert "ที่ประชุม<strong>รับทราบ</strong>" in text
    assert "Resolution of the meeting" in text
    decision_id = db.session.scalar(sa.select(AgendaItem.decision_id).where(
        AgendaItem.section == 3, AgendaItem.meeting_id == meeting.id))
    assert f'href="/decisions/{decision_id}">Adopted 2–1–0</a>' in text
    assert "(yes–no–abstain)" in text
    assert "Ban open burning in Mae Mo" in text and "/proposals/" in text


def test_the_meeting_page_shows_attendance_by_seat_with_the_quorum_line(client, scene):
    meeting = held_meeting(scene)
    text = client.get(f"/meetings/{meeting.id}?lang=en").text
    # Voting seats: chair, member, represented, other member, vacant (5); 3 count.
    assert ("3 of 5 voting seats present or represented; quorum 3 (at least half): met"
            in text)
    assert 'class="quorum quorum-met"' in text
    assert scene.deputy.display_name in text and "(deputy)" in text
    assert "Represented by the deputy" in text and "Excused" in text
    assert 'role="table" class="attendance"' in text and 'data-label="Attendance"' in text


def test_a_visitor_sees_no_managers_buttons_and_a_manager_does(client, scene, login):
    meeting = scene.meeting
    scene.item(2, "A")
    scene.item(2, "B")
    db.session.commit()
    text = client.get(f"/meetings/{meeting.id}?lang=en").text
    assert "Run this meeting" not in text and "Edit item 2.1" not in text
    login(scene.secretary)
    text = client.get(f"/meetings/{meeting.id}?lang=en").text
    assert "Run this meeting" in text
    assert f'href="/meetings/{meeting.id}/edit"' in text
    assert "Move item 2.1 down" in text and "Move item 2.1 up" not in text
    assert "Move item 2.2 up" in text
    assert 'action="/agenda-items/' in text
    # Not started yet: no attendance, not held.
    assert "Record the attendance" not in text and "Mark as held" not in text


def test_a_cancelled_meeting_says_so_with_its_reason(client, scene):
    services.cancel_meeting(meeting=scene.meeting, actor=scene.chair,
                            reason="Flooding in the city", now=utcnow())
    db.session.commit()
    text = client.get(f"/meetings/{scene.meeting.id}?lang=en").text
    assert "This meeting was cancelled." in text and "Flooding in the city" in text


def test_the_minutes_link_appears_when_the_minutes_are_public(client, scene, login, app):
    meeting = held_meeting(scene)
    link = f'href="/meetings/{meeting.id}/minutes"'
    assert "minutes.detail" in app.view_functions
    assert link not in client.get(f"/meetings/{meeting.id}").text
    login(scene.secretary)
    assert link in client.get(f"/meetings/{meeting.id}").text
    meeting.minutes_status = MinutesStatus.PUBLISHED
    meeting.minutes_published_at = utcnow()
    db.session.commit()
    with client.session_transaction() as session:
        session.clear()
    assert link in client.get(f"/meetings/{meeting.id}").text


def test_the_lists_show_upcoming_and_past_meetings_and_filter_by_group(client, scene, make):
    past = held_meeting(scene)
    upcoming = scene.schedule(title="Next meeting", starts_at=in_days(14))
    other_group = make.group()
    chair = make.member(other_group, role=SeatRole.CHAIR)
    services.schedule_meeting(group=other_group, actor=chair, title="Elsewhere",
                              starts_at=in_days(3), place="Hall", now=utcnow())
    db.session.commit()
    text = client.get("/meetings?lang=en").text
    assert text.index("Upcoming meetings") < text.index("Elsewhere") < text.index(
        "Next meeting") < text.index("Past meetings") < text.index(past.title)
    assert 'type="text/calendar"' in text and "/feeds/meetings.ics" in text
    filtered = client.get(f"/meetings?group={scene.group.id}&lang=en").text
    assert "Next meeting" in filtered and "Elsewhere" not in filtered
    page = client.get(f"/groups/{scene.group.id}/meetings?lang=en").text
    assert "Next meeting" in page and "Elsewhere" not in page
    assert f"/feeds/meetings.ics?group={scene.group.id}" in page
    assert upcoming.id


@pytest.mark.parametrize("query", ["group=abc", "group=-1", "group=99999999999999999999",
                                   "group=0", "page=abc", "page=-4", "page=99999999",
                                   "group=%00"])
def test_junk_in_the_list_address_never_breaks_it(client, scene, query):
    assert client.get(f"/meetings?{query}").status_code == 200


def test_an_unknown_meeting_or_group_is_not_found(client):
    assert client.get("/meetings/999999").status_code == 404
    assert client.get("/groups/999999/meetings").status_code == 404
    assert client.get("/meetings/99999999999").status_code == 404


def test_the_group_page_links_to_its_meetings(client, scene):
    text = client.get(f"/groups/{scene.group.id}?lang=en").text
    assert f'href="/groups/{scene.group.id}/meetings"' in text


def test_the_navigation_has_meetings_after_decisions(client):
    text = client.get("/meetings?lang=en").text
    assert text.index('href="/decisions"') < text.index('href="/meetings" aria-current="page"')


def test_the_decision_page_names_the_meeting_and_item_it_resolved(client, scene):
    meeting = held_meeting(scene)
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.decision_id.is_not(None)))
    text = client.get(f"/decisions/{item.decision_id}?lang=en").text
    assert f"Resolution of the meeting {meeting.title}, item 3.1." in text.replace(
        '<span lang="th">', "").replace("</span>", "")
    assert f'href="/meetings/{meeting.id}#item-{item.id}"' in text


# Managers' forms


def test_the_secretary_schedules_a_meeting_through_the_form(client, scene, login):
    login(scene.secretary)
    response = client.post(f"/groups/{scene.group.id}/meetings/new",
                           data=meeting_form(guests="นายอำเภอแม่เมาะ\nผู้แทน อบจ."))
    assert response.status_code == 302
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.title.like("%2/2569")))
    assert response.headers["Location"] == f"/meetings/{meeting.id}"
    assert meeting.guests == "นายอำเภอแม่เมาะ\nผู้แทน อบจ."
    text = client.get(response.headers["Location"] + "?lang=en").text
    assert "The meeting is scheduled." in text and "นายอำเภอแม่เมาะ" in text


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": ""}, "Give the meeting a title, such as its number."),
    ({"starts_at": "abc"}, "Enter the date and time the meeting starts."),
    ({"starts_at": "2000-01-01T10:00", "ends_at": ""}, "The meeting must start in the future."),
    ({"ends_at": "2000-01-01T10:00"}, "The meeting must end after it starts."),
    ({"place": "", "online_url": ""}, "Say where the meeting takes place, or give its online link."),
    ({"online_url": "javascript:alert(1)"}, "Give the online link as one web address"),
    ({"title": "x" * 301}, "Field cannot be longer than 300 characters."),
])
def test_bad_input_is_refused_with_a_message_and_schedules_nothing(
    client, scene, login, changes, message
):
    login(scene.secretary)
    before = count_rows(Meeting)
    response = client.post(f"/groups/{scene.group.id}/meetings/new?lang=en",
                           data=meeting_form(**changes))
    assert response.status_code == 200
    assert message in response.text and 'class="error"' in response.text
    assert count_rows(Meeting) == before


def test_thai_readers_get_the_refusal_in_thai_when_translated(client, scene, login):
    login(scene.secretary)
    response = client.post(f"/groups/{scene.group.id}/meetings/new?lang=th",
                           data=meeting_form(title=""))
    assert response.status_code == 200 and '<html lang="th">' in response.text
    assert 'class="error"' in response.text


def test_people_who_do_not_run_the_group_may_not_use_the_forms(client, scene, login):
    meeting = scene.meeting
    item = scene.item(2, "A")
    db.session.commit()
    addresses = [f"/groups/{scene.group.id}/meetings/new", f"/meetings/{meeting.id}/edit",
                 f"/meetings/{meeting.id}/cancel", f"/meetings/{meeting.id}/items/new",
                 f"/agenda-items/{item.id}/edit", f"/meetings/{meeting.id}/attendance"]
    for address in addresses:
        assert client.get(address).status_code == 302  # to the login page
    login(scene.member)
    for address in addresses:
        assert client.get(address).status_code == 403, address
    for address in (f"/meetings/{meeting.id}/held", f"/agenda-items/{item.id}/remove",
                    f"/agenda-items/{item.id}/move"):
        assert client.post(address, data={"direction": "up"}).status_code == 403


def test_editing_a_meeting_shows_its_times_in_site_time(client, scene, login):
    login(scene.chair)
    text = client.get(f"/meetings/{scene.meeting.id}/edit").text
    assert f'value="{local(scene.meeting.starts_at)}"' in text
    response = client.post(f"/meetings/{scene.meeting.id}/edit",
                           data=meeting_form(title="Renamed", starts_at=local(scene.meeting.starts_at),
                                             ends_at=""))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, scene.meeting.id).title == "Renamed"


def test_cancelling_through_the_form_needs_a_reason(client, scene, login):
    login(scene.chair)
    address = f"/meetings/{scene.meeting.id}/cancel?lang=en"
    response = client.post(address, data={"reason": ""})
    assert response.status_code == 200 and "Say why the meeting is cancelled." in response.text
    assert client.post(address, data={"reason": "No quorum expected"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, scene.meeting.id).status == MeetingStatus.CANCELLED
    again = client.get(address)
    assert again.status_code == 302


def test_adding_and_editing_items_through_the_forms(client, scene, login):
    proposal = scene.proposal(title="Fire breaks")
    db.session.commit()
    login(scene.secretary)
    form = client.get(f"/meetings/{scene.meeting.id}/items/new?proposal={proposal.id}").text
    assert f'<option selected value="{proposal.id}"' in form or (
        f'value="{proposal.id}" selected' in form)
    response = client.post(f"/meetings/{scene.meeting.id}/items/new",
                           data={"section": "3", "title": "Fire breaks",
                                 "proposal": str(proposal.id)})
    assert response.status_code == 302
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "Fire breaks"))
    assert (item.number, item.proposal_id) == ("3.1", proposal.id)
    refused = client.post(f"/agenda-items/{item.id}/edit?lang=en",
                          data={"section": "2", "title": "Fire breaks",
                                "proposal": str(proposal.id)})
    assert refused.status_code == 200
    assert "A proposal can only be placed under item 3" in refused.text
    for junk in ("abc", "9", "1e309"):
        response = client.post(f"/meetings/{scene.meeting.id}/items/new?lang=en",
                               data={"section": junk, "title": "X", "proposal": "0"})
        assert "Choose one of the four sections of the agenda." in response.text
    response = client.post(f"/meetings/{scene.meeting.id}/items/new?lang=en",
                           data={"section": "3", "title": "X", "proposal": "999999"})
    assert "Choose a proposal of this working group from the list, or none." in response.text
    assert count_rows(AgendaItem) == 1


def test_moving_and_removing_items_through_the_buttons(client, scene, login):
    first = scene.item(2, "A")
    second = scene.item(2, "B")
    db.session.commit()
    login(scene.chair)
    response = client.post(f"/agenda-items/{second.id}/move", data={"direction": "up"})
    assert response.headers["Location"] == f"/meetings/{scene.meeting.id}#item-{second.id}"
    db.session.expire_all()
    assert (db.session.get(AgendaItem, second.id).number,
            db.session.get(AgendaItem, first.id).number) == ("2.1", "2.2")
    response = client.post(f"/agenda-items/{second.id}/move?lang=en", data={"direction": "up"})
    page = client.get(response.headers["Location"].split("#")[0] + "?lang=en").text
    assert "This item is already first in its section." in page
    client.post(f"/agenda-items/{second.id}/remove")
    db.session.expire_all()
    assert db.session.get(AgendaItem, first.id).number == "2.1"
    assert count_rows(AgendaItem) == 1


def test_attendance_through_the_form(client, scene, login):
    meeting = scene.meeting
    meeting.starts_at = utcnow() - timedelta(minutes=10)
    meeting.ends_at = None
    db.session.commit()
    login(scene.secretary)
    form = client.get(f"/meetings/{meeting.id}/attendance?lang=en").text
    seats = [scene.seat(scene.chair), scene.seat(scene.secretary), scene.seat(scene.member),
             scene.seat(scene.represented), scene.seat(scene.other_member), scene.vacant]
    # Only the seat with a deputy offers the deputy; the vacant seat offers no "present".
    assert form.count('value="deputy"') == 1
    assert form.count('value="present"') == 5
    data = {}
    for index, (seat, status) in enumerate(zip(seats, ("present", "present", "excused",
                                                        "deputy", "absent", "absent"),
                                               strict=True)):
        data[f"seats-{index}-seat_id"] = str(seat.id)
        data[f"seats-{index}-status"] = status
        data[f"seats-{index}-note"] = "ติดราชการ" if status == "excused" else ""
    response = client.post(f"/meetings/{meeting.id}/attendance?lang=en", data=data)
    assert response.status_code == 302
    page = client.get(f"/meetings/{meeting.id}?lang=en").text
    assert "The attendance is recorded: Present: 2, Absent: 2, Excused: 1" in page
    assert ("2 of 5 voting seats present or represented; quorum 3 (at least half): not met"
            in page)
    assert "ติดราชการ" in page
    wrong = dict(data, **{"seats-0-status": "deputy"})
    response = client.post(f"/meetings/{meeting.id}/attendance?lang=en", data=wrong)
    assert response.status_code == 200
    assert "has no deputy, so it cannot be represented by one" in response.text
    missing = {key: value for key, value in data.items() if not key.startswith("seats-5")}
    response = client.post(f"/meetings/{meeting.id}/attendance?lang=en", data=missing)
    assert "The seats of the group have changed" in response.text
    assert count_rows(Attendance) == 6


def test_attendance_before_the_meeting_starts_is_refused_with_a_message(client, scene, login):
    login(scene.secretary)
    response = client.get(f"/meetings/{scene.meeting.id}/attendance?lang=en")
    assert response.status_code == 302
    page = client.get(response.headers["Location"] + "?lang=en").text
    assert "Attendance is recorded once the meeting has started." in page


def test_marking_a_meeting_held_too_early_says_why(client, scene, login):
    login(scene.chair)
    response = client.post(f"/meetings/{scene.meeting.id}/held?lang=en")
    page = client.get(response.headers["Location"] + "?lang=en").text
    assert "The meeting has not started yet." in page
    assert db.session.get(Meeting, scene.meeting.id).status == MeetingStatus.PLANNED


# A ballot opened from an item


def test_the_ballot_button_opens_a_ballot_linked_to_the_item(client, scene, login):
    proposal = scene.proposal(title="Fire breaks")
    item = scene.item(3, "Fire breaks", proposal=proposal)
    db.session.commit()
    login(scene.secretary)
    page = client.get(f"/meetings/{scene.meeting.id}?lang=en").text
    address = f"/proposals/{proposal.id}/ballot/new?agenda_item={item.id}"
    assert f'href="{address}"' in page.replace("&amp;", "&")
    form = client.get(address + "&lang=en").text
    assert "Opened from item 3.1 of the meeting" in form
    response = client.post(address, data={"closes_at": local(in_days(2)), "quorum": ""})
    assert response.status_code == 302
    ballot = db.session.scalar(sa.select(Ballot).where(Ballot.proposal_id == proposal.id))
    assert ballot.agenda_item_id == item.id
    page = client.get(f"/meetings/{scene.meeting.id}?lang=en").text
    assert "Voting is open until" in page and f'href="/ballots/{ballot.id}"' in page


def test_an_unknown_or_mismatched_agenda_item_opens_no_ballot(client, scene, login):
    proposal, other = scene.proposal(), scene.proposal()
    item = scene.item(3, "Other", proposal=other)
    db.session.commit()
    login(scene.secretary)
    assert client.get(f"/proposals/{proposal.id}/ballot/new?agenda_item=999999"
                      ).status_code == 404
    assert client.get(f"/proposals/{proposal.id}/ballot/new?agenda_item=abc"
                      ).status_code == 404
    response = client.post(f"/proposals/{proposal.id}/ballot/new?agenda_item={item.id}&lang=en",
                           data={"closes_at": local(in_days(2)), "quorum": ""})
    assert response.status_code == 200
    assert "This agenda item does not bring this proposal before the meeting." in response.text
    assert count_rows(Ballot) == 0


# Query counts


def test_the_meeting_page_runs_the_same_queries_for_a_small_and_a_large_meeting(
    client, make, login
):
    small = Scene(make)
    held_meeting(small)
    large = Scene(make)
    for _ in range(8):
        make.member(large.group)
    db.session.flush()
    for section in (1, 2, 2, 2, 4):
        large.item(section, f"Item in section {section}")
    for _ in range(3):
        large.item(3, "Considered", proposal=large.proposal())
    meeting = large.meeting
    meeting.starts_at = utcnow() - timedelta(hours=2)
    meeting.ends_at = None
    db.session.flush()
    services.record_attendance(
        meeting=meeting, actor=large.secretary, now=utcnow(),
        marks=[services.AttendanceMark(seat_id=seat.id,
                                       status=P if seat.holder_id else A)
               for seat in large.group.seats],
    )
    db.session.commit()
    small_url, large_url = f"/meetings/{small.meeting.id}", f"/meetings/{meeting.id}"
    small_secretary, large_secretary = small.secretary.id, large.secretary.id
    login(db.session.get(User, small_secretary))
    manager_small, _ = page_queries(client, small_url)
    login(db.session.get(User, large_secretary))
    manager_large, text = page_queries(client, large_url)
    assert manager_small == manager_large
    assert "Record the attendance" in text
    with client.session_transaction() as session:
        session.clear()
    small_count, _ = page_queries(client, small_url)
    large_count, _ = page_queries(client, large_url)
    assert small_count == large_count
    assert small_count <= 10
    assert manager_small == manager_large


def test_the_lists_run_the_same_queries_with_more_meetings(client, make):
    Scene(make)
    db.session.commit()
    few, _ = page_queries(client, "/meetings")
    for _ in range(5):
        Scene(make)
    db.session.commit()
    many, _ = page_queries(client, "/meetings")
    assert few == many


def test_the_attendance_form_runs_the_same_queries_for_more_seats(client, make, login):
    counts = []
    for extra in (0, 10):
        scene = Scene(make)
        for _ in range(extra):
            make.member(scene.group)
        scene.meeting.starts_at = utcnow() - timedelta(hours=1)
        scene.meeting.ends_at = None
        db.session.commit()
        login(scene.chair)
        count, _ = page_queries(client, f"/meetings/{scene.meeting.id}/attendance")
        counts.append(count)
    assert counts[0] == counts[1]
