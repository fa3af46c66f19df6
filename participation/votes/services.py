"""Open ballots, cast and change votes, close ballots into decisions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accountability.services import record
from participation.accounts.models import Sector, User
from participation.core.db import insert_for_dialect
from participation.core.errors import DomainError, NotAllowed
from participation.decisions.models import Decision
from participation.decisions.services import write_resolution
from participation.extensions import db
from participation.groups.models import Seat
from participation.groups.permissions import can_manage_group
from participation.groups.queries import default_quorum, voting_seat_in_group, voting_seats
from participation.meetings import services as meetings
from participation.meetings.models import AgendaItem
from participation.notifications import services as notifications
from participation.proposals import services as proposals
from participation.proposals.models import Proposal, ProposalState
from participation.votes import queries
from participation.votes.models import (
    KIND_CHOICES,
    Ballot,
    BallotKind,
    BallotResult,
    BallotStatus,
    ReasonRule,
    Vote,
    VoteChoice,
    choice_label,
)


class BallotAlreadyOpen(DomainError):
    """A proposal has at most one open ballot."""


class BallotClosed(DomainError):
    """The ballot no longer takes votes or changes."""


class NotAVotingMember(NotAllowed):
    """Only the holders of voting seats in the group, and their deputies, vote."""


class HolderHasVoted(NotAllowed):
    """The holder's vote counts: the deputy can no longer vote in the seat's name."""


class InvalidVote(DomainError):
    """A choice the ballot does not offer, or a missing or too long reason."""


def _already_open() -> BallotAlreadyOpen:
    return BallotAlreadyOpen(
        _("A ballot is already open on this proposal. Close it before opening another.")
    )


def _check_sector_quorum(group_id: int, wanted: dict[str, int | None] | None) -> dict[str, int]:
    """Refuse a minimum above a sector's voting seats; keep only the minimums of 1 or more."""
    seats = {sector.value: 0 for sector in Sector}
    for seat in voting_seats(group_id):
        seats[seat.sector.value] += 1
    checked = {}
    for sector_value, minimum in (wanted or {}).items():
        if minimum is None:
            continue
        sector = Sector(sector_value)
        if not 0 <= minimum <= seats[sector.value]:
            raise DomainError(
                _("Enter a number between 0 and %(seats)d, the number of voting seats of "
                  "this sector.", seats=seats[sector.value]),
                field=f"quorum_{sector.value}",
            )
        if minimum >= 1:
            checked[sector.value] = minimum
    return checked


def open_ballot(
    *,
    proposal: Proposal,
    actor: User,
    closes_at: datetime,
    quorum: int | None = None,
    kind: BallotKind = BallotKind.STANDARD,
    reasons: ReasonRule = ReasonRule.OPTIONAL,
    hide_results: bool = False,
    secret: bool = False,
    sector_quorum: dict[str, int | None] | None = None,
    agenda_item: AgendaItem | None = None,
    now: datetime,
) -> Ballot:
    """Open a ballot on a proposal under consideration, with its kind, reason rule, secrecy
    and optional minimum votes per sector; raise a DomainError when not allowed. Opened from
    a meeting's agenda item, its decision becomes that item's resolution.

    A secret ballot also hides the count while it is open: a count that moves as each seat
    votes would tell how that seat voted."""
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
    minimums = _check_sector_quorum(proposal.group_id, sector_quorum)
    if agenda_item is not None:
        meetings.check_ballot_item(item=agenda_item, proposal=proposal)
    kind, reasons = BallotKind(kind), ReasonRule(reasons)
    hide_results = bool(hide_results or secret)
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
        kind=kind,
        reasons=reasons,
        hide_results=hide_results,
        secret=bool(secret),
        sector_quorum=minimums,
        status=BallotStatus.OPEN,
        agenda_item_id=agenda_item.id if agenda_item is not None else None,
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
            "kind": kind.value,
            "reasons": reasons.value,
            "hide_results": hide_results,
            "secret": bool(secret),
            "sector_quorum": minimums,
            # Only a ballot opened from an agenda item names it.
            **({"agenda_item_id": agenda_item.id} if agenda_item is not None else {}),
        },
        now=now,
    )
    notifications.ballot_opened(ballot=ballot, proposal=proposal, actor=actor, now=now)
    return ballot


def _lock_ballot(ballot: Ballot, *, exclusive: bool) -> Ballot:
    """Re-read the ballot under a row lock (PostgreSQL) so votes and closing do not overlap."""
    return db.session.scalars(
        sa.select(Ballot)
        .where(Ballot.id == ballot.id)
        .with_for_update(read=not exclusive)
        .execution_options(populate_existing=True)
    ).one()


def _check_choice(ballot: Ballot, choice: VoteChoice | str, reason: str) -> VoteChoice:
    try:
        choice = VoteChoice(choice)
    except ValueError:
        choice = None
    if choice not in KIND_CHOICES[ballot.kind]:
        raise InvalidVote(
            _("Choose one of: %(choices)s.", choices=", ".join(
                choice_label(ballot.kind, option) for option in KIND_CHOICES[ballot.kind]
            )),
            field="choice",
        )
    if choice == VoteChoice.BLOCK and not reason:
        raise InvalidVote(
            _("A block needs a written reason: say what would have to change."), field="reason"
        )
    if ballot.reasons == ReasonRule.REQUIRED and not reason:
        raise InvalidVote(_("This ballot asks for a reason with every vote."), field="reason")
    limit = current_app.config["MAX_BODY_LENGTH"]
    if len(reason) > limit:
        raise InvalidVote(
            _("The reason may be at most %(max)d characters long.", max=limit), field="reason"
        )
    return choice


