"""The demo's meetings: a held one with the Thai agenda, attendance, minutes and a resolution
linked to the decision; its minutes approved at the next meeting and corrected; one to come."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.i18n import site_zone
from participation.meetings import queries
from participation.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from participation.notifications.models import Notification
from participation.votes.models import Ballot, BallotResult
from tests.demo.conftest import NOW
from tests.rows import count_rows


def _local(moment):
    return moment.astimezone(site_zone())


def test_the_first_meeting_was_held_with_the_thai_agenda_in_its_four_sections(demo, db):
    first = demo.meetings[0]
    assert first.title == "การประชุมคณะทำงานฯ ครั้งที่ 1/2569"
    assert first.status == MeetingStatus.HELD
    starts, ends = _local(first.starts_at), _local(first.ends_at)
    assert starts.date() == _local(NOW).date() - timedelta(days=45)
    assert (starts.hour, starts.minute, ends.hour, ends.minute) == (9, 30, 12, 0)
    assert first.place == "ห้องประชุมศาลากลางจังหวัดลำปาง ชั้น 2"
    assert first.online_url.startswith("https://")
    assert "ศูนย์ศึกษาสุขภาพและสิ่งแวดล้อมล้านนา" in first.guests
    assert [item.number for item in first.items] == ["1.1", "2.1", "2.2", "3.1", "4.1"]
    assert [section.number for section in queries.sections(first)] == [1, 2, 3, 4]
    assert all(item.minutes.strip() for item in first.items)
    assert first.minutes_taker == demo.users["assistant1"]
    # The open-data proposal is item 3.1; the ballot opened from it made its resolution.
    considered = first.items[3]
    assert considered.proposal == demo.proposals["open_data"]
    assert considered.decision_id == demo.decision.id
    assert demo.decision.ballot.agenda_item_id == considered.id
    assert demo.decision.result == BallotResult.ADOPTED
    assert [item.resolution for item in first.items if item.section != 3] == [
        "ที่ประชุมรับทราบ",
        "ที่ประชุมรับทราบ และมอบหมายให้สำนักงานสิ่งแวดล้อมภาคที่ 2 (ลำปาง) "
        "รายงานสถานการณ์ต่อคณะทำงานทุกเดือนในช่วงฤดูฝุ่น",
        "ที่ประชุมรับทราบ",
        "ที่ประชุมรับทราบ",
    ]


def test_every_seat_attended_the_first_meeting_one_by_its_deputy_one_excused_with_quorum(demo,
                                                                                         db):
    first = demo.meetings[0]
    rows = queries.attendance_rows(first, queries.group_seats(first.group_id))
    assert len(rows) == 16 and all(row.attendance is not None for row in rows)
    statuses = Counter(row.attendance.status for row in rows)
    assert statuses == {AttendanceStatus.PRESENT: 14, AttendanceStatus.DEPUTY: 1,
                        AttendanceStatus.EXCUSED: 1}
    by_status = {row.attendance.status: row for row in rows}
    represented = by_status[AttendanceStatus.DEPUTY]
    assert represented.seat.holder == demo.users["provincial"]
    assert represented.attendance.attendee == demo.users["deputy"]
    excused = by_status[AttendanceStatus.EXCUSED]
    assert excused.seat.holder == demo.users["private"] and excused.attendance.note
    quorum = queries.quorum(rows)
    assert (quorum.present, quorum.voting, quorum.needed, quorum.met) == (12, 13, 7, True)


def test_the_first_meetings_page_and_printable_minutes_show_the_story(demo, client):
    first = demo.meetings[0]
    page = client.get(f"/meetings/{first.id}?lang=en").text
    headings = ["Matters the chair announces to the meeting", "Matters for information",
                "Matters for consideration", "Other business"]
    assert [page.index(heading) for heading in headings] == sorted(
        page.index(heading) for heading in headings)
    assert "12 of 13 voting seats present or represented; quorum 7 (at least half): met" in page
    assert f'href="/decisions/{demo.decision.id}"' in page

    minutes = client.get(f"/meetings/{first.id}/minutes?lang=th").text
    sections = [minutes.index(f"ระเบียบวาระที่ {number}") for number in range(1, 5)]
    assert sections == sorted(sections) and "มติที่ประชุม" in minutes
    assert "เริ่มประชุมเวลา 09.30 น." in minutes and "เลิกประชุมเวลา 12.00 น." in minutes
    assert demo.users["deputy"].display_name in minutes
    assert "ลาประชุม" in minutes
    assert "สะสม 2,417 จุด" in minutes  # as approved ...
    assert "เป็น 2,147 จุด" in minutes  # ... and as corrected afterwards
    assert demo.users["assistant1"].display_name in minutes  # who took the minutes

    decision = client.get(f"/decisions/{demo.decision.id}?lang=en").text
    assert first.title in decision and "3.1" in decision


def test_the_first_minutes_were_approved_at_the_second_meeting_then_corrected_once(demo, db):
    first, second, _third = demo.meetings
    assert first.minutes_status == MinutesStatus.APPROVED
    assert first.approved_at_meeting == second
    assert _local(first.minutes_published_at).date() == _local(NOW).date() - timedelta(days=40)
    assert _local(first.minutes_approved_at).date() == _local(NOW).date() - timedelta(days=19)
    approval = second.items[1]
    assert approval.number == "2.1"
    assert approval.title == "รับรองรายงานการประชุมครั้งที่ 1/2569"
    corrections = db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == "minutes.corrected")
    ).all()
    assert corrections == [demo.correction]
    assert demo.correction.subject_id == first.id
    assert demo.correction.data["item_number"] == "2.2"
    assert first.minutes_approved_at < demo.correction.created_at < NOW
    # Approved minutes stay as they were: the correction lives in the log.
    assert "2,417" in first.items[2].minutes and "2,147" not in first.items[2].minutes


def test_the_second_meeting_was_held_its_consent_ballot_blocked_and_its_minutes_published(demo,
                                                                                        db):
    second = demo.meetings[1]
    assert second.title == "การประชุมคณะทำงานฯ ครั้งที่ 2/2569"
    assert second.status == MeetingStatus.HELD
    assert second.minutes_status == MinutesStatus.PUBLISHED
    assert second.approved_at_meeting_id is None
    assert _local(second.starts_at).date() == _local(NOW).date() - timedelta(days=19)
    considered = next(item for item in second.items if item.section == 3)
    assert considered.number == "3.1"
    assert considered.proposal == demo.proposals["enforcement"]
    assert considered.decision_id == demo.blocked_decision.id
    assert demo.blocked_decision.ballot.agenda_item_id == considered.id
    statuses = Counter(row.status for row in second.attendance)
    assert statuses[AttendanceStatus.DEPUTY] == 1 and statuses[AttendanceStatus.EXCUSED] == 1


def test_the_third_meeting_is_planned_with_the_proposal_being_voted_on_and_followers_told(demo,
                                                                                        db):
    third = demo.meetings[2]
    assert third.status == MeetingStatus.PLANNED
    assert third.starts_at > NOW
    assert _local(third.starts_at).date() == _local(NOW).date() + timedelta(days=10)
    assert [item.number for item in third.items] == ["1.1", "2.1", "3.1", "4.1"]
    assert third.items[1].title == "รับรองรายงานการประชุมครั้งที่ 2/2569"
    burn_data = demo.proposals["burn_data"]
    assert third.items[2].proposal == burn_data
    # Placed on the agenda only: its ballot, open now, was not opened again from the item.
    ballots = db.session.scalars(sa.select(Ballot).where(Ballot.proposal_id == burn_data.id)).all()
    assert ballots == [demo.open_ballot] and demo.open_ballot.agenda_item_id is None
    told = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.event == "meeting.scheduled",
                                              Notification.subject_id == third.id)
    ).all()
    assert told == [demo.users["researcher"].id]


def test_the_demo_has_three_meetings_and_every_resolution_is_in_the_log(demo, db):
    assert count_rows(Meeting) == 3
    assert count_rows(AgendaItem) == 5 + 5 + 4
    recorded = db.session.scalars(
        sa.select(LogEntry.data).where(LogEntry.verb == "meeting.resolution_recorded")
    ).all()
    # The two ballots' decisions, and the resolutions in words of the items without a ballot.
    linked = [entry["decision_id"] for entry in recorded if "decision_id" in entry]
    assert linked == [demo.decision.id, demo.blocked_decision.id]
    worded = sum(1 for item in demo.meetings[0].items + demo.meetings[1].items if item.resolution)
    assert len(recorded) == len(linked) + worded
