"""Reads for the home page: what is being decided now, what was decided, whether it is done."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.accountability.services import head
from participation.commitments.models import Commitment
from participation.decisions.models import Decision
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalState
from participation.proposals.queries import visible_proposal
from participation.votes.models import Ballot, BallotStatus

ACTIVE_STATES = (ProposalState.OPEN, ProposalState.UNDER_CONSIDERATION)


@dataclass(frozen=True)
class OpenBallot:
    ballot: Ballot
    proposal: Proposal


@dataclass(frozen=True)
class HomeSummary:
    proposals: list[Proposal]
    proposal_counts: dict[ProposalState, int]
    ballots: list[OpenBallot]
    decisions: list[Decision]
    commitments: list[Commitment]
    log_entries: int
    log_head: str

    @property
    def active_proposals(self) -> int:
        return sum(self.proposal_counts.get(state, 0) for state in ACTIVE_STATES)


def home_summary(*, limit: int = 5) -> HomeSummary:
    """Gather the home page in a fixed number of queries, whatever the amount of data."""
    proposals = list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.state.in_(ACTIVE_STATES), visible_proposal())
            .options(joinedload(Proposal.category))
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
            .limit(limit)
        )
    )
    counts = {
        state: count
        for state, count in db.session.execute(
            sa.select(Proposal.state, sa.func.count(Proposal.id))
            .where(Proposal.state.in_(ACTIVE_STATES), visible_proposal())
            .group_by(Proposal.state)
        )
    }
    ballots = [
        OpenBallot(ballot=ballot, proposal=proposal)
        for ballot, proposal in db.session.execute(
            sa.select(Ballot, Proposal)
            .join(Proposal, Proposal.id == Ballot.proposal_id)
            .where(Ballot.status == BallotStatus.OPEN)
            .order_by(Ballot.closes_at, Ballot.id)
            .limit(limit)
        )
    ]
    decisions = list(
        db.session.scalars(
            sa.select(Decision)
            .options(joinedload(Decision.proposal))
            .order_by(Decision.decided_at.desc(), Decision.id.desc())
            .limit(limit)
        )
    )
    commitments = list(
        db.session.scalars(
            sa.select(Commitment)
            .options(joinedload(Commitment.lead_organisation))
            .order_by(Commitment.updated_at.desc(), Commitment.id.desc())
            .limit(limit)
        )
    )
    log_entries, log_head = head()
    return HomeSummary(
        proposals=proposals,
        proposal_counts=counts,
        ballots=ballots,
        decisions=decisions,
        commitments=commitments,
        log_entries=log_entries,
        log_head=log_head,
    )
