"""Who may create and manage commitments and post their progress."""

from __future__ import annotations

from participation.accounts.models import User
from participation.commitments.models import Commitment
from participation.decisions.models import Decision
from participation.groups.permissions import can_manage_group
from participation.votes.models import BallotResult


def can_create_commitment(user: User | None, decision: Decision) -> bool:
    """The group's secretariat or chair, on an adopted decision."""
    return decision.result == BallotResult.ADOPTED and can_manage_group(user, decision.group_id)


def can_manage_commitment(user: User | None, commitment: Commitment) -> bool:
    """The group's secretariat or chair add milestones and may post progress."""
    return can_manage_group(user, commitment.group_id)


def can_post_progress(user: User | None, commitment: Commitment) -> bool:
    """A contact person of the lead agency, or the group's secretariat or chair."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_agency_contact and user.organisation_id == commitment.lead_organisation_id:
        return True
    return can_manage_commitment(user, commitment)
