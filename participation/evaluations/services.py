"""Confirm or dispute progress updates, answer disputes, write missed answer deadlines to the
log, and record OGP assessments of commitments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accountability.services import record
from participation.accounts.models import User
from participation.commitments.models import Commitment, Completion, ProgressUpdate
from participation.commitments.services import is_web_address
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import site_date
from participation.evaluations.models import (
    Assessment,
    AssessmentKind,
    OpenedGovernment,
    Review,
    ReviewKind,
)
from participation.evaluations.permissions import can_answer, can_assess, can_review
from participation.evaluations.queries import civil_society_seat
from participation.extensions import db

EVIDENCE_MAX = 500  # Review.evidence_url's column size


class AlreadyReviewed(DomainError):
    """A participant confirms or disputes an update once."""


class AlreadyAssessed(DomainError):
    """One assessment per commitment, kind, author and date."""


def _text(text: str, field: str, *, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > current_app.config["MAX_BODY_LENGTH"]:
        raise DomainError(_("The text is too long."), field=field)
    return text


def _evidence(url: str) -> str:
    url = (url or "").strip()
    if url and (len(url) > EVIDENCE_MAX or not is_web_address(url)):
        raise DomainError(
            _("Give the evidence as one web address starting with http:// or https:// (at most "
              "%(max)d characters).", max=EVIDENCE_MAX),
            field="evidence_url",
        )
    return url


def review_update(
    *,
    update: ProgressUpdate,
    reviewer: User,
    kind: ReviewKind,
    comment: str,
    evidence_url: str,
    now: datetime,
) -> Review:
    """Confirm or dispute a progress update, once per participant; a dispute gets an answer
    deadline of the group's dispute days."""
    if not can_review(reviewer, update):
        if getattr(reviewer, "id", None) == update.author_id:
            raise NotAllowed(_("You cannot review your own progress report."))
        raise NotAllowed(_("Log in to confirm or dispute a progress report."))
    try:
        kind = ReviewKind(kind)
    except ValueError:
        raise DomainError(_("Choose whether you confirm or dispute it."), field="kind") from None
    comment = _text(comment, "comment", missing=_("Say why in a comment."))
    evidence_url = _evidence(evidence_url)
    reviewed = db.session.scalar(
        sa.select(Review.id).where(Review.update_id == update.id,
                                   Review.reviewer_id == reviewer.id)
    )
    if reviewed is not None:
        raise AlreadyReviewed(_("You have already reviewed this progress report."))
    commitment = db.session.get(Commitment, update.commitment_id)
    due_on = None
    if kind == ReviewKind.DISPUTE:
        due_on = site_date(now) + timedelta(days=commitment.group.dispute_days)
    review = Review(
        update_id=update.id,
        reviewer_id=reviewer.id,
        kind=kind,
        comment=comment,
        evidence_url=evidence_url,
        created_at=now,
        answer_due_on=due_on,
        answer="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(review)
            db.session.flush()
    except IntegrityError:
        raise AlreadyReviewed(_("You have already reviewed this progress report.")) from None
    data = {"update_id": update.id, "review_id": review.id}
    if due_on is not None:
        data["due_on"] = due_on.isoformat()
    record(
        actor=reviewer,
        verb="progress.confirmed" if kind == ReviewKind.CONFIRM else "progress.disputed",
        subject_type="commitment",
        subject_id=commitment.id,
        data=data,
        now=now,
    )
    return review


def _lock_review(review: Review) -> Review:
    """Re-read the review under a row lock (PostgreSQL), so that two answers at the same moment
    cannot both pass the "not answered yet" check."""
    return db.session.scalars(
        sa.select(Review)
        .where(Review.id == review.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def answer_dispute(*, review: Review, actor: User, answer: str, now: datetime) -> Review:
    """Answer a dispute as a contact of the lead agency, once."""
    review = _lock_review(review)
    commitment = db.session.get(Commitment, review.update.commitment_id)
    if review.kind != ReviewKind.DISPUTE:
        raise DomainError(_("Only a dispute is answered."))
    if review.answered_at is not None:
        raise DomainError(_("This dispute has already been answered."))
    if not can_answer(actor, review, commitment):
        raise NotAllowed(_("Only a contact person of the lead agency can answer a dispute."))
    review.answer = _text(answer, "answer", missing=_("Write the answer."))
    review.answered_by_id = actor.id
    review.answered_at = now
    db.session.flush()
    record(
        actor=actor,
        verb="dispute.answered",
        subject_type="commitment",
        subject_id=commitment.id,
        data={"update_id": review.update_id, "review_id": review.id,
              "on_time": site_date(now) <= review.answer_due_on},
        now=now,
    )
    return review


def record_overdue_disputes(now: datetime) -> int:
    """Write one dispute.overdue entry per unanswered dispute past its answer date, once each;
    return how many were written."""
    today = site_date(now)
    overdue = db.session.execute(
        sa.select(Review, ProgressUpdate.commitment_id)
        .join(ProgressUpdate, Review.update_id == ProgressUpdate.id)
        .where(
            Review.kind == ReviewKind.DISPUTE,
            Review.answered_at.is_(None),
            Review.overdue_at.is_(None),
            Review.answer_due_on < today,
        )
        .order_by(Review.answer_due_on, Review.id)
        # Two runs at the same moment must not log the same dispute twice.
        .with_for_update(of=Review)
    ).all()
    for review, commitment_id in overdue:
        review.overdue_at = now
        record(
            actor=None,
            verb="dispute.overdue",
            subject_type="commitment",
            subject_id=commitment_id,
            data={"update_id": review.update_id, "review_id": review.id,
                  "due_on": review.answer_due_on.isoformat()},
            now=now,
        )
    db.session.flush()
    return len(overdue)


def record_assessment(
    *,
    commitment: Commitment,
    author: User,
    kind: AssessmentKind,
    assessed_on: date,
    completion: Completion,
    opened_government: OpenedGovernment,
    explanation: str,
    now: datetime,
) -> Assessment:
    """Record an OGP assessment: a self-assessment by a contact of the lead agency, or an
    independent one by the holder or deputy of a civil-society seat of the group."""
    try:
        kind = AssessmentKind(kind)
    except ValueError:
        raise DomainError(_("Choose the kind of assessment."), field="kind") from None
    if not can_assess(author, commitment, kind):
        if kind == AssessmentKind.SELF:
            raise NotAllowed(_("Only a contact person of the lead agency records its "
                               "self-assessment."), field="kind")
        raise NotAllowed(_("Only the holders and deputies of the group's civil-society seats "
                           "record an independent assessment."), field="kind")
    try:
        completion = Completion(completion)
    except ValueError:
        raise DomainError(_("Choose a completion level."), field="completion") from None
    try:
        opened_government = OpenedGovernment(opened_government)
    except ValueError:
        raise DomainError(_("Choose whether it opened government."),
                          field="opened_government") from None
    if assessed_on > site_date(now):
        raise DomainError(_("The assessment date cannot be in the future."), field="assessed_on")
    explanation = _text(explanation, "explanation", missing=_("Explain the assessment."))
    if kind == AssessmentKind.SELF:
        organisation_id = commitment.lead_organisation_id
    else:
        seat = civil_society_seat(author, commitment.group_id)
        organisation_id = seat.organisation_id or author.organisation_id
    duplicate = _("You have already recorded this kind of assessment of this commitment on "
                  "that date.")
    exists = db.session.scalar(
        sa.select(Assessment.id).where(
            Assessment.commitment_id == commitment.id, Assessment.kind == kind,
            Assessment.author_id == author.id, Assessment.assessed_on == assessed_on,
        )
    )
    if exists is not None:
        raise AlreadyAssessed(duplicate, field="assessed_on")
    assessment = Assessment(
        commitment_id=commitment.id,
        kind=kind,
        assessed_on=assessed_on,
        completion=completion,
        opened_government=opened_government,
        explanation=explanation,
        author_id=author.id,
        organisation_id=organisation_id,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(assessment)
            db.session.flush()
    except IntegrityError:
        raise AlreadyAssessed(duplicate, field="assessed_on") from None
    record(
        actor=author,
        verb="assessment.recorded",
        subject_type="commitment",
        subject_id=commitment.id,
        data={
            "assessment_id": assessment.id,
            "kind": kind.value,
            "completion": completion.value,
            "opened_government": opened_government.value,
            "assessed_on": assessed_on.isoformat(),
        },
        now=now,
    )
    return assessment
