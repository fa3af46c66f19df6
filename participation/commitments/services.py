"""Create commitments on adopted decisions, add milestones, post progress."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
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
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import site_date
from participation.decisions.models import Decision
from participation.extensions import db
from participation.votes.models import BallotResult

TITLE_MAX = 200
URL_MAX = 2000


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
    return commitment


def add_milestone(
    *, commitment: Commitment, actor: User, title: str, due_date: date, now: datetime
) -> Milestone:
    """Add a milestone to a commitment (secretariat or chair)."""
    if not can_manage_commitment(actor, commitment):
        raise NotAllowed(_("Only the secretariat or the chair of the group can add milestones."))
    milestone = Milestone(commitment_id=commitment.id, title=_title(title), due_date=due_date)
    db.session.add(milestone)
    db.session.flush()
    db.session.expire(commitment, ["milestones"])
    record(
        actor=actor,
        verb="commitment.milestone_added",
        subject_type="commitment",
        subject_id=commitment.id,
        data={"milestone_id": milestone.id, "due_date": due_date.isoformat()},
        now=now,
    )
    return milestone


def post_progress(
    *,
    commitment: Commitment,
    author: User,
    reported_on: date,
    completion: Completion,
    percent: int,
    status: CommitmentStatus,
    note: str,
    reason: str,
    evidence: list[str],
    now: datetime,
) -> ProgressUpdate:
    """Report progress on a commitment and update its completion, percent and status."""
    if not can_post_progress(author, commitment):
        raise NotAllowed(
            _("Only a contact person of the lead agency or the group's secretariat or chair can "
              "post progress on this commitment.")
        )
    completion = Completion(completion)
    status = CommitmentStatus(status)
    if reported_on > site_date(now):
        raise DomainError(_("The report date cannot be in the future."), field="reported_on")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
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
    return update
