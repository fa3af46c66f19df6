"""Who may record a decision's resolution."""

from __future__ import annotations

from participation.accounts.models import User
from participation.decisions.models import Decision
from participation.groups.permissions import can_manage_group


def can_record_resolution(user: User | None, decision: Decision) -> bool:
    """The group's secretariat or chair."""
    return can_manage_group(user, decision.group_id)
