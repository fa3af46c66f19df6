"""Reads about commitments: the public list and one commitment with its timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from participation.accounts.models import Organisation
from participation.commitments.models import Commitment, Completion, Milestone, ProgressUpdate
from participation.core.pagination import Page, paginate
from participation.decisions.models import Decision
from participation.extensions import db


def commitment_page(*, page: int, per_page: int) -> Page:
    """Return one page of commitments, soonest due first, with lead agency and group."""
    statement = (
        sa.select(Commitment)
        .options(joinedload(Commitment.lead_organisation), joinedload(Commitment.group))
        .order_by(Commitment.due_date, Commitment.id)
    )
    return paginate(statement, page=page, per_page=per_page)


def get_commitment(commitment_id: int) -> Commitment | None:
    """Return one commitment with everything its page shows."""
    return db.session.scalars(
        sa.select(Commitment)
        .where(Commitment.id == commitment_id)
        .options(
            joinedload(Commitment.lead_organisation),
            joinedload(Commitment.group),
            joinedload(Commitment.decision).joinedload(Decision.proposal),
            # Joined rather than a query of their own: the page's query budget is tight.
            joinedload(Commitment.supporters),
            selectinload(Commitment.milestones),
        )
    ).unique().first()


def timeline(commitment: Commitment) -> list[ProgressUpdate]:
    """Return the commitment's progress updates, newest first, with their authors."""
    return list(
        db.session.scalars(
            sa.select(ProgressUpdate)
            .where(ProgressUpdate.commitment_id == commitment.id)
            .options(joinedload(ProgressUpdate.author))
            .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
        )
    )


def overdue_milestone_counts(commitment_ids: Sequence[int], today: date) -> dict[int, int]:
    """How many milestones of each commitment are overdue (past due and not complete)."""
    if not commitment_ids:
        return {}
    rows = db.session.execute(
        sa.select(Milestone.commitment_id, sa.func.count(Milestone.id))
        .where(
            Milestone.commitment_id.in_(commitment_ids),
            Milestone.due_date < today,
            Milestone.completion != Completion.COMPLETE,
        )
        .group_by(Milestone.commitment_id)
    )
    return {commitment_id: count for commitment_id, count in rows}


def organisation_choices() -> list[tuple[int, str]]:
    """Every organisation as (id, name in the reader's language), sorted by name."""
    organisations = db.session.scalars(sa.select(Organisation)).all()
    return sorted(((org.id, org.name) for org in organisations), key=lambda pair: pair[1])
