"""Who may open, close and vote on ballots. Pure predicates over seats and states."""

from __future__ import annotations

from participation.accounts.models import User
from participation.groups.permissions import can_manage_group, votes_in_group
from participation.proposals.models import Proposal, ProposalState
from participation.votes.models import Ballot, BallotStatus


def can_open_ballot(user: User | None, proposal: Proposal) -> bool:
    """The group's secretariat or chair, on a proposal under consideration."""
    return proposal.state == ProposalState.UNDER_CONSIDERATION and can_manage_group(
        user, proposal.group_id
    )


def can_close_ballot(user: User | None, ballot: Ballot) -> bool:
    """The group's secretariat or chair, while the ballot is open."""
    return ballot.status == BallotStatus.OPEN and can_manage_group(user, ballot.group_id)


def can_vote(user: User | None, ballot: Ballot) -> bool:
    """The holder of a voting seat in the ballot's group, or its deputy, while the ballot is
    open."""
    return ballot.status == BallotStatus.OPEN and votes_in_group(user, ballot.group_id)
