"""Fixtures shared by the proposal and comment tests: a cast of roles and their proposals."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from participation.accounts.models import Sector, User
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole, WorkingGroup
from participation.proposals.models import Category, Proposal, ProposalState

ROLES = ("author", "secretary", "assistant", "chair", "vice_chair", "member", "outsider",
         "admin")
MANAGERS = ("secretary", "assistant", "chair")


@dataclass
class Cast:
    group: WorkingGroup
    category: Category
    author: User
    secretary: User
    assistant: User
    chair: User
    vice_chair: User
    member: User
    outsider: User
    admin: User

    def __getitem__(self, role: str) -> User:
        return getattr(self, role)


@pytest.fixture
def cast(make) -> Cast:
    """A working group with one person in each role, a category and an outside author."""
    group = make.group()
    organisation = make.organisation(sector=Sector.CIVIL_SOCIETY)
    return Cast(
        group=group,
        category=make.category(),
        author=make.user(display_name="Somchai Author", sector=Sector.CIVIL_SOCIETY,
                         organisation=organisation),
        secretary=make.member(group, role=SeatRole.SECRETARY),
        assistant=make.member(group, role=SeatRole.ASSISTANT_SECRETARY),
        chair=make.member(group, role=SeatRole.CHAIR),
        vice_chair=make.member(group, role=SeatRole.VICE_CHAIR),
        member=make.member(group),
        outsider=make.user(),
        admin=make.user(is_admin=True),
    )


def proposal_in(make, state: ProposalState, *, cast: Cast, **fields) -> Proposal:
    """A proposal of the cast's group by the cast's author, placed directly in a state."""
    if state == ProposalState.MERGED:
        target = make.proposal(group=cast.group, category=cast.category,
                               state=ProposalState.OPEN)
        proposal = make.proposal(group=cast.group, author=cast.author, category=cast.category,
                                 state=ProposalState.OPEN, **fields)
        proposal.state, proposal.merged_into_id = ProposalState.MERGED, target.id
        proposal.updated_at = utcnow()
        db.session.flush()
        return proposal
    return make.proposal(group=cast.group, author=cast.author, category=cast.category,
                         state=state, **fields)

