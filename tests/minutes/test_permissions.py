"""Who may read, write, publish, approve and correct minutes, for every role and every state."""

from __future__ import annotations

import pytest

from participation.meetings.models import MeetingStatus, MinutesStatus
from participation.minutes.permissions import (
    can_approve_minutes,
    can_correct_minutes,
    can_edit_minutes,
    can_publish_minutes,
    can_read_minutes,
)

ROLES = ("visitor", "outsider", "admin", "member", "deputy", "chair", "secretary")
MANAGERS = {"chair", "secretary"}
STATES = [
    (MeetingStatus.PLANNED, MinutesStatus.DRAFT),
    (MeetingStatus.CANCELLED, MinutesStatus.DRAFT),
    (MeetingStatus.HELD, MinutesStatus.DRAFT),
    (MeetingStatus.HELD, MinutesStatus.PUBLISHED),
    (MeetingStatus.HELD, MinutesStatus.APPROVED),
]


def person(scene, make, role: str):
    if role == "visitor":
        return None
    if role == "admin":
        return make.user(is_admin=True)
    return getattr(scene, role)


def expected(predicate: str, role: str, status: MeetingStatus, minutes: MinutesStatus) -> bool:
    manager = role in MANAGERS
    held = status == MeetingStatus.HELD
    return {
        "read": minutes != MinutesStatus.DRAFT or manager,
        "edit": manager and held and minutes != MinutesStatus.APPROVED,
        "publish": manager and held and minutes == MinutesStatus.DRAFT,
        "approve": manager and minutes == MinutesStatus.PUBLISHED,
        "correct": manager and minutes == MinutesStatus.APPROVED,
    }[predicate]


PREDICATES = {
    "read": can_read_minutes,
    "edit": can_edit_minutes,
    "publish": can_publish_minutes,
    "approve": can_approve_minutes,
    "correct": can_correct_minutes,
}


@pytest.mark.parametrize(("status", "minutes"), STATES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_in_each_state(scene, make, role, status, minutes, db):
    user = person(scene, make, role)
    # The predicates read the meeting's fields only: the state is set without being stored.
    with db.session.no_autoflush:
        scene.meeting.status = status
        scene.meeting.minutes_status = minutes
        for name, predicate in PREDICATES.items():
            assert predicate(user, scene.meeting) == expected(name, role, status, minutes), name
        db.session.expire(scene.meeting)
