"""Who may confirm or dispute progress, answer a dispute and assess a commitment."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.permissions import (
    can_take_part,
    is_agency_contact_for,
    is_signed_in,
)
from participation.commitments.models import Commitment, ProgressUpdate
from participation.evaluations.models import AssessmentKind, Review, ReviewKind
from participation.evaluations.queries import civil_society_seat


def can_review(user: User | None, update: ProgressUpdate) -> bool:
    """Any signed-in participant with a confirmed address but the update's author confirms or
    disputes it."""
    return can_take_part(user) and user.id != update.author_id


def can_answer(user: User | None, review: Review, commitment: Commitment) -> bool:
    """The lead agency's contacts answer an unanswered dispute, once."""
    return (
        review.kind == ReviewKind.DISPUTE
        and review.answered_at is None
        and is_agency_contact_for(user, commitment.lead_organisation_id)
    )


def assessment_kinds(user: User | None, commitment: Commitment) -> list[AssessmentKind]:
    """The kinds of assessment this person may record: a self-assessment as the lead agency's
    contact, an independent one as holder or deputy of a civil-society seat of the group."""
    if not is_signed_in(user):
        return []
    kinds = []
    if is_agency_contact_for(user, commitment.lead_organisation_id):
        kinds.append(AssessmentKind.SELF)
    if civil_society_seat(user, commitment.group_id) is not None:
        kinds.append(AssessmentKind.INDEPENDENT)
    return kinds


def can_assess(user: User | None, commitment: Commitment, kind: AssessmentKind) -> bool:
    return kind in assessment_kinds(user, commitment)
