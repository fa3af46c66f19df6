"""Reads for evaluating together: the reviews of a commitment's updates with their disputes'
state, its assessments, and the civil-society seat a person holds or deputises for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import joinedload

from participation.accounts.models import Sector, User
from participation.commitments.models import ProgressUpdate
from participation.commitments.tracking import days_late
from participation.evaluations.models import Assessment, AssessmentKind, Review, ReviewKind
from participation.extensions import db
from participation.groups.models import Seat


def civil_society_seat(user: User, group_id: int) -> Seat | None:
    """The civil-society seat of the group the person holds or deputises for, if any (looked
    up once per request)."""
    cache = g.setdefault("_civil_society_seats", {}) if has_request_context() else {}
    key = (user.id, group_id)
    if key not in cache:
        cache[key] = db.session.scalars(
            sa.select(Seat)
            .where(
                Seat.group_id == group_id,
                Seat.sector == Sector.CIVIL_SOCIETY,
                sa.or_(Seat.holder_id == user.id, Seat.deputy_id == user.id),
            )
            .order_by(Seat.position, Seat.id)
            .limit(1)
        ).first()
    return cache[key]


def reviews_by_update(update_ids: Iterable[int]) -> dict[int, list[Review]]:
    """The reviews of these progress updates, oldest first, with their reviewers and
    answerers, by update id (one query)."""
    ids = list(update_ids)
    grouped: dict[int, list[Review]] = {update_id: [] for update_id in ids}
    if not ids:
        return grouped
    reviews = db.session.scalars(
        sa.select(Review)
        .where(Review.update_id.in_(ids))
        .options(joinedload(Review.reviewer), joinedload(Review.answered_by))
        .order_by(Review.created_at, Review.id)
    )
    for review in reviews:
        grouped[review.update_id].append(review)
    return grouped


@dataclass
class DisputeState:
    """Where a dispute stands on a given day."""

    answered: bool
    overdue_days: int  # 0 when answered or not yet past the due date

    @property
    def open(self) -> bool:
        return not self.answered

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def dispute_state(review: Review, today: date) -> DisputeState:
    answered = review.answered_at is not None
    late = 0 if answered or review.answer_due_on is None else days_late(review.answer_due_on,
                                                                           today)
    return DisputeState(answered=answered, overdue_days=late)


@dataclass
class UpdateReviews:
    """What the page shows under one progress update."""

    reviews: list[Review] = field(default_factory=list)

    @property
    def confirmed(self) -> int:
        return sum(1 for review in self.reviews if review.kind == ReviewKind.CONFIRM)

    @property
    def disputed(self) -> int:
        return sum(1 for review in self.reviews if review.kind == ReviewKind.DISPUTE)

    def reviewed_by(self, user: User | None) -> bool:
        user_id = getattr(user, "id", None)
        return any(review.reviewer_id == user_id for review in self.reviews)


@dataclass
class DisputeSummary:
    open: int
    overdue: int


def dispute_summary(reviews: Iterable[Review], today: date) -> DisputeSummary:
    """How many disputes are unanswered, and how many of those are past their due date."""
    states = [dispute_state(r, today) for r in reviews if r.kind == ReviewKind.DISPUTE]
    return DisputeSummary(
        open=sum(1 for state in states if state.open),
        overdue=sum(1 for state in states if state.overdue),
    )


def assessments_of(commitment_id: int) -> list[Assessment]:
    """The commitment's assessments, latest first, with their authors and organisations."""
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.commitment_id == commitment_id)
            .options(joinedload(Assessment.author), joinedload(Assessment.organisation))
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        )
    )


@dataclass
class Comparison:
    """The latest self-assessment and independent assessment side by side, and the rest."""

    latest_self: Assessment | None
    latest_independent: Assessment | None
    earlier: list[Assessment]

    @property
    def any(self) -> bool:
        return self.latest_self is not None or self.latest_independent is not None


def compare(assessments: Sequence[Assessment]) -> Comparison:
    """Split assessments (latest first) into the latest of each kind and the earlier ones."""
    latest = {}
    earlier = []
    for assessment in assessments:
        if assessment.kind in latest:
            earlier.append(assessment)
        else:
            latest[assessment.kind] = assessment
    return Comparison(latest.get(AssessmentKind.SELF), latest.get(AssessmentKind.INDEPENDENT),
                      earlier)


def get_update(update_id: int) -> ProgressUpdate | None:
    """One progress update with its author and commitment."""
    return db.session.scalars(
        sa.select(ProgressUpdate)
        .where(ProgressUpdate.id == update_id)
        .options(joinedload(ProgressUpdate.author))
    ).first()


def get_review(review_id: int) -> Review | None:
    """One review with its reviewer and update (and the update's author)."""
    return db.session.scalars(
        sa.select(Review)
        .where(Review.id == review_id)
        .options(
            joinedload(Review.reviewer),
            joinedload(Review.update).joinedload(ProgressUpdate.author),
        )
    ).first()
