"""Reads about decisions: the latest of a proposal, the public list, one decision's page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.commitments.models import Commitment
from participation.core.pagination import Page, paginate
from participation.decisions.models import Decision
from participation.extensions import db


def latest_for_proposal(proposal_id: int) -> Decision | None:
    """Return the most recent decision taken on the proposal, or None."""
    return db.session.scalars(
        sa.select(Decision)
        .where(Decision.proposal_id == proposal_id)
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
        .limit(1)
    ).first()


def decision_page(*, page: int, per_page: int) -> Page:
    """Return one page of decisions, newest first, with their proposal and group."""
    statement = (
        sa.select(Decision)
        .options(joinedload(Decision.proposal), joinedload(Decision.group))
        .order_by(Decision.decided_at.desc(), Decision.id.desc())
    )
    return paginate(statement, page=page, per_page=per_page)


def get_decision(decision_id: int) -> Decision | None:
    """Return one decision with its proposal, group and ballot."""
    return db.session.scalars(
        sa.select(Decision)
        .where(Decision.id == decision_id)
        .options(
            joinedload(Decision.proposal),
            joinedload(Decision.group),
            joinedload(Decision.ballot),
        )
    ).first()


def commitment_for(decision: Decision) -> Commitment | None:
    """Return the commitment made on the decision, if any."""
    return db.session.scalars(
        sa.select(Commitment).where(Commitment.decision_id == decision.id)
    ).first()
