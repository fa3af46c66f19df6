"""Who may read, write, publish, approve and correct a meeting's minutes. Pure predicates."""

from __future__ import annotations

from participation.accounts.models import User
from participation.groups.permissions import can_manage_group
from participation.meetings.models import Meeting, MeetingStatus, MinutesStatus


def can_manage_minutes(user: User | None, meeting: Meeting) -> bool:
    """The group's secretariat and chair keep the minutes of its meetings."""
    return can_manage_group(user, meeting.group_id)


def can_read_minutes(user: User | None, meeting: Meeting) -> bool:
    """Published and approved minutes are public; a draft is for those who keep it."""
    if meeting.minutes_status != MinutesStatus.DRAFT:
        return True
    return can_manage_minutes(user, meeting)


def can_edit_minutes(user: User | None, meeting: Meeting) -> bool:
    """Minutes of a held meeting are written and edited until they are approved."""
    return (
        meeting.status == MeetingStatus.HELD
        and meeting.minutes_status != MinutesStatus.APPROVED
        and can_manage_minutes(user, meeting)
    )


def can_publish_minutes(user: User | None, meeting: Meeting) -> bool:
    return (
        meeting.status == MeetingStatus.HELD
        and meeting.minutes_status == MinutesStatus.DRAFT
        and can_manage_minutes(user, meeting)
    )


def can_approve_minutes(user: User | None, meeting: Meeting) -> bool:
    """Published minutes are approved (รับรอง) at a later meeting of the group."""
    return meeting.minutes_status == MinutesStatus.PUBLISHED and can_manage_minutes(user, meeting)


def can_correct_minutes(user: User | None, meeting: Meeting) -> bool:
    """Approved minutes never change: a correction is added to the accountability log."""
    return meeting.minutes_status == MinutesStatus.APPROVED and can_manage_minutes(user, meeting)
