"""Who may publish a checkpoint of the log on demand. Pure predicates."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.permissions import is_admin


def can_publish_checkpoint(user: User | None) -> bool:
    """Administrators publish a checkpoint between the daily ones."""
    return is_admin(user)
