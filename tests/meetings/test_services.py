"""The meetings services: scheduling and its refusals, the Thai agenda kept in order,
proposals only under matters for consideration, attendance and the quorum, resolutions, a
ballot opened from an item whose decision becomes its resolution, and final meetings."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups import services as groups
from participation.meetings import queries, services
from participation.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    MeetingStatus,
    MinutesStatus,
)
from participation.notifications.models import Follow, FollowedType, Notification
from participation.proposals.models import ProposalState
from participation.votes import services as votes
from participation.votes.models import VoteChoice
from tests.meetings.scene import Scene, in_days
from tests.rows import count_rows

P, A, E, D = (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED,
              AttendanceStatus.DEPUTY)


@pytest.fixture
def scene(make):
    return Scene(make)


def log_of(meeting_id: int, verb: str) -> list[LogEntry]:
    return list(db.session.scalars(
        sa.select(LogEntry).where(LogEntry.subject_type == "meeting",
                                  LogEntry.subject_id == meeting_id, LogEntry.verb == verb)
        .order_by(LogEntry.id)
    ))


def numbers(meeting) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(item.number, item.title) for item in queries.get_meeting(meeting.id).items]


# Scheduling


def test_scheduling_a_meeting_logs_it_and_tells_the_groups_followers_but_not_the_actor(
    make, scene
):
    follower = make.user()
    for user in (follower, scene.secretary):
        db.session.add(Follow(user_id=user.id, subject_type=FollowedType.GROUP,
                              subject_id=scene.group.id))
    db.session.flush()
    meeting = scene.schedule(title="การประชุม ครั้งที่ 2/2569", online_url="https://meet.example.org/x")
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.minutes_status == MinutesStatus.DRAFT
    (entry,) = log_of(meeting.id, "meeting.scheduled")
    assert entry.data["group_id"] == scene.group.id
    assert entry.data["starts_at"] == meeting.starts_at.isoformat()
    told = db.session.scalars(sa.select(Notification).where(
        Notification.subject_type == "meeting", Notification.subject_id == meeting.id)).all()
    assert [(n.user_id, n.event) for n in told] == [(follower.id, "meeting.scheduled")]
    assert told[0].data["title"] == "การประชุม ครั้งที่ 2/2569"
    assert told[0].data["starts_at"] == meeting.starts_at.isoformat()


@pytest.mark.parametrize(("fields", "field"), [
    ({"title": "   "}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"starts_at": in_days(-1)}, "starts_at"),
    ({"ends_at": in_days(6)}, "ends_at"),
    ({"place": "", "online_url": ""}, "place"),
    ({"online_url": "javascript:alert(1)"}, "online_url"),
    ({"online_url": "https://meet.example.org/a b"}, "online_url"),
    ({"place": "x" * 301}, "place"),
])
def test_a_meeting_the_rules_refuse_is_not_scheduled(scene, fields, field):
    before = count_rows(LogEntry)
    with pytest.raises(DomainError) as refused:
        scene.schedule(**fields)
    assert refused.value.field == field
    assert count_rows(LogEntry) == before


def test_only_the_chair_and_secretariat_schedule(scene):
    for person in (scene.member, scene.outsider, scene.deputy):
        with pytest.raises(NotAllowed):
            services.schedule_meeting(group=scene.group, actor=person, title="x",
                                      starts_at=in_days(3), place="Hall", now=utcnow())
    chair_meeting = services.schedule_meeting(group=scene.group, actor=scene.chair, title="x",
                                              starts_at=in_days(3), place="Hall", now=utcnow())
    assert chair_meeting.id


def test_guests_are_kept_one_per_line(scene):
    meeting = scene.schedule(guests="  นายก อบต.  บ้านดง \n\n ผู้แทนสาธารณสุขอำเภอ\n")
    assert meeting.guests == "นายก อบต. บ้านดง\nผู้แทนสาธารณสุขอำเภอ"


def test_moving_a_planned_meeting_logs_the_fields_and_tells_followers_again(make, scene):
    follower = make.user()
    db.session.add(Follow(user_id=follower.id, subject_type=FollowedType.GROUP,
                          subject_id=scene.group.id))
    db.session.flush()
    meeting = scene.meeting
    changed = services.edit_meeting(
        meeting=meeting, actor=scene.chair, title=meeting.title,
        starts_at=in_days(8), ends_at=None, place="ห้องประชุมใหม่", now=utcnow(),
    )
    assert changed == ["starts_at", "ends_at", "place"]
    (entry,) = log_of(meeting.id, "meeting.edited")
    assert entry.data["meeting_fields"] == ["starts_at", "ends_at", "place"]
    assert count_rows(Notification, Notification.user_id == follower.id) == 1
    unchanged = services.edit_meeting(
        meeting=meeting, actor=scene.chair, title=meeting.title, starts_at=meeting.starts_at,
        ends_at=None, place="ห้องประชุมใหม่", now=utcnow(),
    )
    assert unchanged == []
    assert len(log_of(meeting.id, "meeting.edited")) == 1


def test_a_planned_meeting_cannot_be_moved_into_the_past(scene):
    with pytest.raises(DomainError) as refused:
        services.edit_meeting(meeting=scene.meeting, actor=scene.chair, title="x",
                              starts_at=in_days(-2), place="Hall", now=utcnow())
    assert refused.value.field == "starts_at"


# Cancelling and holding


def test_a_cancelled_meeting_keeps_its_reason_and_no_longer_changes(scene):
    services.cancel_meeting(meeting=scene.meeting, actor=scene.chair,
                            reason="  ผู้ว่าราชการติดภารกิจ  ", now=utcnow())
    assert scene.meeting.status == MeetingStatus.CANCELLED
    assert scene.meeting.cancel_reason == "ผู้ว่าราชการติดภารกิจ"
    assert log_of(scene.meeting.id, "meeting.cancelled")[0].data["reason"] == (
        "ผู้ว่าราชการติดภารกิจ")
    with pytest.raises(DomainError):
        services.cancel_meeting(meeting=scene.meeting, actor=scene.chair, reason="again",
                                now=utcnow())
    with pytest.raises(DomainError):
        scene.item(2, "Too late")
    with pytest.raises(DomainError):
        services.edit_meeting(meeting=scene.meeting, actor=scene.chair, title="x",
                              starts_at=in_days(9), place="Hall", now=utcnow())


def test_a_cancellation_needs_a_reason(scene):
    with pytest.raises(DomainError) as refused:
        services.cancel_meeting(meeting=scene.meeting, actor=scene.chair, reason=" ",
                                now=utcnow())
    assert refused.value.field == "reason"
    assert scene.meeting.status == MeetingStatus.PLANNED


def test_a_meeting_is_marked_held_only_once_it_has_started(scene):
    with pytest.raises(DomainError):
        services.mark_held(meeting=scene.meeting, actor=scene.secretary, now=utcnow())
    services.mark_held(meeting=scene.meeting, actor=scene.secretary, now=scene.started())
    assert scene.meeting.status == MeetingStatus.HELD
    assert log_of(scene.meeting.id, "meeting.held")
    with pytest.raises(DomainError):
        services.cancel_meeting(meeting=scene.meeting, actor=scene.chair, reason="x",
                                now=scene.started())


# The agenda


def test_the_agenda_is_numbered_in_the_thai_order_whatever_order_items_are_added(scene):
    proposal = scene.proposal(title="Ban open burning")
    scene.item(4, "เรื่องอื่น ๆ")
    scene.item(3, "Ban open burning", proposal=proposal)
    scene.item(2, "รายงานสถานการณ์ฝุ่น")
    scene.item(1, "ประธานแจ้งเรื่องการประชุมระดับภาค")
    scene.item(2, "ผลการดำเนินงานตามมติครั้งก่อน")
    assert numbers(scene.meeting) == [
        ("1.1", "ประธานแจ้งเรื่องการประชุมระดับภาค"),
        ("2.1", "รายงานสถานการณ์ฝุ่น"),
        ("2.2", "ผลการดำเนินงานตามมติครั้งก่อน"),
        ("3.1", "Ban open burning"),
        ("4.1", "เรื่องอื่น ๆ"),
    ]
    sections = queries.sections(queries.get_meeting(scene.meeting.id))
    assert [(s.number, len(s.items)) for s in sections] == [(1, 1), (2, 2), (3, 1), (4, 1)]
    (added,) = [e for e in log_of(scene.meeting.id, "meeting.agenda_changed")
                if e.data["agenda_item"] == "2.2"]
    assert added.data["agenda_action"] == "add"


@pytest.mark.parametrize("section", [1, 2, 4])
def test_a_proposal_goes_only_under_matters_for_consideration(scene, section):
    with pytest.raises(DomainError) as refused:
        scene.item(section, "Ban open burning", proposal=scene.proposal())
    assert refused.value.field == "proposal"
    assert count_rows(AgendaItem) == 0


@pytest.mark.parametrize("state", [ProposalState.DRAFT, ProposalState.WITHDRAWN])
def test_a_draft_or_withdrawn_proposal_cannot_come_before_the_meeting(scene, state):
    with pytest.raises(DomainError):
        scene.item(3, "Not yet", proposal=scene.proposal(state))


def test_another_groups_proposal_or_the_same_one_twice_is_refused(make, scene):
    with pytest.raises(DomainError):
        scene.item(3, "Elsewhere", proposal=make.proposal(state=ProposalState.OPEN))
    proposal = scene.proposal(ProposalState.OPEN)
    scene.item(3, "First", proposal=proposal)
    with pytest.raises(DomainError) as refused:
        scene.item(3, "Again", proposal=proposal)
    assert "3.1" in refused.value.message


def test_an_unknown_section_is_refused(scene):
    for section in (0, 5, True, "2"):
        with pytest.raises(DomainError) as refused:
            scene.item(section, "Nowhere")
        assert refused.value.field == "section"


def test_removing_an_item_numbers_the_rest_of_its_section_again(scene):
    scene.item(2, "A")
    middle = scene.item(2, "B")
    scene.item(2, "C")
    scene.item(3, "D")
    services.remove_item(item=middle, actor=scene.chair, now=utcnow())
    assert numbers(scene.meeting) == [("2.1", "A"), ("2.2", "C"), ("3.1", "D")]
    (entry,) = [e for e in log_of(scene.meeting.id, "meeting.agenda_changed")
                if e.data["agenda_action"] == "remove"]
    assert entry.data["agenda_item"] == "2.2" and entry.data["title"] == "B"


def test_moving_an_item_swaps_it_with_its_neighbour(scene):
    first = scene.item(2, "A")
    scene.item(2, "B")
    last = scene.item(2, "C")
    services.move_item(item=last, actor=scene.chair, direction="up", now=utcnow())
    assert numbers(scene.meeting) == [("2.1", "A"), ("2.2", "C"), ("2.3", "B")]
    services.move_item(item=db.session.get(AgendaItem, first.id), actor=scene.chair,
                       direction="down", now=utcnow())
    assert numbers(scene.meeting) == [("2.1", "C"), ("2.2", "A"), ("2.3", "B")]
    top = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.title == "C"))
    with pytest.raises(DomainError):
        services.move_item(item=top, actor=scene.chair, direction="up", now=utcnow())
    with pytest.raises(DomainError):
        services.move_item(item=top, actor=scene.chair, direction="sideways", now=utcnow())


def test_a_new_section_puts_the_item_at_its_end_and_closes_the_gap(scene):
    moved = scene.item(2, "A")
    scene.item(2, "B")
    scene.item(4, "C")
    proposal = scene.proposal()
    services.edit_item(item=moved, actor=scene.chair, section=3, title="A now considered",
                       proposal=proposal, now=utcnow())
    assert numbers(scene.meeting) == [("2.1", "B"), ("3.1", "A now considered"), ("4.1", "C")]
    services.edit_item(item=db.session.get(AgendaItem, moved.id), actor=scene.chair,
                       section=4, title="A at the end", proposal=None, now=utcnow())
    assert numbers(scene.meeting) == [("2.1", "B"), ("4.1", "C"), ("4.2", "A at the end")]


def test_a_resolution_in_words_is_recorded_once_the_meeting_has_started(scene):
    item = scene.item(2, "รายงานสถานการณ์ฝุ่น")
    with pytest.raises(DomainError) as refused:
        services.edit_item(item=item, actor=scene.chair, section=2, title=item.title,
                           resolution="ที่ประชุมรับทราบ", now=utcnow())
    assert refused.value.field == "resolution"
    changed = services.edit_item(item=item, actor=scene.chair, section=2, title=item.title,
                                 resolution="ที่ประชุมรับทราบ", now=scene.started())
    assert changed == ["resolution"] and item.resolution == "ที่ประชุมรับทราบ"
    (entry,) = log_of(scene.meeting.id, "meeting.resolution_recorded")
    assert entry.data["agenda_item"] == "2.1" and entry.data["length"] == len("ที่ประชุมรับทราบ")


def test_only_the_chair_and_secretariat_change_the_agenda(scene):
    item = scene.item(2, "A")
    with pytest.raises(NotAllowed):
        services.add_item(meeting=scene.meeting, actor=scene.member, section=2, title="B",
                          now=utcnow())
    with pytest.raises(NotAllowed):
        services.remove_item(item=item, actor=scene.outsider, now=utcnow())


# Attendance and quorum


def test_attendance_names_the_holder_or_the_deputy_and_counts_towards_the_quorum(scene):
    counts = services.record_attendance(
        meeting=scene.meeting, actor=scene.secretary, now=scene.started(),
        marks=scene.marks(chair=P, secretary=P, member=E, represented=D),
    )
    assert counts == {"present": 2, "absent": 2, "excused": 1, "deputy": 1}
    rows = {row.seat_id: row for row in db.session.scalars(sa.select(Attendance))}
    assert rows[scene.seat(scene.chair).id].attendee_id == scene.chair.id
    assert rows[scene.seat(scene.represented).id].attendee_id == scene.deputy.id
    assert rows[scene.vacant.id].attendee_id is None
    (entry,) = log_of(scene.meeting.id, "meeting.attendance_recorded")
    assert entry.data["attendance"] == counts
    meeting = queries.get_meeting(scene.meeting.id)
    quorum = queries.quorum(queries.attendance_rows(meeting, queries.group_seats(
        scene.group.id)))
    # Voting seats: chair, member, represented, other member, vacant. The secretary is not one.
    assert (quorum.present, quorum.voting, quorum.needed, quorum.met) == (2, 5, 3, False)


def test_recording_again_replaces_the_attendance(scene):
    services.record_attendance(meeting=scene.meeting, actor=scene.secretary,
                               now=scene.started(), marks=scene.marks(chair=P))
    services.record_attendance(meeting=scene.meeting, actor=scene.secretary,
                               now=scene.started(),
                               marks=scene.marks(chair=P, member=P, represented=D))
    assert count_rows(Attendance) == 6
    rows = queries.attendance_rows(queries.get_meeting(scene.meeting.id),
                                   queries.group_seats(scene.group.id))
    quorum = queries.quorum(rows)
    assert (quorum.present, quorum.needed, quorum.met) == (3, 3, True)


@pytest.mark.parametrize(("voting", "present", "met"), [
    (4, 2, True), (4, 1, False), (5, 3, True), (5, 2, False), (0, 0, False)])
def test_the_quorum_is_at_least_half_of_the_voting_seats(voting, present, met):
    quorum = queries.Quorum(present=present, voting=voting)
    assert quorum.met is met
    assert quorum.needed == (voting + 1) // 2


@pytest.mark.parametrize(("marks", "seat_name"), [
    ({"chair": D}, "chair"),  # the chair's seat has no deputy
    ({"vacant": P}, "vacant"),  # nobody holds the vacant seat
])
def test_attendance_the_seat_cannot_have_is_refused_naming_the_seat(scene, marks, seat_name):
    with pytest.raises(services.InvalidAttendance) as refused:
        services.record_attendance(meeting=scene.meeting, actor=scene.secretary,
                                   now=scene.started(), marks=scene.marks(**marks))
    seat = scene.vacant if seat_name == "vacant" else scene.seat(scene.chair)
    assert refused.value.seat_id == seat.id
    assert count_rows(Attendance) == 0


def test_attendance_needs_every_seat_once_and_a_started_meeting(scene):
    marks = scene.marks(chair=P)
    for wrong in (marks[:-1], [*marks, marks[0]]):
        with pytest.raises(services.InvalidAttendance):
            services.record_attendance(meeting=scene.meeting, actor=scene.secretary,
                                       now=scene.started(), marks=wrong)
    with pytest.raises(DomainError):
        services.record_attendance(meeting=scene.meeting, actor=scene.secretary,
                                   now=utcnow(), marks=marks)
    with pytest.raises(NotAllowed):
        services.record_attendance(meeting=scene.meeting, actor=scene.member,
                                   now=scene.started(), marks=marks)
    assert count_rows(Attendance) == 0


def test_a_seat_with_recorded_attendance_cannot_be_removed_from_the_group(scene, make):
    services.record_attendance(meeting=scene.meeting, actor=scene.secretary,
                               now=scene.started(), marks=scene.marks(chair=P))
    with pytest.raises(DomainError):
        groups.remove_seat(seat=scene.vacant, actor=make.user(is_admin=True), now=utcnow())


# A ballot opened from an agenda item


def test_the_decision_of_a_ballot_opened_from_an_item_is_its_resolution(scene):
    proposal = scene.proposal(title="Ban open burning in Mae Mo")
    item = scene.item(3, "Ban open burning in Mae Mo", proposal=proposal)
    now = scene.started()
    ballot = votes.open_ballot(proposal=proposal, actor=scene.secretary, agenda_item=item,
                               closes_at=now + timedelta(hours=1), now=now)
    assert ballot.agenda_item_id == item.id
    for voter, choice in ((scene.chair, VoteChoice.YES), (scene.member, VoteChoice.YES),
                          (scene.other_member, VoteChoice.NO)):
        votes.cast_vote(ballot=ballot, member=voter, choice=choice, now=now)
    decision = votes.close_ballot(ballot=ballot, actor=scene.chair, now=now)
    assert item.decision_id == decision.id
    (entry,) = log_of(scene.meeting.id, "meeting.resolution_recorded")
    assert entry.data == {"item_id": item.id, "agenda_item": "3.1", "ballot_id": ballot.id,
                          "decision_id": decision.id, "result": "adopted"}
    assert queries.item_of_decision(decision.id) == item
    with pytest.raises(DomainError):
        services.remove_item(item=item, actor=scene.chair, now=now)


def test_a_ballot_cannot_be_opened_from_an_item_about_another_proposal(scene):
    proposal, other = scene.proposal(), scene.proposal()
    item = scene.item(3, "Other", proposal=other)
    plain = scene.item(2, "For information")
    for wrong in (item, plain):
        with pytest.raises(DomainError):
            votes.open_ballot(proposal=proposal, actor=scene.secretary, agenda_item=wrong,
                              closes_at=in_days(8), now=utcnow())


def test_an_item_already_decided_opens_no_second_ballot(scene, make):
    proposal = scene.proposal()
    item = scene.item(3, "Decided", proposal=proposal)
    item.decision_id = make.decision(group=scene.group).id
    db.session.flush()
    with pytest.raises(DomainError):
        votes.open_ballot(proposal=proposal, actor=scene.secretary, agenda_item=item,
                          closes_at=in_days(8), now=utcnow())


def test_a_ballot_opened_without_an_item_leaves_the_agenda_alone(scene):
    proposal = scene.proposal()
    item = scene.item(3, "Considered", proposal=proposal)
    now = utcnow()
    ballot = votes.open_ballot(proposal=proposal, actor=scene.secretary,
                               closes_at=now + timedelta(hours=1), now=now)
    votes.close_ballot(ballot=ballot, actor=scene.chair, now=now)
    assert item.decision_id is None
    assert not log_of(scene.meeting.id, "meeting.resolution_recorded")


# Approved minutes


def test_once_the_minutes_are_approved_the_services_refuse_every_change(scene):
    item = scene.item(2, "Kept")
    later = scene.schedule(starts_at=in_days(30))
    meeting = scene.meeting
    meeting.status = MeetingStatus.HELD
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.approved_at_meeting_id = later.id
    db.session.flush()
    now = scene.started()
    attempts = [
        lambda: scene.item(2, "New"),
        lambda: services.edit_item(item=item, actor=scene.chair, section=2, title="Changed",
                                   now=now),
        lambda: services.remove_item(item=item, actor=scene.chair, now=now),
        lambda: services.move_item(item=item, actor=scene.chair, direction="down", now=now),
        lambda: services.record_attendance(meeting=meeting, actor=scene.chair, now=now,
                                           marks=scene.marks(chair=P)),
        lambda: services.edit_meeting(meeting=meeting, actor=scene.chair, title="x",
                                      starts_at=meeting.starts_at, place="Hall", now=now),
    ]
    for attempt in attempts:
        with pytest.raises(services.MeetingFinal):
            attempt()
    assert numbers(meeting) == [("2.1", "Kept")]
    assert count_rows(Attendance) == 0
