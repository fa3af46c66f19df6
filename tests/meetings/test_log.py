"""What the accountability log shows of meetings: each event's phrase, a summary of its codes
and numbers, and the meeting as its subject, linked and titled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from participation.accountability.models import LogEntry
from participation.accountability.views import summarise
from participation.extensions import db
from participation.meetings import services
from participation.meetings.models import AttendanceStatus
from tests.meetings.scene import Scene


def phrases(app, verb: str, data: dict, *, language: str = "en") -> list[str]:
    entry = LogEntry(id=1, created_at=datetime(2026, 3, 1, tzinfo=UTC), verb=verb,
                     subject_type="meeting", subject_id=1, data=data)
    with app.test_request_context(f"/log?lang={language}"):
        return summarise(entry)


def test_agenda_changes_name_the_item_and_what_happened(app):
    assert phrases(app, "meeting.agenda_changed", {
        "group_id": 1, "agenda_action": "remove", "item_id": 4, "agenda_item": "2.2",
        "title": "ผลการดำเนินงาน",
    }) == ["item removed", "item 2.2"]


def test_attendance_is_summarised_by_status(app):
    assert phrases(app, "meeting.attendance_recorded", {
        "group_id": 1, "attendance": {"present": 5, "absent": 0, "excused": 1, "deputy": 2},
    }) == ["Present: 5, Excused: 1, Represented by the deputy: 2"]


def test_a_meetings_changes_and_resolutions_are_summarised(app):
    assert phrases(app, "meeting.edited", {
        "group_id": 1, "meeting_fields": ["starts_at", "place"],
        "starts_at": "2026-03-07T02:30:00+00:00",
    }) == ["starts March 7, 2026, 09:30", "changed: start, place"]
    assert phrases(app, "meeting.resolution_recorded", {
        "item_id": 3, "agenda_item": "3.1", "ballot_id": 2, "decision_id": 5,
        "result": "adopted",
    }) == ["Adopted", "item 3.1"]


def test_other_events_ignore_the_meetings_keys(app):
    assert phrases(app, "minutes.edited", {"agenda_action": "add"}) == []


@pytest.fixture
def scene(make, db):
    made = Scene(make)
    db.session.commit()
    return made


def test_the_log_lists_a_meetings_events_with_its_title_and_link(client, scene):
    meeting = scene.meeting
    scene.item(2, "รายงานสถานการณ์ฝุ่น")
    services.record_attendance(meeting=meeting, actor=scene.secretary, now=scene.started(),
                               marks=scene.marks(chair=AttendanceStatus.PRESENT))
    db.session.commit()
    text = client.get(f"/log?subject_type=meeting&subject_id={meeting.id}&lang=en").text
    for phrase in ("Meeting scheduled", "Meeting agenda changed", "Meeting attendance recorded",
                   "item added", "item 2.1", "Present: 1, Absent: 5"):
        assert phrase in text, phrase
    assert f'href="/meetings/{meeting.id}"' in text and meeting.title in text
