"""The iCalendar of meetings: one event per meeting with its time, place, link and status,
for every group or one, reading the same until a meeting changes."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
import pytest

from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.meetings import services
from tests.meetings.scene import Scene, in_days
from tests.querycount import count_queries, forget_loaded_rows


@pytest.fixture
def scene(make, db):
    made = Scene(make)
    db.session.commit()
    return made


def events(client, address: str) -> dict[str, icalendar.Event]:
    response = client.get(address)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_each_meeting_is_an_event_with_its_time_place_link_and_agenda(client, scene):
    meeting = scene.meeting
    scene.item(2, "รายงานสถานการณ์ฝุ่น")
    db.session.commit()
    found = events(client, "/feeds/meetings.ics?lang=en")
    event = found[f"meeting-{meeting.id}@localhost"]
    assert event.decoded("DTSTART") == meeting.starts_at.astimezone(UTC)
    assert event.decoded("DTEND") == meeting.ends_at.astimezone(UTC)
    assert str(event["LOCATION"]) == "ห้องประชุมศาลากลางจังหวัดลำปาง"
    assert str(event["URL"]) == f"http://localhost/meetings/{meeting.id}?lang=en"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert meeting.title in str(event["SUMMARY"])
    assert "2.1 รายงานสถานการณ์ฝุ่น" in str(event["DESCRIPTION"])


def test_a_cancelled_meeting_is_a_cancelled_event_with_its_reason(client, scene):
    services.cancel_meeting(meeting=scene.meeting, actor=scene.chair, reason="Flooding",
                            now=utcnow())
    db.session.commit()
    event = events(client, "/feeds/meetings.ics?lang=en")[f"meeting-{scene.meeting.id}@localhost"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Cancelled: Flooding" in str(event["DESCRIPTION"])


def test_an_online_meeting_without_end_or_place_gives_its_link(client, scene):
    meeting = scene.schedule(place="", online_url="https://meet.example.org/lampang",
                             starts_at=in_days(3))
    meeting.ends_at = None
    db.session.commit()
    event = events(client, "/feeds/meetings.ics")[f"meeting-{meeting.id}@localhost"]
    assert str(event["LOCATION"]) == "https://meet.example.org/lampang"
    assert "DTEND" not in event


def test_the_calendar_of_one_group_holds_only_its_meetings(client, scene, make):
    other = make.group()
    chair = make.member(other, role=SeatRole.CHAIR)
    elsewhere = services.schedule_meeting(group=other, actor=chair, title="Elsewhere",
                                          starts_at=in_days(2), place="Hall", now=utcnow())
    db.session.commit()
    everything = events(client, "/feeds/meetings.ics")
    assert f"meeting-{elsewhere.id}@localhost" in everything
    one_group = events(client, f"/feeds/meetings.ics?group={scene.group.id}")
    assert set(one_group) == {f"meeting-{scene.meeting.id}@localhost"}


def test_the_calendar_reads_the_same_until_a_meeting_changes(client, scene):
    first = client.get("/feeds/meetings.ics?lang=en")
    again = client.get("/feeds/meetings.ics?lang=en",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    services.edit_meeting(meeting=scene.meeting, actor=scene.chair, title="Renamed",
                          starts_at=scene.meeting.starts_at, place="Hall",
                          now=utcnow() + timedelta(minutes=1))
    db.session.commit()
    changed = client.get("/feeds/meetings.ics?lang=en",
                         headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and b"Renamed" in changed.data


def test_the_calendar_runs_the_same_queries_with_more_meetings(client, scene, make):
    scene.item(2, "An item")
    db.session.commit()
    forget_loaded_rows()
    with count_queries() as few:
        client.get("/feeds/meetings.ics")
    for _ in range(3):
        Scene(make).item(2, "Another item")
    db.session.commit()
    forget_loaded_rows()
    with count_queries() as many:
        client.get("/feeds/meetings.ics")
    assert len(few) == len(many)
