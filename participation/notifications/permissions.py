"""Who may follow what, and whose notifications are whose. Pure predicates."""

from __future__ import annotations

from typing import Any

from participation.accounts.models import User
from participation.accounts.permissions import is_signed_in
from participation.notifications.models import FollowedType, Notification
from participation.proposals.permissions import can_view


def can_follow(user: User | None, kind: FollowedType, subject: Any) -> bool:
    """Anyone signed in follows what they can see: a draft proposal only its author (and the
    few others who may see a draft)."""
    if not is_signed_in(user):
        return False
    if kind == FollowedType.PROPOSAL:
        return can_view(user, subject)
    return True


def can_unfollow(user: User | None) -> bool:
    """Anyone signed in may stop following (their own follow), whatever the subject became."""
    return is_signed_in(user)


def owns_notification(user: User | None, notification: Notification) -> bool:
    """A notification is read, and marked read, only by the person it was written for."""
    return is_signed_in(user) and notification.user_id == user.id
