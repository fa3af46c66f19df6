"""Proposals with answer deadlines placed at chosen days, for the answer tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.answers import services
from participation.answers.models import Answer, AnswerState
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalState

# 10:00 in Bangkok, so the site date is the UTC date.
NOON = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def opened(make, *, group, days_ago: int = 0, answer_days: int = 30, agency=None,
           state: ProposalState = ProposalState.OPEN, title: str | None = None,
           now: datetime | None = None, **fields) -> Proposal:
    """A proposal opened for comment `days_ago` days before `now` (default: the real now),
    with the deadline opening gives it, placed directly."""
    moment = (now or utcnow()) - timedelta(days=days_ago)
    proposal = make.proposal(group=group, state=state, title=title, **fields)
    proposal.opened_at = moment
    proposal.answer_due_on = site_date(moment) + timedelta(days=answer_days)
    proposal.agency = agency
    db.session.flush()
    return proposal


def answer_after(proposal: Proposal, actor, days: int, *,
                 state: AnswerState = AnswerState.ACCEPTED, body: str = "We will do it.",
                 referred_to=None) -> Answer:
    """Answer the proposal through the service `days` after it opened."""
    return services.answer_proposal(
        proposal=proposal, actor=actor, state=state, body=body, referred_to=referred_to,
        merged_into=None, now=proposal.opened_at + timedelta(days=days),
    )


def entries(verb: str, subject_id: int | None = None) -> list[LogEntry]:
    statement = sa.select(LogEntry).where(LogEntry.verb == verb).order_by(LogEntry.id)
    if subject_id is not None:
        statement = statement.where(LogEntry.subject_id == subject_id)
    return list(db.session.scalars(statement))
