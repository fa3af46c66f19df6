"""Create commitments on adopted decisions, add milestones, set their completion and weights,
post progress."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from participation.accountability.services import record
from participation.accounts.models import Organisation, User
from participation.commitments.models import (
    Commitment,
    CommitmentStatus,
    Completion,
    Milestone,
    ProgressUpdate,
)
from participation.commitments.permissions import (
    can_create_commitment,
    can_manage_commitment,
    can_post_progress,
)
from participation.commitments.tracking import roll_up, uses_set_weights
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import site_date
from participation.decisions.models import Decision
from participation.extensions import db
from participation.notifications import services as notifications
from participation.votes.models import BallotResult

TITLE_MAX = 200
URL_MAX = 2000
WEIGHT_STEP = Decimal("0.001")  # weights have at most three decimals


class CommitmentExists(DomainError):
    """A decision leads to at most one commitment."""


def _title(title: str, field: str = "title") -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give it a title."), field=field)
    if len(title) > TITLE_MAX:
        raise DomainError(_("The title is too long: at most %(max)d characters.", max=TITLE_MAX),
                          field=field)
    return title


def _body(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) > current_app.config["MAX_BODY_LENGTH"]:
        raise DomainError(_("The text is too long."), field=field)
    return text


def is_web_address(url: str) -> bool:
    """True for an absolute http(s) address with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


def create_commitment(
    *,
    decision: Decision,
    actor: User,
    title: str,
    description: str,
    lead_organisation: Organisation,
    supporters: list[Organisation],
    start_date: date,
    due_date: date,
    milestones: list[tuple[str, date]],
    now: datetime,
) -> Commitment:
    """Turn an adopted decision into a commitment with a lead agency and milestones."""
    if decision.result != BallotResult.ADOPTED:
        raise DomainError(_("Only an adopted decision can lead to a commitment."))
    if not can_create_commitment(actor, decision):
        raise NotAllowed(
            _("Only the secretariat or the chair of the group can create the commitment.")
        )
    title = _title(title)
    description = _body(description, "description")
    if due_date < start_date:
        raise DomainError(_("The due date cannot be before the start date."), field="due_date")
    exists = db.session.scalar(sa.select(Commitment.id).where(Commitment.decision_id == decision.id))
    if exists is not None:
        raise CommitmentExists(_("This decision already has a commitment."))
    commitment = Commitment(
        decision_id=decision.id,
        group_id=decision.group_id,
        title=title,
        description=description,
        lead_organisation_id=lead_organisation.id,
        start_date=start_date,
        due_date=due_date,
        completion=Completion.NOT_STARTED,
        percent=0,
        status=CommitmentStatus.ON_TRACK,
        status_reason="",
        created_at=now,
        updated_at=now,
    )
    commitment.supporters = [org for org in supporters if org.id != lead_organisation.id]
    commitment.milestones = [
        Milestone(title=_title(name, "milestones"), due_date=when) for name, when in milestones
    ]
    try:
        with db.session.begin_nested():
            db.session.add(commitment)
            db.session.flush()
    except IntegrityError:
        raise CommitmentExists(_("This decision already has a commitment.")) from None
    record(
        actor=actor,
        verb="commitment.created",
        subject_type="commitment",
        subject_id=commitment.id,
        data={
            "decision_id": decision.id,
            "proposal_id": decision.proposal_id,
            "lead_organisation_id": lead_organisation.id,
            "supporter_ids": sorted(org.id for org in commitment.supporters),
            "start_date": start_date.isoformat(),
            "due_date": due_date.isoformat(),
            "milestones": [
                {"id": m.id, "due_date": m.due_date.isoformat()} for m in commitment.milestones
            ],
        },
        now=now,
    )
    notifications.commitment_created(
        commitment=commitment, decision=decision, actor=actor, now=now
    )
    return commitment


def add_milestone(
    *, commitment: Commitment, actor: User, title: str, due_date: date, now: datetime
) -> Milestone:
    """Add a milestone to a commitment (secretariat or chair)."""
    if not can_manage_commitment(actor, commitment):
        raise NotAllowed(_("Only the secretariat or the chair of the group can add milestones."))
    milestone = Milestone(commitment_id=commitment.id, title=_title(title), due_date=due_date)
    # Set weights no longer sum to 1 with a new milestone: the commitment goes back to equal
    # shares, and the secretariat may weigh them again.
    weights_cleared = uses_set_weights(commitment.milestones)
    for existing in commitment.milestones:
        existing.weight = None
    db.session.add(milestone)
    db.session.flush()
    db.session.expire(commitment, ["milestones"])
    percent = _apply_roll_up(commitment, now)
    record(
        actor=actor,
        verb="commitment.milestone_added",
        subject_type="commitment",
        subject_id=commitment.id,
        data={"milestone_id": milestone.id, "due_date": due_date.isoformat(),
              "weights_cleared": weights_cleared, "percent": percent},
        now=now,
    )
    return milestone


def _apply_roll_up(commitment: Commitment, now: datetime) -> int:
    """Set the commitment's percent from its milestones' roll-up (unchanged without
    milestones); return the percent."""
    rolled = roll_up(commitment.milestones)
    if rolled is not None and commitment.percent != rolled.percent:
        commitment.percent = rolled.percent
        commitment.updated_at = now
    return commitment.percent