def cast_vote(
    *, ballot: Ballot, member: User, choice: VoteChoice | str, reason: str = "", now: datetime
) -> Vote:
    """Record or replace the vote of a seat, cast by its holder or its deputy; the holder's
    vote always wins. Raise BallotClosed, NotAVotingMember, HolderHasVoted or InvalidVote."""
    ballot = _lock_ballot(ballot, exclusive=False)
    if ballot.status != BallotStatus.OPEN:
        raise BallotClosed(_("This ballot is closed. Votes can no longer be cast or changed."))
    if ballot.closes_at <= now:
        raise BallotClosed(
            _("Voting on this ballot ended at its closing time. Votes can no longer be cast.")
        )
    seat = voting_seat_in_group(ballot.group_id, member.id)
    if seat is None:
        raise NotAVotingMember(
            _("Only the voting members of the working group, or their deputies, can vote on "
              "this ballot.")
        )
    reason = (reason or "").strip()
    choice = _check_choice(ballot, choice, reason)
    votes = Vote.__table__
    insert = insert_for_dialect(votes).values(
        ballot_id=ballot.id,
        seat_id=seat.id,
        voter_id=member.id,
        choice=choice,
        reason=reason,
        cast_at=now,
        updated_at=now,
    )
    by_deputy = seat.holder_id is not None and seat.holder_id != member.id
    # One statement: two requests for the same seat leave one row, the later choice winning,
    # except that a deputy never replaces the holder's vote, even at the same moment.
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=["ballot_id", "seat_id"],
            set_={
                "choice": insert.excluded.choice,
                "reason": insert.excluded.reason,
                "voter_id": insert.excluded.voter_id,
                "updated_at": insert.excluded.updated_at,
            },
            where=(votes.c.voter_id != seat.holder_id) if by_deputy else None,
        )
    )
    vote = db.session.scalars(
        sa.select(Vote)
        .where(Vote.ballot_id == ballot.id, Vote.seat_id == seat.id)
        .execution_options(populate_existing=True)
    ).one()
    if vote.voter_id != member.id:
        raise HolderHasVoted(
            _("The holder of the seat has already voted, and the holder's vote counts. "
              "As the deputy you can no longer vote on this ballot.")
        )
    return vote


def _result(ballot: Ballot, counts: dict[str, int],
            by_sector: dict[str, dict[str, int]]) -> BallotResult:
    """No quorum when too few seats voted, overall or in a sector with a minimum; else a
    standard ballot adopts on more yes than no, a consent ballot on more agree than disagree
    and no block."""
    if sum(counts.values()) < ballot.quorum:
        return BallotResult.NO_QUORUM
    for sector_value, minimum in (ballot.sector_quorum or {}).items():
        if sum(by_sector.get(sector_value, {}).values()) < minimum:
            return BallotResult.NO_QUORUM
    if ballot.kind == BallotKind.CONSENT and counts[VoteChoice.BLOCK.value] > 0:
        return BallotResult.REJECTED
    if counts[VoteChoice.YES.value] > counts[VoteChoice.NO.value]:
        return BallotResult.ADOPTED
    return BallotResult.REJECTED


def _roll_call_entry(ballot: Ballot, seat: Seat, vote: Vote | None) -> dict[str, Any]:
    entry = {
        "seat_id": seat.id,
        "organisation_id": seat.organisation_id,
        "sector": seat.sector.value,
        "voter_id": vote.voter_id if vote is not None else None,
    }
    # A secret ballot records that the seat voted, never how or why.
    if not ballot.secret:
        entry["choice"] = vote.choice.value if vote is not None else None
        entry["reason"] = vote.reason if vote is not None else None
    return entry


def _close(ballot: Ballot, *, actor: User | None, now: datetime, resolution: str) -> Decision:
    by_sector = queries.tally_by_sector(ballot)
    counts = queries.totals(by_sector)
    result = _result(ballot, counts, by_sector)
    eligible = len(voting_seats(ballot.group_id))
    roll = [_roll_call_entry(ballot, seat, vote) for seat, vote in queries.roll_call(ballot)]
    # In a secret ballot a sector of one seat would show how that seat voted: no breakdown.
    published_by_sector = {} if ballot.secret else by_sector
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
        block_count=counts[VoteChoice.BLOCK.value],
        tally_by_sector=published_by_sector,
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
        "by_sector": published_by_sector,
        "quorum": ballot.quorum,
        "eligible": eligible,
        "roll_call": roll,
    }
    record(actor=actor, verb="ballot.closed", subject_type="ballot", subject_id=ballot.id,
           data=data, now=now)
    record(actor=actor, verb="decision.recorded", subject_type="decision",
           subject_id=decision.id, data=data, now=now)
    notifications.decision_recorded(decision=decision, proposal=proposal, actor=actor, now=now)
    meetings.record_ballot_decision(ballot=ballot, decision=decision, actor=actor, now=now)
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
