"""Reads for the feeds: the newest proposals, decisions, ballots, log entries and
checkpoints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.accountability.models import Checkpoint, LogEntry
from participation.accountability.queries import LogFilter, entries_matching
from participation.decisions.models import Decision
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalRevision
from participation.proposals.queries import LISTED_STATES, visible_proposal
from participation.votes.models import Ballot

PROPOSAL_LIMIT = 50
DECISION_LIMIT = 50
LOG_LIMIT = 100
BALLOT_LIMIT = 200
CHECKPOINT_LIMIT = 100


@dataclass(frozen=True)
class OpenedProposal:
    proposal: Proposal
    # When its text last changed: its opening, or a later revision.
    revised_at: datetime


def newest_proposals(limit: int = PROPOSAL_LIMIT) -> list[OpenedProposal]:
    """The proposals most recently opened for comment (never drafts nor hidden ones), with
    their authors."""
    last_revision = (
        sa.select(sa.func.max(ProposalRevision.created_at))
        .where(ProposalRevision.proposal_id == Proposal.id)
        .correlate(Proposal)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Proposal, last_revision.label("last_revision"))
        .where(Proposal.state.in_(LISTED_STATES), Proposal.opened_at.is_not(None),
               visible_proposal())
        .options(joinedload(Proposal.author))
        .order_by(Proposal.opened_at.desc(), Proposal.id.desc())
        .limit(limit)
    )
    return [
        OpenedProposal(
            proposal=row.Proposal,
            revised_at=max(filter(None, (row.Proposal.opened_at, row.last_revision))),
        )
        for row in rows
    ]


def newest_decisions(limit: int = DECISION_LIMIT) -> list[Decision]:
    """The most recent decisions, with their proposal and working group."""
    return list(
        db.session.scalars(
            sa.select(Decision)
            .options(joinedload(Decision.proposal), joinedload(Decision.group))
            .order_by(Decision.decided_at.desc(), Decision.id.desc())
            .limit(limit)
        )
    )


def newest_ballots(limit: int = BALLOT_LIMIT) -> list[tuple[Ballot, str]]:
    """The most recently opened ballots, open or closed, each with its proposal's title."""
    rows = db.session.execute(
        sa.select(Ballot, Proposal.title)
        .join(Proposal, Proposal.id == Ballot.proposal_id)
        .order_by(Ballot.opened_at.desc(), Ballot.id.desc())
        .limit(limit)
    )
    return [(row.Ballot, row.title) for row in rows]


def newest_log_entries(log_filter: LogFilter | None = None,
                       limit: int = LOG_LIMIT) -> list[LogEntry]:
    """The newest log entries matching the log page's filter, with their actors.

    The log page's own query (accountability.queries.entries_page) also counts every
    matching entry for its pagination; a feed needs only the first rows."""
    statement = entries_matching(log_filter or LogFilter())
    return list(db.session.scalars(statement.limit(limit)))


def commitment_entries(commitment_id: int, limit: int = LOG_LIMIT) -> list[LogEntry]:
    """The newest entries about one commitment: its creation, milestones and progress
    reports, all recorded with the commitment as their subject (as the log page filters)."""
    return newest_log_entries(
        LogFilter(subject_type="commitment", subject_id=commitment_id), limit=limit
    )


def newest_checkpoints(limit: int = CHECKPOINT_LIMIT) -> list[Checkpoint]:
    """The most recently published checkpoints of the log."""
    return list(
        db.session.scalars(sa.select(Checkpoint).order_by(Checkpoint.id.desc()).limit(limit))
    )
