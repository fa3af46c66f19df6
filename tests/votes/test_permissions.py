"""Who may open, close and vote: every role against every state."""

from __future__ import annotations

import pytest

from participation.proposals.models import ProposalState
from participation.votes.models import BallotStatus
from participation.votes.permissions import can_close_ballot, can_open_ballot, can_vote
from tests.votes.helpers import committee

ROLES = ["secretary", "chair", "member", "outsider", "anonymous"]


def person(c, role):
    return {"secretary": c.secretary, "chair": c.chair, "member": c.members[0],
            "outsider": c.outsider, "anonymous": None}[role]


@pytest.mark.parametrize("role", ROLES)
# A merged proposal needs a target; the factory places proposals in the other states.
@pytest.mark.parametrize("state", [s for s in ProposalState if s != ProposalState.MERGED])
def test_can_open_ballot(make, role, state):
    c = committee(make, state=state)
    expected = role in ("secretary", "chair") and state == ProposalState.UNDER_CONSIDERATION
    assert can_open_ballot(person(c, role), c.proposal) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", list(BallotStatus))
def test_can_close_and_can_vote(make, role, status):
    c = committee(make)
    ballot = make.ballot(c.proposal, opened_by=c.secretary)
    ballot.status = status
    user = person(c, role)
    is_open = status == BallotStatus.OPEN
    assert can_close_ballot(user, ballot) is (is_open and role in ("secretary", "chair"))
    # The secretary's seat does not vote; the chair's does.
    assert can_vote(user, ballot) is (is_open and role in ("chair", "member"))
