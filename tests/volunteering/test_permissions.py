"""Who organises a commitment's volunteer tasks, and who may sign up, over every role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from participation.volunteering.permissions import can_organise_tasks, can_sign_up
from tests.volunteering.scene import Scene


@pytest.fixture
def scene(make, db):
    made = Scene(make)
    db.session.commit()
    return made


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("secretary", True),
        ("chair", True),
        ("contact", True),          # the lead agency's contact person
        ("member", False),          # a voting member who does not manage the group
        ("other_contact", False),   # another agency's contact person
        ("citizen", False),
        ("admin", False),           # administering the site is not organising a commitment
        ("visitor", False),
    ],
)
def test_who_organises_volunteer_tasks(scene, make, who, allowed):
    users = {
        "citizen": make.user(),
        "admin": make.user(is_admin=True),
        "visitor": AnonymousUserMixin(),
    }
    user = users[who] if who in users else getattr(scene, who)
    assert can_organise_tasks(user, scene.commitment) is allowed


@pytest.mark.parametrize(
    ("who", "hours_after_start", "allowed"),
    [
        ("citizen", -1, True),
        ("secretary", -1, True),
        ("visitor", -1, False),
        ("citizen", 0, False),
        ("citizen", 1, False),
    ],
)
def test_anyone_signed_in_signs_up_until_the_task_starts(
    scene, make, who, hours_after_start, allowed
):
    task = scene.task()
    user = {"citizen": make.user(), "secretary": scene.secretary,
            "visitor": AnonymousUserMixin()}[who]
    now = task.starts_at + timedelta(hours=hours_after_start)
    assert can_sign_up(user, task, now) is allowed
