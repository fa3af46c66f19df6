"""Who may schedule and run a group's meetings. Pure predicates over seats and the meeting."""

from __future__ import annotations

from datetime import datetime

from participation.accounts.models import User
from participation.groups.permissions import can_manage_group
from participation.meetings.models import Meeting, MeetingStatus, MinutesStatus


def can_schedule_meeting(user: User | None, group_id: int) -> bool:
    """The group's chair and secretariat call its meetings."""
    return can_manage_group(user, group_id)


def can_manage_meeting(user: User | None, meeting: Meeting) -> bool:
    """The group's chair and secretariat run the meeting, whatever its state."""
    return can_manage_group(user, meeting.group_id)


def is_final(meeting: Meeting) -> bool:
    """A cancelled meeting, or one whose minutes are approved, is part of the record as it is."""
    return (
        meeting.status == MeetingStatus.CANCELLED
        or meeting.minutes_status == MinutesStatus.APPROVED
    )


def can_edit_meeting(user: User | None, meeting: Meeting) -> bool:
    return can_manage_meeting(user, meeting) and not is_final(meeting)


def can_cancel_meeting(user: User | None, meeting: Meeting) -> bool:
    """Only a meeting still planned can be called off."""
    return can_manage_meeting(user, meeting) and meeting.status == MeetingStatus.PLANNED


def can_mark_held(user: User | None, meeting: Meeting, now: datetime) -> bool:
    """A planned meeting is marked held once it has started."""
    return (
        can_manage_meeting(user, meeting)
        and meeting.status == MeetingStatus.PLANNED
        and meeting.starts_at <= now
    )


def can_edit_agenda(user: User | None, meeting: Meeting) -> bool:
    """The agenda changes until the meeting is cancelled or its minutes are approved."""
    return can_edit_meeting(user, meeting)


def can_record_attendance(user: User | None, meeting: Meeting, now: datetime) -> bool:
    """Attendance is taken once the meeting has started, until its minutes are approved."""
    return can_edit_meeting(user, meeting) and meeting.starts_at <= now
