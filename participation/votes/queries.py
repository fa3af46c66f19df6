"""Reads about ballots: the latest ballot of a proposal, vote counts by sector, the roll-call
and the reminders of ballots closing soon."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participation.accounts.sectors import count_by_sector
from participation.extensions import db
from participation.groups.models import SETTING_LIMITS, Seat, WorkingGroup
from participation.proposals.models import Proposal
from participation.votes.models import Ballot, BallotStatus, Vote, VoteChoice

# The longest reminder time a group may set (WorkingGroup.reminder_hours).
_, MAX_REMINDER_HOURS = SETTING_LIMITS["reminder_hours"]


def latest_ballot(proposal_id: int) -> Ballot | None:
    """Return the proposal's most recently opened ballot, or None."""
    return db.session.scalars(
        sa.select(Ballot)
        .where(Ballot.proposal_id == proposal_id)
        .order_by(Ballot.opened_at.desc(), Ballot.id.desc())
        .limit(1)
    ).first()


def votes_cast(ballot: Ballot) -> int:
    """Return how many seats have voted on the ballot (not how they voted)."""
    return db.session.scalar(
        sa.select(sa.func.count(Vote.id)).where(Vote.ballot_id == ballot.id)
    ) or 0


def vote_of(ballot: Ballot, seat_id: int | None) -> Vote | None:
    """Return the vote cast from a seat on the ballot, or None."""
    if seat_id is None:
        return None
    return db.session.scalars(
        sa.select(Vote).where(Vote.ballot_id == ballot.id, Vote.seat_id == seat_id)
    ).first()


def tally_by_sector(ballot: Ballot) -> dict[str, dict[str, int]]:
    """Count the ballot's votes by the sector of the seat and by choice, in one query:
    {"government": {"yes": n, "no": n, "abstain": n, "block": n}, ...}, every sector and
    every choice present."""
    rows = db.session.execute(
        sa.select(Seat.sector, Vote.choice, sa.func.count(Vote.id))
        .join(Seat, Seat.id == Vote.seat_id)
        .where(Vote.ballot_id == ballot.id)
        .group_by(Seat.sector, Vote.choice)
    )
    counts = count_by_sector(rows)
    for row in counts.values():
        for choice in VoteChoice:
            row.setdefault(choice.value, 0)
    return counts


def totals(by_sector: dict[str, dict[str, int]]) -> dict[str, int]:
    """Add the counts of every sector up by choice: {"yes": n, "no": n, "abstain": n,
    "block": n}."""
    counts = {choice.value: 0 for choice in VoteChoice}
    for row in by_sector.values():
        for choice, number in row.items():
            counts[choice] = counts.get(choice, 0) + number
    return counts


def tally(ballot: Ballot) -> dict[str, int]:
    """Count the ballot's votes by choice: {"yes": n, "no": n, "abstain": n, "block": n}."""
    return totals(tally_by_sector(ballot))


def turnout_by_sector(roll: list[tuple[Seat, Vote | None]]) -> dict[str, dict[str, int]]:
    """How many seats of each sector voted and did not, from a roll-call (no query):
    {"government": {"voted": n, "absent": n}, ...}."""
    return count_by_sector(
        (seat.sector, "voted" if vote is not None else "absent", 1) for seat, vote in roll
    )


@dataclass(frozen=True)
class Reminder:
    """An open ballot closing soon on which the reader's seat has not voted."""

    ballot_id: int
    proposal_id: int
    title: str
    closes_at: datetime
    hours_left: int


def reminders_for(
    *, now: datetime, user_id: int | None = None, seat_ids: list[int] | None = None
) -> list[Reminder]:
    """The open ballots that close within their group's reminder time and on which a voting
    seat has not voted, soonest first; the seats are those the person holds or deputises, or
    the seats given. One query (none for no seats given)."""
    if seat_ids is not None:
        if not seat_ids:
            return []
        whose = Seat.id.in_(seat_ids)
    else:
        whose = sa.or_(Seat.holder_id == user_id, Seat.deputy_id == user_id)
    rows = db.session.execute(
        sa.select(
            Ballot.id, Ballot.proposal_id, Proposal.title, Ballot.closes_at,
            WorkingGroup.reminder_hours,
        )
        .join(Proposal, Proposal.id == Ballot.proposal_id)
        .join(WorkingGroup, WorkingGroup.id == Ballot.group_id)
        .join(
            Seat,
            sa.and_(Seat.group_id == Ballot.group_id, Seat.voting.is_(True), whose),
        )
        .where(
            Ballot.status == BallotStatus.OPEN,
            Ballot.closes_at > now,
            # The longest reminder time; each group's own is applied below, the same on every
            # database.
            Ballot.closes_at <= now + timedelta(hours=MAX_REMINDER_HOURS),
            ~sa.exists().where(Vote.ballot_id == Ballot.id, Vote.seat_id == Seat.id),
        )
        .order_by(Ballot.closes_at, Ballot.id)
    )
    reminders = []
    for ballot_id, proposal_id, title, closes_at, hours in rows:
        left = closes_at - now
        if left <= timedelta(hours=hours):
            reminders.append(Reminder(
                ballot_id=ballot_id, proposal_id=proposal_id, title=title, closes_at=closes_at,
                hours_left=max(1, math.ceil(left.total_seconds() / 3600)),
            ))
    return reminders


def roll_call(ballot: Ballot) -> list[tuple[Seat, Vote | None]]:
    """Return every voting seat of the ballot's group, and any other seat that voted, with its
    vote or None, in seat order."""
    votes = {
        vote.seat_id: vote
        for vote in db.session.scalars(
            sa.select(Vote)
            .where(Vote.ballot_id == ballot.id)
            .options(selectinload(Vote.voter))
        )
    }
    seats = db.session.scalars(
        sa.select(Seat)
        .where(
            Seat.group_id == ballot.group_id,
            sa.or_(Seat.voting.is_(True), Seat.id.in_(list(votes)) if votes else sa.false()),
        )
        .order_by(Seat.position, Seat.id)
    ).unique()
    return [(seat, votes.get(seat.id)) for seat in seats]


def open_ballots_due(now: datetime) -> list[Ballot]:
    """Return the open ballots whose closing time has passed."""
    return list(
        db.session.scalars(
            sa.select(Ballot)
            .where(Ballot.status == BallotStatus.OPEN, Ballot.closes_at <= now)
            .order_by(Ballot.closes_at, Ballot.id)
        )
    )
