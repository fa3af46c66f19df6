"""Who may offer and edit volunteer tasks, and who may sign up. Pure predicates."""

from __future__ import annotations

from datetime import datetime

from participation.accounts.models import User
from participation.accounts.permissions import can_take_part, is_agency_contact_for
from participation.commitments.models import Commitment
from participation.commitments.permissions import can_manage_commitment
from participation.volunteering.models import VolunteerTask


def can_organise_tasks(user: User | None, commitment: Commitment) -> bool:
    """The group's secretariat or chair, or a contact person of the commitment's lead agency,
    offer and edit its volunteer tasks and see who signed up."""
    return can_manage_commitment(user, commitment) or is_agency_contact_for(
        user, commitment.lead_organisation_id
    )


def can_sign_up(user: User | None, task: VolunteerTask, now: datetime) -> bool:
    """Anyone signed in with a confirmed address, until the task starts."""
    return can_take_part(user) and now < task.starts_at
