"""Writes on official answers: answering a proposal and logging missed deadlines. Never commits."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from participation.accountability.services import record
from participation.accounts.models import Organisation, User
from participation.answers.models import Answer, AnswerState
from participation.answers.permissions import NEEDS_NO_ANSWER_STATES, may_answer, speaks_for
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import site_date
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalState
from participation.proposals.services import lock_proposal


class NotAllowedToAnswer(NotAllowed):
    """Only the group's secretariat or chair, or the responsible agency, answers."""


class AnswerNotPossible(DomainError):
    """The proposal cannot be answered now (not opened, withdrawn, or answered already)."""


class InvalidAnswer(DomainError):
    """The state, text, agency or proposal given cannot make an answer."""


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidAnswer(_("Write the answer."), field="body")
    limit = current_app.config["MAX_BODY_LENGTH"]
    if len(body) > limit:
        raise InvalidAnswer(
            _("The text may be at most %(max)d characters long.", max=limit), field="body"
        )
    return body


def _check_referral(
    state: AnswerState, referred_to: Organisation | None, organisation_id: int | None
) -> None:
    if state == AnswerState.REFERRED:
        if referred_to is None:
            raise InvalidAnswer(
                _("Choose the agency the proposal is referred to."), field="referred_to"
            )
        if referred_to.id == organisation_id:
            raise InvalidAnswer(
                _("Refer the proposal to another agency than the one answering."),
                field="referred_to",
            )
    elif referred_to is not None:
        raise InvalidAnswer(
            _("Choose an agency only when the proposal is referred to another agency."),
            field="referred_to",
        )


def _check_merge_target(
    state: AnswerState, proposal: Proposal, merged_into: Proposal | None
) -> None:
    if merged_into is None:
        return
    if state != AnswerState.MERGED:
        raise InvalidAnswer(
            _("Choose a proposal only when the answer is that it was merged."),
            field="merged_into",
        )
    if merged_into.id == proposal.id:
        raise InvalidAnswer(_("A proposal cannot be merged into itself."), field="merged_into")
    if merged_into.state == ProposalState.DRAFT:
        raise InvalidAnswer(
            _("Choose a proposal that is public, not a draft."), field="merged_into"
        )


def answer_proposal(
    *, proposal: Proposal, actor: User, state: AnswerState, body: str,
    referred_to: Organisation | None, merged_into: Proposal | None, now: datetime,
) -> Answer:
    """Give the proposal its one official answer, for the agency the actor speaks for (None:
    the secretariat), and log it with whether it came on time.

    The answer does not change the proposal's state: the working group still decides on the
    proposal itself (consideration, ballot, merge) by the proposal's own steps."""
    if not may_answer(actor, proposal):
        raise NotAllowedToAnswer(
            _("Only the secretariat or the chair of the working group, or a contact of the "
              "responsible agency, may answer this proposal.")
        )
    lock_proposal(proposal)
    if proposal.answer_due_on is None:
        raise AnswerNotPossible(
            _("A proposal can be answered only once it has been opened for comment.")
        )
    if proposal.state == ProposalState.WITHDRAWN:
        raise AnswerNotPossible(_("This proposal was withdrawn by its author: it needs no answer."))
    if proposal.is_hidden:
        raise AnswerNotPossible(_("A moderator hid this proposal: it needs no answer."))
    answered = db.session.scalar(sa.select(Answer.id).where(Answer.proposal_id == proposal.id))
    if answered is not None:
        raise AnswerNotPossible(
            _("This proposal has already been answered. An official answer is given only once.")
        )
    body = _check_body(body)
    organisation_id = speaks_for(actor, proposal)
    _check_referral(state, referred_to, organisation_id)
    _check_merge_target(state, proposal, merged_into)

    answer = Answer(
        proposal_id=proposal.id,
        state=state,
        body=body,
        referred_to_id=referred_to.id if referred_to is not None else None,
        merged_into_id=merged_into.id if merged_into is not None else None,
        answered_by_id=actor.id,
        organisation_id=organisation_id,
        answered_at=now,
        answered_on=site_date(now),
        due_on=proposal.answer_due_on,
    )
    db.session.add(answer)
    db.session.flush()
    data = {
        "state": state.value,
        "organisation_id": organisation_id,
        "due_on": answer.due_on.isoformat(),
        "answered_on": answer.answered_on.isoformat(),
        "on_time": answer.on_time,
    }
    if answer.referred_to_id is not None:
        data["referred_to_id"] = answer.referred_to_id
    if answer.merged_into_id is not None:
        data["merged_into_id"] = answer.merged_into_id
    record(
        actor=actor,
        verb="proposal.answered",
        subject_type="proposal",
        subject_id=proposal.id,
        data=data,
        now=now,
    )
    return answer


def record_overdue_answers(now: datetime) -> int:
    """Log each unanswered proposal whose answer deadline has passed, once (actor None), and
    return how many were logged. Drafts, withdrawn, merged and hidden proposals need no
    answer."""
    today = site_date(now)
    unanswered = ~sa.exists().where(Answer.proposal_id == Proposal.id)
    overdue = db.session.scalars(
        sa.select(Proposal)
        .where(
            Proposal.answer_due_on < today,
            Proposal.answer_overdue_at.is_(None),
            Proposal.state.not_in(NEEDS_NO_ANSWER_STATES),
            Proposal.hidden_at.is_(None),
            unanswered,
        )
        .order_by(Proposal.id)
        .with_for_update()
    ).all()
    for proposal in overdue:
        proposal.answer_overdue_at = now
        db.session.flush()
        record(
            actor=None,
            verb="proposal.answer_overdue",
            subject_type="proposal",
            subject_id=proposal.id,
            data={"due_on": proposal.answer_due_on.isoformat(),
                  "organisation_id": proposal.agency_id},
            now=now,
        )
    return len(overdue)
