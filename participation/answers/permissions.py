"""Who may give a proposal its official answer. Pure predicates over the user and the proposal."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.permissions import is_agency_contact_for, is_signed_in
from participation.answers.models import Answer
from participation.groups.permissions import can_manage_group
from participation.proposals.models import Proposal, ProposalState

# Proposals in these states need no official answer, so they are never overdue.
NEEDS_NO_ANSWER_STATES = frozenset(
    {ProposalState.DRAFT, ProposalState.WITHDRAWN, ProposalState.MERGED}
)


def may_answer(user: User | None, proposal: Proposal) -> bool:
    """The group's secretariat or chair, or a contact of the responsible agency."""
    return is_agency_contact_for(user, proposal.agency_id) or (
        is_signed_in(user) and can_manage_group(user, proposal.group_id)
    )


def can_answer(user: User | None, proposal: Proposal, answer: Answer | None) -> bool:
    """May answer, and the proposal awaits its one answer: opened for comment (it has a
    deadline), not withdrawn, not answered yet."""
    return (
        answer is None
        and proposal.answer_due_on is not None
        and proposal.state != ProposalState.WITHDRAWN
        and may_answer(user, proposal)
    )


def speaks_for(user: User, proposal: Proposal) -> int | None:
    """The organisation an answer by this user is given for: the responsible agency when they
    are its contact, else None (the group's secretariat)."""
    return proposal.agency_id if is_agency_contact_for(user, proposal.agency_id) else None