def set_milestone_completion(
    *, milestone: Milestone, actor: User, completion: Completion, now: datetime
) -> int:
    """Set a milestone's completion level and roll the commitment's percent up again; return
    the commitment's new percent."""
    commitment = milestone.commitment
    if not can_post_progress(actor, commitment):
        raise NotAllowed(
            _("Only a contact person of the lead agency or the group's secretariat or chair can "
              "update the milestones of this commitment.")
        )
    try:
        completion = Completion(completion)
    except ValueError:
        raise DomainError(_("Choose a completion level."), field="completion") from None
    if milestone.completion == completion:
        raise DomainError(
            _("The milestone is already at this completion level."), field="completion"
        )
    milestone.completion = completion
    db.session.flush()
    percent = _apply_roll_up(commitment, now)
    record(
        actor=actor,
        verb="commitment.milestone_updated",
        subject_type="commitment",
        subject_id=commitment.id,
        data={"milestone_id": milestone.id, "completion": completion.value, "percent": percent},
        now=now,
    )
    return percent


def _weight(value: Decimal, milestone: Milestone) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        raise DomainError(
            _("The weight of “%(milestone)s” must be a number from 0 to 1.",
              milestone=milestone.title),
            field="weights",
        )
    if value != value.quantize(WEIGHT_STEP):
        raise DomainError(
            _("The weight of “%(milestone)s” has more than three decimals.",
              milestone=milestone.title),
            field="weights",
        )
    return value.quantize(WEIGHT_STEP)


def set_weights(
    *,
    commitment: Commitment,
    actor: User,
    weights: Mapping[int, Decimal] | None,
    now: datetime,
) -> dict[int, Decimal]:
    """Weigh the commitment's milestones (milestone id to a weight from 0 to 1, at most three
    decimals, summing to exactly 1), or with None share them equally; roll the percent up
    again. Return the weights set (empty for equal shares)."""
    if not can_manage_commitment(actor, commitment):
        raise NotAllowed(
            _("Only the secretariat or the chair of the group can weigh the milestones.")
        )
    milestones = commitment.milestones
    if not milestones:
        raise DomainError(_("This commitment has no milestones to weigh."))
    chosen: dict[int, Decimal] = {}
    if weights is not None:
        if set(weights) != {m.id for m in milestones}:
            raise DomainError(
                _("The milestones have changed since the form was opened. Check the weights "
                  "again."),
                field="weights",
            )
        chosen = {m.id: _weight(weights[m.id], m) for m in milestones}
        total = sum(chosen.values(), Decimal(0))
        if total != 1:
            raise DomainError(
                _("The weights must add up to exactly 1; they add up to %(total)s.",
                  total=format_decimal(total, format="0.0##")),
                field="weights",
            )
    for milestone in milestones:
        milestone.weight = chosen.get(milestone.id)
    db.session.flush()
    _apply_roll_up(commitment, now)
    record(
        actor=actor,
        verb="commitment.weights_set",
        subject_type="commitment",
        subject_id=commitment.id,
        data={"weights": {str(key): f"{value:.3f}" for key, value in chosen.items()}},
        now=now,
    )
    return chosen


def post_progress(
    *,
    commitment: Commitment,
    author: User,
    reported_on: date,
    completion: Completion,
    status: CommitmentStatus,
    note: str,
    reason: str,
    evidence: list[str],
    now: datetime,
    percent: int | None = None,
) -> ProgressUpdate:
    """Report progress on a commitment and update its completion, percent and status. With
    milestones the percent recorded is their roll-up (`percent` is not used); without, it is
    the `percent` given."""
    if not can_post_progress(author, commitment):
        raise NotAllowed(
            _("Only a contact person of the lead agency or the group's secretariat or chair can "
              "post progress on this commitment.")
        )
    completion = Completion(completion)
    status = CommitmentStatus(status)
    if reported_on > site_date(now):
        raise DomainError(_("The report date cannot be in the future."), field="reported_on")
    rolled = roll_up(commitment.milestones)
    if rolled is not None:
        percent = rolled.percent
    elif not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError(_("The percentage must be a whole number from 0 to 100."),
                          field="percent")
    note = _body(note, "note")
    reason = _body(reason, "reason")
    if status.needs_reason and not reason:
        raise DomainError(
            _("Give the reason when a commitment is delayed or withdrawn."), field="reason"
        )
    links = [link.strip() for link in evidence if link.strip()]
    for link in links:
        if len(link) > URL_MAX or not is_web_address(link):
            raise DomainError(
                _("“%(link)s” is not a web address. Give one http:// or https:// address per "
                  "line.", link=link[:100]),
                field="evidence",
            )
    update = ProgressUpdate(
        commitment_id=commitment.id,
        author_id=author.id,
        reported_on=reported_on,
        completion=completion,
        percent=percent,
        status=status,
        note=note,
        reason=reason,
        evidence=links,
        created_at=now,
    )
    db.session.add(update)
    commitment.completion = completion
    commitment.percent = percent
    commitment.status = status
    commitment.status_reason = reason if status.needs_reason else ""
    commitment.updated_at = now
    db.session.flush()
    record(
        actor=author,
        verb="progress.posted",
        subject_type="commitment",
        subject_id=commitment.id,
        data={
            "progress_id": update.id,
            "reported_on": reported_on.isoformat(),
            "completion": completion.value,
            "percent": percent,
            "status": status.value,
            "evidence_count": len(links),
        },
        now=now,
    )
    notifications.progress_posted(commitment=commitment, update=update, author=author, now=now)
    return update
