"""Who may import environmental data files. Pure predicates."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.permissions import is_admin
from participation.groups.queries import seats_of


def can_import_data(user: User | None) -> bool:
    """An administrator, or anyone holding a secretariat seat in any working group."""
    if is_admin(user):
        return True
    return any(seat.role.is_secretariat for seat in seats_of(user).values())
