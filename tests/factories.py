"""Factories for test rows. Each returns a flushed object; nothing is committed."""

from __future__ import annotations

from functools import cache
from itertools import count

from participation.accounts.models import Organisation, Sector, User
from participation.core.models import utcnow
from participation.core.security import hash_password
from participation.extensions import db
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.proposals.models import Category, Proposal, ProposalRevision, ProposalState

PASSWORD = "correct horse battery staple"
_serial = count(1)


@cache
def password_hash() -> str:
    """Hash once per run: argon2 is deliberately slow."""
    return hash_password(PASSWORD)


class Factories:
    def organisation(self, *, name_th: str | None = None, sector: Sector = Sector.GOVERNMENT,
                     name_en: str | None = None) -> Organisation:
        n = next(_serial)
        org = Organisation(
            name_th=name_th or f"หน่วยงานทดสอบ {n}",
            name_en=name_en or f"Test agency {n}",
            sector=sector,
        )
        db.session.add(org)
        db.session.flush()
        return org

    def user(self, *, email: str | None = None, display_name: str | None = None,
             sector: Sector = Sector.CITIZEN, organisation: Organisation | None = None,
             is_admin: bool = False, is_agency_contact: bool = False) -> User:
        n = next(_serial)
        user = User(
            email=email or f"person{n}@example.org",
            password_hash=password_hash(),
            display_name=display_name or f"Person {n}",
            sector=sector,
            organisation=organisation,
            is_admin=is_admin,
            is_agency_contact=is_agency_contact,
        )
        db.session.add(user)
        db.session.flush()
        return user

    def agency_contact(self, organisation: Organisation) -> User:
        return self.user(sector=Sector.GOVERNMENT, organisation=organisation,
                         is_agency_contact=True)

    def group(self, *, voting_members: int = 0) -> WorkingGroup:
        """A working group; with voting_members, that many member seats with holders."""
        n = next(_serial)
        group = WorkingGroup(name_th=f"คณะทำงานทดสอบ {n}", name_en=f"Test working group {n}")
        db.session.add(group)
        db.session.flush()
        for _ in range(voting_members):
            self.member(group)
        return group

    def seat(self, group: WorkingGroup, *, role: SeatRole = SeatRole.MEMBER,
             holder: User | None = None, sector: Sector = Sector.GOVERNMENT,
             organisation: Organisation | None = None, voting: bool | None = None) -> Seat:
        seat = Seat(
            group=group,
            role=role,
            holder=holder,
            sector=sector,
            organisation=organisation,
            voting=(not role.is_secretariat) if voting is None else voting,
            position=len(group.seats),
        )
        db.session.add(seat)
        db.session.flush()
        return seat

    def member(self, group: WorkingGroup, *, role: SeatRole = SeatRole.MEMBER,
               sector: Sector = Sector.GOVERNMENT) -> User:
        """A user holding a seat of the given role in the group."""
        organisation = self.organisation(sector=sector)
        user = self.user(sector=sector, organisation=organisation)
        self.seat(group, role=role, holder=user, sector=sector, organisation=organisation)
        return user

    def category(self) -> Category:
        n = next(_serial)
        category = Category(name_th=f"หมวดทดสอบ {n}", name_en=f"Test category {n}", position=n)
        db.session.add(category)
        db.session.flush()
        return category

    def proposal(self, *, group: WorkingGroup | None = None, author: User | None = None,
                 state: ProposalState = ProposalState.OPEN, title: str | None = None,
                 body: str = "A measure to reduce PM2.5 smoke.",
                 category: Category | None = None) -> Proposal:
        """A proposal placed directly in a state (services test the transitions themselves)."""
        author = author or self.user()
        group = group or self.group()
        category = category or self.category()
        now = utcnow()
        proposal = Proposal(
            group=group,
            title=title or f"Proposal {next(_serial)}",
            body=body,
            category=category,
            author=author,
            sector=author.sector,
            organisation_id=author.organisation_id,
            state=state,
            opened_at=None if state == ProposalState.DRAFT else now,
        )
        db.session.add(proposal)
        db.session.flush()
        db.session.add(ProposalRevision(
            proposal_id=proposal.id, number=1, title=proposal.title, body=body,
            category_id=category.id, editor_id=author.id,
        ))
        db.session.flush()
        return proposal

    def ballot(self, proposal: Proposal, *, opened_by: User | None = None,
               closes_at=None, quorum: int | None = None):
        """An open ballot placed directly on a proposal (votes.services tests the rules)."""
        from datetime import timedelta

        from participation.votes.models import Ballot, BallotStatus

        now = utcnow()
        ballot = Ballot(
            proposal_id=proposal.id, group_id=proposal.group_id,
            opened_by_id=(opened_by or self.user()).id, opened_at=now,
            closes_at=closes_at or now + timedelta(days=7), quorum=quorum or 1,
            status=BallotStatus.OPEN,
        )
        db.session.add(ballot)
        db.session.flush()
        return ballot

    def decision(self, *, group: WorkingGroup | None = None, result: str = "adopted",
                 yes: int = 2, no: int = 0, abstain: int = 0, resolution: str = ""):
        """A decided proposal: a closed ballot and its Decision row, placed directly."""
        from participation.decisions.models import Decision
        from participation.votes.models import BallotResult, BallotStatus

        group = group or self.group(voting_members=3)
        states = {"adopted": ProposalState.ADOPTED, "rejected": ProposalState.REJECTED}
        proposal = self.proposal(
            group=group, state=states.get(result, ProposalState.UNDER_CONSIDERATION)
        )
        ballot = self.ballot(proposal)
        now = utcnow()
        ballot.status, ballot.result, ballot.closed_at = (
            BallotStatus.CLOSED, BallotResult(result), now
        )
        decision = Decision(
            ballot_id=ballot.id, proposal_id=proposal.id, group_id=group.id,
            result=BallotResult(result), resolution=resolution, yes_count=yes, no_count=no,
            abstain_count=abstain, quorum=ballot.quorum,
            eligible_count=sum(1 for seat in group.seats if seat.voting), decided_at=now,
        )
        db.session.add(decision)
        db.session.flush()
        return decision
