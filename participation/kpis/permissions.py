"""Who may define KPIs and record their values. Pure predicates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from participation.accounts.models import User
from participation.accounts.permissions import is_admin, is_agency_contact_for
from participation.groups.permissions import can_manage_group

if TYPE_CHECKING:
    from participation.kpis.models import Kpi


def can_manage_kpis(user: User | None, group_id: int) -> bool:
    """The group's secretariat or chair, or an administrator, define and edit its KPIs."""
    return is_admin(user) or can_manage_group(user, group_id)


def can_record_measurement(user: User | None, kpi: Kpi) -> bool:
    """Those who manage the group's KPIs, or a contact person of one of the KPI's owners."""
    if can_manage_kpis(user, kpi.group_id):
        return True
    return any(is_agency_contact_for(user, owner.id) for owner in kpi.owners)
