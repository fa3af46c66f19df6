"""Open ballots, cast and change votes, close ballots into decisions."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accountability.services import record
from participation.accounts.models import User
from participation.core.db import insert_for_dialect
from participation.core.errors import DomainError, NotAllowed
from participation.decisions.models import Decision
from participation.decisions.services import write_resolution
from participation.extensions import db
from participation.groups.permissions import can_manage_group
from participation.groups.queries import default_quorum, seat_of, voting_seats
from participation.proposals import services as proposals
from participation.proposals.models import Proposal, ProposalState
from participation.votes import queries
from participation.votes.models import Ballot, BallotResult, BallotStatus, Vote, VoteChoice


class BallotAlreadyOpen(DomainError):
    """A proposal has at most one open ballot."""


class BallotClosed(DomainError):
    """The ballot no longer takes votes or changes."""


class NotAVotingMember(NotAllowed):
    """Only the holders of voting seats in the group vote."""


def _already_open() -> BallotAlreadyOpen:
    return BallotAlreadyOpen(
        _("A ballot is already open on this proposal. Close it before opening another.")
    )


def open_ballot(
    *,
    proposal: Proposal,
    actor: User,
    closes_at: datetime,
    quorum: int | None = None,
    now: datetime,
) -> Ballot:
    """Open a ballot on a proposal under consideration; raise a DomainError when not allowed."""
    if not can_manage_group(actor, proposal.group_id):
        raise NotAllowed(_("Only the secretariat or the chair of the group can open a ballot."))
    if proposal.state != ProposalState.UNDER_CONSIDERATION:
        raise DomainError(_("A ballot can only be opened on a proposal under consideration."))
    if closes_at <= now:
        raise DomainError(_("The closing time must be in the future."), field="closes_at")
    seats = len(voting_seats(proposal.group_id))
    if seats == 0:
        raise DomainError(_("The group has no voting seats, so it cannot vote."))
    if quorum is None:
        quorum = default_quorum(proposal.group_id)
    if not 1 <= quorum <= seats:
        raise DomainError(
            _("The quorum must be between 1 and %(seats)d, the number of voting seats.",
              seats=seats),
            field="quorum",
        )
    already = db.session.scalar(
        sa.select(Ballot.id).where(
            Ballot.proposal_id == proposal.id, Ballot.status == BallotStatus.OPEN
        )
    )
    if already is not None:
        raise _already_open()
    ballot = Ballot(
        proposal_id=proposal.id,
        group_id=proposal.group_id,
        opened_by_id=actor.id,
        opened_at=now,
        closes_at=closes_at,
        quorum=quorum,
        status=BallotStatus.OPEN,
    )
    try:
        # The partial unique index is the guarantee when two people open at the same moment.
        with db.session.begin_nested():
            db.session.add(ballot)
            db.session.flush([ballot])
    except IntegrityError:
        raise _already_open() from None
    record(
        actor=actor,
        verb="ballot.opened",
        subject_type="ballot",
        subject_id=ballot.id,
        data={
            "proposal_id": proposal.id,
            "group_id": proposal.group_id,
            "quorum": quorum,
            "eligible": seats,
            "closes_at": closes_at.astimezone(UTC).isoformat(),
        },
        now=now,
    )
    return ballot


def _lock_ballot(ballot: Ballot, *, exclusive: bool) -> Ballot:
    """Re-read the ballot under a row lock (PostgreSQL) so votes and closing do not overlap."""
    return db.session.scalars(
        sa.select(Ballot)
        .where(Ballot.id == ballot.id)
        .with_for_update(read=not exclusive)
        .execution_options(populate_existing=True)
    ).one()


def cast_vote(*, ballot: Ballot, member: User, choice: VoteChoice, now: datetime) -> Vote:
    """Record or replace a member's vote; raise BallotClosed or NotAVotingMember."""
    ballot = _lock_ballot(ballot, exclusive=False)
    if ballot.status != BallotStatus.OPEN:
        raise BallotClosed(_("This ballot is closed. Votes can no longer be cast or changed."))
    if ballot.closes_at <= now:
        raise BallotClosed(
            _("Voting on this ballot ended at its closing time. Votes can no longer be cast.")
        )
    seat = seat_of(member, ballot.group_id)
    if seat is None or not seat.voting:
        raise NotAVotingMember(
            _("Only the voting members of the working group can vote on this ballot.")
        )
    choice = VoteChoice(choice)
    insert = insert_for_dialect(Vote.__table__).values(
        ballot_id=ballot.id,
        seat_id=seat.id,
        voter_id=member.id,
        choice=choice,
        cast_at=now,
        updated_at=now,
    )
    # One statement: two requests for the same seat leave one row, the later choice winning.
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=["ballot_id", "seat_id"],
            set_={
                "choice": insert.excluded.choice,
                "voter_id": insert.excluded.voter_id,
                "updated_at": insert.excluded.updated_at,
            },
        )
    )
    return db.session.scalars(
        sa.select(Vote)
        .where(Vote.ballot_id == ballot.id, Vote.seat_id == seat.id)
        .execution_options(populate_existing=True)
    ).one()


