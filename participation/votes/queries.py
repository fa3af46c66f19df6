"""Reads about ballots: the latest ballot of a proposal, vote counts and the roll-call."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participation.extensions import db
from participation.groups.models import Seat
from participation.votes.models import Ballot, BallotStatus, Vote, VoteChoice


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


def tally(ballot: Ballot) -> dict[str, int]:
    """Count the ballot's votes by choice: {"yes": n, "no": n, "abstain": n}."""
    counts = {choice.value: 0 for choice in VoteChoice}
    rows = db.session.execute(
        sa.select(Vote.choice, sa.func.count(Vote.id))
        .where(Vote.ballot_id == ballot.id)
        .group_by(Vote.choice)
    )
    for choice, number in rows:
        counts[VoteChoice(choice).value] = number
    return counts


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
