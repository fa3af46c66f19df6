"""Factories for test rows. Each returns a flushed object; nothing is committed."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from itertools import count

from argon2 import PasswordHasher

from participation.accounts.models import Organisation, Sector, User
from participation.core.models import utcnow
from participation.decisions.models import Decision
from participation.extensions import db
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.privacy.notices import current_notice_version
from participation.proposals.models import Category, Proposal, ProposalRevision, ProposalState
from participation.votes.models import Ballot, BallotResult, BallotStatus, Vote, VoteChoice

PASSWORD = "correct horse battery staple"
_serial = count(1)


@cache
def password_hash() -> str:
    """The test users' password hash: real argon2id, made once per run with the cheapest
    parameters, since logging in verifies a hash at the cost it was made with. The app's own
    hashing (registration, the CLI) keeps its production parameters."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


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
             is_admin: bool = False, is_agency_contact: bool = False,
             is_moderator: bool = False, verified: bool = True,
             consented: bool = True) -> User:
        """A person; their e-mail address is confirmed unless `verified` is False, and they
        consented to the current privacy notice unless `consented` is False."""
        n = next(_serial)
        user = User(
            email=email or f"person{n}@example.org",
            password_hash=password_hash(),
            display_name=display_name or f"Person {n}",
            sector=sector,
            organisation=organisation,
            is_admin=is_admin,
            is_agency_contact=is_agency_contact,
            is_moderator=is_moderator,
            email_verified_at=utcnow() if verified else None,
            privacy_version=current_notice_version() if consented else None,
            privacy_consented_at=utcnow() if consented else None,
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
               closes_at: datetime | None = None, quorum: int | None = None,
               result: BallotResult | None = None, now: datetime | None = None) -> Ballot:
        """A ballot placed directly on a proposal (votes.services tests the rules): open, or,
        given a result, closed; opened (and closed) at `now`."""
        now = now or utcnow()
        ballot = Ballot(
            proposal_id=proposal.id, group_id=proposal.group_id,
            opened_by_id=(opened_by or self.user()).id, opened_at=now,
            closes_at=closes_at or now + timedelta(days=7), quorum=quorum or 1,
            status=BallotStatus.OPEN if result is None else BallotStatus.CLOSED,
            result=result, closed_at=None if result is None else now,
        )
        db.session.add(ballot)
        db.session.flush()
        return ballot

    def vote(self, seat: Seat, *, ballot: Ballot | None = None,
             choice: VoteChoice = VoteChoice.YES) -> Vote:
        """A vote from the seat's holder placed directly (votes.services tests the rules);
        without a ballot, on a new one about a proposal of the seat's group."""
        ballot = ballot or self.ballot(self.proposal(group=seat.group))
        vote = Vote(ballot_id=ballot.id, seat_id=seat.id, voter_id=seat.holder_id, choice=choice)
        db.session.add(vote)
        db.session.flush()
        return vote

    def decision(self, *, group: WorkingGroup | None = None, result: str = "adopted",
                 yes: int = 2, no: int = 0, abstain: int = 0, resolution: str = "",
                 title: str | None = None, now: datetime | None = None) -> Decision:
        """A decided proposal: a closed ballot and its Decision row, placed directly."""
        group = group or self.group(voting_members=3)
        states = {"adopted": ProposalState.ADOPTED, "rejected": ProposalState.REJECTED}
        proposal = self.proposal(
            group=group, title=title,
            state=states.get(result, ProposalState.UNDER_CONSIDERATION),
        )
        now = now or utcnow()
        ballot = self.ballot(proposal, result=BallotResult(result), now=now)
        decision = Decision(
            ballot_id=ballot.id, proposal_id=proposal.id, group_id=group.id,
            result=BallotResult(result), resolution=resolution, yes_count=yes, no_count=no,
            abstain_count=abstain, quorum=ballot.quorum,
            eligible_count=sum(1 for seat in group.seats if seat.voting), decided_at=now,
        )
        db.session.add(decision)
        db.session.flush()
        return decision
