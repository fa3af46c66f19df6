"""Fixtures for the groups tests."""

from __future__ import annotations

import pytest

from participation.core.models import utcnow
from participation.extensions import db as _db


@pytest.fixture
def admin(make, login, db):
    """An administrator, logged in; setup is committed so a view's rollback keeps it."""
    user = make.user(is_admin=True, display_name="Admin Person")
    db.session.commit()
    login(user)
    return user


@pytest.fixture
def cast_vote_from(make):
    """Record a vote from a seat directly (votes.services tests the voting rules)."""
    from participation.votes.models import Ballot, Vote, VoteChoice

    def cast(seat):
        proposal = make.proposal(group=seat.group)
        ballot = Ballot(
            proposal_id=proposal.id, group_id=seat.group_id, opened_by_id=proposal.author_id,
            closes_at=utcnow(), quorum=1,
        )
        _db.session.add(ballot)
        _db.session.flush()
        vote = Vote(ballot_id=ballot.id, seat_id=seat.id, voter_id=seat.holder_id,
                    choice=VoteChoice.YES)
        _db.session.add(vote)
        _db.session.flush()
        return vote

    return cast