def _result(counts: dict[str, int], quorum: int) -> BallotResult:
    if sum(counts.values()) < quorum:
        return BallotResult.NO_QUORUM
    if counts[VoteChoice.YES.value] > counts[VoteChoice.NO.value]:
        return BallotResult.ADOPTED
    return BallotResult.REJECTED


def _close(ballot: Ballot, *, actor: User | None, now: datetime, resolution: str) -> Decision:
    counts = queries.tally(ballot)
    result = _result(counts, ballot.quorum)
    eligible = len(voting_seats(ballot.group_id))
    roll = [
        {
            "seat_id": seat.id,
            "organisation_id": seat.organisation_id,
            "voter_id": vote.voter_id if vote is not None else None,
            "choice": vote.choice.value if vote is not None else None,
        }
        for seat, vote in queries.roll_call(ballot)
    ]
    ballot.status = BallotStatus.CLOSED
    ballot.result = result
    ballot.closed_at = now
    ballot.closed_by_id = actor.id if actor is not None else None

    proposal = db.session.get(Proposal, ballot.proposal_id)
    # A proposal withdrawn or merged while the vote ran keeps its state; the record stays.
    if proposal is not None and proposal.state == ProposalState.UNDER_CONSIDERATION:
        if result == BallotResult.ADOPTED:
            proposals.adopt(proposal=proposal, actor=actor, now=now)
        elif result == BallotResult.REJECTED:
            proposals.reject(proposal=proposal, actor=actor, now=now)

    decision = Decision(
        ballot_id=ballot.id,
        proposal_id=ballot.proposal_id,
        group_id=ballot.group_id,
        result=result,
        resolution="",
        yes_count=counts[VoteChoice.YES.value],
        no_count=counts[VoteChoice.NO.value],
        abstain_count=counts[VoteChoice.ABSTAIN.value],
        quorum=ballot.quorum,
        eligible_count=eligible,
        decided_at=now,
    )
    db.session.add(decision)
    db.session.flush()
    data = {
        "proposal_id": ballot.proposal_id,
        "ballot_id": ballot.id,
        "decision_id": decision.id,
        "result": result.value,
        "tally": counts,
        "quorum": ballot.quorum,
        "eligible": eligible,
        "roll_call": roll,
    }
    record(actor=actor, verb="ballot.closed", subject_type="ballot", subject_id=ballot.id,
           data=data, now=now)
    record(actor=actor, verb="decision.recorded", subject_type="decision",
           subject_id=decision.id, data=data, now=now)
    if resolution.strip():
        write_resolution(decision=decision, actor=actor, text=resolution, now=now)
    return decision


def close_ballot(
    *, ballot: Ballot, actor: User | None, now: datetime, resolution: str = ""
) -> Decision:
    """Close an open ballot, count it, decide the proposal and record the decision.

    actor None means an automatic close (the closing time has passed)."""
    if actor is not None and not can_manage_group(actor, ballot.group_id):
        raise NotAllowed(_("Only the secretariat or the chair of the group can close a ballot."))
    ballot = _lock_ballot(ballot, exclusive=True)
    if ballot.status != BallotStatus.OPEN:
        raise BallotClosed(_("This ballot is already closed."))
    return _close(ballot, actor=actor, now=now, resolution=resolution)


def close_if_due(*, ballot: Ballot, now: datetime) -> Decision | None:
    """Close the ballot automatically if its closing time has passed; else do nothing."""
    if ballot.status != BallotStatus.OPEN or ballot.closes_at > now:
        return None
    ballot = _lock_ballot(ballot, exclusive=True)
    if ballot.status != BallotStatus.OPEN:
        return None
    return _close(ballot, actor=None, now=now, resolution="")


def close_due_ballots(*, now: datetime) -> list[Decision]:
    """Close every open ballot whose closing time has passed; return the decisions."""
    decisions = []
    for ballot in queries.open_ballots_due(now):
        decision = close_if_due(ballot=ballot, now=now)
        if decision is not None:
            decisions.append(decision)
    return decisions
