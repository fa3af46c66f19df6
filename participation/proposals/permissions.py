"""Who may do what with a proposal. Pure predicates over the user, the proposal and its state."""

from __future__ import annotations

from participation.accounts.models import User
from participation.accounts.permissions import can_take_part, is_signed_in
from participation.groups.permissions import can_manage_group, is_admin
from participation.proposals.models import Proposal, ProposalState

EDITABLE_STATES = frozenset({ProposalState.DRAFT, ProposalState.OPEN})
WITHDRAWABLE_STATES = frozenset(
    {ProposalState.DRAFT, ProposalState.OPEN, ProposalState.UNDER_CONSIDERATION}
)
MERGEABLE_STATES = frozenset({ProposalState.OPEN, ProposalState.UNDER_CONSIDERATION})
# The period in which people support and discuss a proposal.
PARTICIPATION_STATES = frozenset({ProposalState.OPEN, ProposalState.UNDER_CONSIDERATION})
# A proposal may be merged into another of its group unless that one is one of these.
UNFIT_MERGE_TARGET_STATES = frozenset(
    {ProposalState.DRAFT, ProposalState.WITHDRAWN, ProposalState.MERGED, ProposalState.REJECTED}
)



def is_author(user: User | None, proposal: Proposal) -> bool:
    return is_signed_in(user) and user.id == proposal.author_id


def can_manage(user: User | None, proposal: Proposal) -> bool:
    """The secretariat or the chair of the proposal's working group."""
    return is_signed_in(user) and can_manage_group(user, proposal.group_id)


def can_view(user: User | None, proposal: Proposal) -> bool:
    """Drafts are seen by their author, the group's secretariat and chair, and administrators."""
    if proposal.state != ProposalState.DRAFT:
        return True
    return is_author(user, proposal) or can_manage(user, proposal) or is_admin(user)


def can_edit(user: User | None, proposal: Proposal) -> bool:
    return is_author(user, proposal) and proposal.state in EDITABLE_STATES


def can_open(user: User | None, proposal: Proposal) -> bool:
    return is_author(user, proposal) and proposal.state == ProposalState.DRAFT


def can_start_consideration(user: User | None, proposal: Proposal) -> bool:
    return can_manage(user, proposal) and proposal.state == ProposalState.OPEN


def can_withdraw(user: User | None, proposal: Proposal) -> bool:
    """The author, before a decision; the service also refuses once a ballot was ever opened."""
    return is_author(user, proposal) and proposal.state in WITHDRAWABLE_STATES


def can_merge(user: User | None, proposal: Proposal) -> bool:
    return can_manage(user, proposal) and proposal.state in MERGEABLE_STATES


def can_support(user: User | None, proposal: Proposal) -> bool:
    """Any signed-in person with a confirmed address but the author, while the proposal is open
    or under consideration."""
    return (
        can_take_part(user)
        and not is_author(user, proposal)
        and proposal.state in PARTICIPATION_STATES
        and not proposal.is_hidden
    )


def can_manage_categories(user: User | None) -> bool:
    return is_admin(user)


def can_assign_agency(user: User | None, proposal: Proposal, answered: bool = False) -> bool:
    """The secretariat or chair, once the proposal is public and until it is answered."""
    return (
        can_manage(user, proposal)
        and proposal.state not in (ProposalState.DRAFT, ProposalState.WITHDRAWN)
        and not answered
    )
