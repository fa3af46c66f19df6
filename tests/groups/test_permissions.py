"""The group predicates over every kind of person."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from participation.groups import permissions
from participation.groups.models import SeatRole


@pytest.mark.parametrize(
    ("who", "member", "voting", "secretariat", "manager", "admin"),
    [
        ("anonymous", False, False, False, False, False),
        ("participant", False, False, False, False, False),
        ("member", True, True, False, False, False),
        ("chair", True, True, False, True, False),
        ("secretary", True, False, True, True, False),
        ("admin", False, False, False, False, True),
    ],
)
def test_role_predicates(make, who, member, voting, secretariat, manager, admin):
    group = make.group()
    if who == "anonymous":
        user = AnonymousUserMixin()
    elif who == "participant":
        user = make.user()
    elif who == "admin":
        user = make.user(is_admin=True)
    else:
        role = {"member": SeatRole.MEMBER, "chair": SeatRole.CHAIR,
                "secretary": SeatRole.SECRETARY}[who]
        user = make.member(group, role=role)

    assert permissions.is_member(user, group.id) is member
    assert permissions.votes_in_group(user, group.id) is voting
    assert permissions.is_secretariat(user, group.id) is secretariat
    assert permissions.can_manage_group(user, group.id) is manager
    assert permissions.is_admin(user) is admin
    assert permissions.can_administer_groups(user) is admin
    assert permissions.is_admin(None) is False
