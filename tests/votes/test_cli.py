"""The close-due-ballots command."""

from __future__ import annotations

import sqlalchemy as sa

from participation.extensions import db
from participation.proposals.models import ProposalState
from participation.votes.models import Ballot, BallotResult, BallotStatus
from tests.votes.helpers import committee, in_days


def test_close_due_ballots_closes_the_due_ballots_and_says_how_many(make, runner):
    c = committee(make)
    due = make.ballot(c.proposal, opened_by=c.secretary, closes_at=in_days(-1), quorum=2)
    for seat in c.group.seats[:2]:  # the chair's and the first member's
        make.vote(seat, ballot=due)
    other = committee(make)
    running = make.ballot(other.proposal, opened_by=other.secretary, closes_at=in_days(1))
    db.session.flush()

    result = runner.invoke(args=["close-due-ballots"])
    assert result.exit_code == 0, result.output
    assert "Closed 1 ballot." in result.output

    due = db.session.scalars(
        sa.select(Ballot).where(Ballot.id == due.id).execution_options(populate_existing=True)
    ).one()
    assert due.status == BallotStatus.CLOSED and due.result == BallotResult.ADOPTED
    db.session.refresh(c.proposal)
    assert c.proposal.state == ProposalState.ADOPTED
    db.session.refresh(running)
    assert running.status == BallotStatus.OPEN

    again = runner.invoke(args=["close-due-ballots"])
    assert "Closed 0 ballots." in again.output
