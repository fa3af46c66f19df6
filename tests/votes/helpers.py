"""A working group ready to vote, shared by the vote and decision tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from participation.accounts.models import Sector, User
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups import services as groups
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


def committee(make, *, state: ProposalState = ProposalState.UNDER_CONSIDERATION,
              sectors: tuple[Sector, ...] = (Sector.GOVERNMENT,) * 3) -> Committee:
    """A group with a non-voting secretary, a voting chair (government) and three voting
    members (of the given sectors), and a proposal in the given state; committed (inside the
    test's transaction)."""
    group = make.group()
    chair = make.member(group, role=SeatRole.CHAIR)
    members = [make.member(group, sector=sector) for sector in sectors]
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


# Chair government; members civil society, private sector, government.
MIXED = (Sector.CIVIL_SOCIETY, Sector.PRIVATE, Sector.GOVERNMENT)


def name_deputy(make, c: Committee, seat_index: int = 1):
    """Name a new person deputy of one of the committee's seats (by position: 0 is the
    chair's), through the service; committed. Return the deputy and the seat."""
    seat = c.group.seats[seat_index]
    deputy = make.user(display_name=f"Deputy of seat {seat_index}")
    groups.name_deputy(seat=seat, deputy=deputy, actor=None, now=utcnow())
    db.session.commit()
    return deputy, seat


def in_days(days: float) -> datetime:
    return utcnow() + timedelta(days=days)
