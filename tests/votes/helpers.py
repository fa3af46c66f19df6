"""A working group ready to vote, shared by the vote and decision tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from participation.accounts.models import User
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole, WorkingGroup
from participation.proposals.models import Proposal, ProposalState
from participation.votes import services
from participation.votes.models import Ballot


@dataclass
class Committee:
    group: WorkingGroup
    secretary: User
    chair: User
    members: list[User]
    outsider: User
    proposal: Proposal

    @property
    def voters(self) -> list[User]:
        """Everyone with a voting seat: the chair and the members (4 seats, quorum 3)."""
        return [self.chair, *self.members]

    def open_ballot(self, *, closes_at: datetime | None = None, **options) -> Ballot:
        """Open a ballot on the proposal as the secretary, through the service; it closes in
        three days unless told otherwise."""
        return services.open_ballot(proposal=self.proposal, actor=self.secretary,
                                    closes_at=closes_at or in_days(3), now=utcnow(), **options)


def committee(make, *, state: ProposalState = ProposalState.UNDER_CONSIDERATION) -> Committee:
    """A group with a non-voting secretary, a voting chair and three voting members, and a
    proposal in the given state; committed (inside the test's transaction)."""
    group = make.group()
    chair = make.member(group, role=SeatRole.CHAIR)
    members = [make.member(group) for _ in range(3)]
    secretary = make.member(group, role=SeatRole.SECRETARY)
    result = Committee(
        group=group,
        secretary=secretary,
        chair=chair,
        members=members,
        outsider=make.user(),
        proposal=make.proposal(group=group, state=state, title="Publish PM2.5 readings daily"),
    )
    # A view that rolls back after a refusal rolls back to the last commit; in the test
    # transaction a commit only releases a savepoint, so the rows stay for the test.
    db.session.commit()
    return result


def in_days(days: float) -> datetime:
    return utcnow() + timedelta(days=days)
