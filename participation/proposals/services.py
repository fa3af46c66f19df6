"""Writes on proposals: creation, edits, the state machine and supports. Never commits."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from participation.accountability.services import record
from participation.accounts.models import Organisation, User
from participation.answers.models import Answer
from participation.core.db import insert_for_dialect
from participation.core.errors import DomainError, NotAllowed
from participation.core.i18n import site_date
from participation.core.models import apply_changes
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.groups.permissions import can_manage_group
from participation.notifications import services as notifications
from participation.proposals.models import (
    Category,
    Proposal,
    ProposalRevision,
    ProposalState,
    Support,
)
from participation.proposals.permissions import (
    EDITABLE_STATES,
    MERGEABLE_STATES,
    PARTICIPATION_STATES,
    UNFIT_MERGE_TARGET_STATES,
    WITHDRAWABLE_STATES,
)
from participation.votes.models import Ballot, BallotStatus

TITLE_MAX = 200


class InvalidProposal(DomainError):
    """The title, text or category given cannot be saved."""


class TransitionNotAllowed(DomainError):
    """The proposal's state does not allow this step."""


class NotProposalAuthor(NotAllowed):
    """Only the author may take this step."""


class NotGroupManager(NotAllowed):
    """Only the group's secretariat or chair may take this step."""


class BallotWasOpened(TransitionNotAllowed):
    """A ballot was opened on the proposal, so its author can no longer withdraw it."""


class InvalidMergeTarget(DomainError):
    """The proposal chosen to merge into is not a fit target."""


class SupportNotAllowed(DomainError):
    """A support cannot be given or taken back now."""


# i18n: why supports cannot be given or withdrawn, by the proposal's state.
SUPPORTS_CLOSED = {
    ProposalState.DRAFT: _l("Support opens when the author submits this draft for comment."),
    ProposalState.ADOPTED: _l("Support is closed because this proposal was adopted."),
    ProposalState.REJECTED: _l("Support is closed because this proposal was rejected."),
    ProposalState.WITHDRAWN: _l("Support is closed because this proposal was withdrawn."),
    ProposalState.MERGED: _l(
        "Support is closed because this proposal was merged into another one."
    ),
}


def lock_proposal(proposal: Proposal) -> None:
    """Re-read the proposal under a row lock, so its state and counters are current and the
    checks that follow cannot race another writer (SQLite writers already hold the write lock).

    A plain SELECT of the row: refresh() would repeat the eager joins the page loaded the
    proposal with, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join."""
    db.session.execute(
        sa.select(Proposal)
        .where(Proposal.id == proposal.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _check_text(title: str, body: str) -> tuple[str, str]:
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        raise InvalidProposal(_("Give the proposal a title."), field="title")
    if len(title) > TITLE_MAX:
        raise InvalidProposal(
            _("The title may be at most %(max)d characters long.", max=TITLE_MAX), field="title"
        )
    if not body:
        raise InvalidProposal(_("Describe the proposal."), field="body")
    limit = current_app.config["MAX_BODY_LENGTH"]
    if len(body) > limit:
        raise InvalidProposal(
            _("The text may be at most %(max)d characters long.", max=limit), field="body"
        )
    return title, body


def _require_author(proposal: Proposal, actor: User | None, message: str) -> None:
    if actor is None or actor.id != proposal.author_id:
        raise NotProposalAuthor(message)


def _require_manager(proposal: Proposal, actor: User | None, message: str) -> None:
    if actor is None or not can_manage_group(actor, proposal.group_id):
        raise NotGroupManager(message)


def _refuse_if_hidden(proposal: Proposal) -> None:
    if proposal.is_hidden:
        raise TransitionNotAllowed(
            _("A moderator hid this proposal: it cannot change until it is restored.")
        )


def _move(
    proposal: Proposal, *, to: ProposalState, verb: str, actor: User | None, now: datetime,
    data: dict | None = None,
) -> None:
    # Every state change passes here, after the row lock: a hidden proposal stays as it is.
    _refuse_if_hidden(proposal)
    previous = proposal.state
    proposal.state = to
    proposal.updated_at = now
    db.session.flush()
    record(
        actor=actor,
        verb=verb,
        subject_type="proposal",
        subject_id=proposal.id,
        data={"from": previous.value, "to": to.value, **(data or {})},
        now=now,
    )
    notifications.proposal_state_changed(
        proposal=proposal, previous=previous.value, actor=actor, now=now
    )


def create_proposal(
    *, author: User, group: WorkingGroup, title: str, body: str, category: Category,
    submit: bool, now: datetime,
) -> Proposal:
    """Save a new proposal as a draft (revision 1), and open it for comment if submit is true.

    The sector and organisation the author speaks for are taken from their profile now, so a
    later change of profile does not rewrite who proposed what."""
    title, body = _check_text(title, body)
    proposal = Proposal(
        group_id=group.id,
        title=title,
        body=body,
        category_id=category.id,
        author_id=author.id,
        sector=author.sector,
        organisation_id=author.organisation_id,
        state=ProposalState.DRAFT,
        created_at=now,
        updated_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add(ProposalRevision(
        proposal_id=proposal.id, number=1, title=title, body=body, category_id=category.id,
        editor_id=author.id, created_at=now,
    ))
    db.session.flush()
    record(
        actor=author,
        verb="proposal.created",
        subject_type="proposal",
        subject_id=proposal.id,
        data={"group_id": group.id, "category_id": category.id, "sector": author.sector.value},
        now=now,
    )
    if submit:
        open_for_comment(proposal=proposal, actor=author, now=now)
    return proposal


def edit_proposal(
    *, proposal: Proposal, editor: User, title: str, body: str, category: Category,
    now: datetime,
) -> ProposalRevision | None:
    """Save a new version of the author's draft or open proposal; None when nothing changed."""
    _require_author(proposal, editor, _("Only the author may edit this proposal."))
    lock_proposal(proposal)
    _refuse_if_hidden(proposal)
    if proposal.state not in EDITABLE_STATES:
        raise TransitionNotAllowed(
            _("A proposal can be edited only while it is a draft or open for comment.")
        )
    title, body = _check_text(title, body)
    if (title, body, category.id) == (proposal.title, proposal.body, proposal.category_id):
        return None
    number = db.session.scalar(
        sa.select(sa.func.max(ProposalRevision.number))
        .where(ProposalRevision.proposal_id == proposal.id)
    ) or 0
    revision = ProposalRevision(
        proposal_id=proposal.id, number=number + 1, title=title, body=body,
        category_id=category.id, editor_id=editor.id, created_at=now,
    )
    db.session.add(revision)
    proposal.title, proposal.body, proposal.category_id = title, body, category.id
    proposal.updated_at = now
    db.session.flush()
    record(
        actor=editor,
        verb="proposal.edited",
        subject_type="proposal",
        subject_id=proposal.id,
        data={"revision": revision.number, "category_id": category.id},
        now=now,
    )
    return revision


def open_for_comment(*, proposal: Proposal, actor: User, now: datetime) -> None:
    """Submit the author's draft: it becomes public and open for comment and support."""
    _require_author(proposal, actor, _("Only the author may submit this proposal for comment."))
    lock_proposal(proposal)
    if proposal.state != ProposalState.DRAFT:
        raise TransitionNotAllowed(_("Only a draft can be submitted for comment."))
    proposal.opened_at = now
    # The official answer is due a set number of days after the site-time day of opening.
    group = db.session.get(WorkingGroup, proposal.group_id)
    proposal.answer_due_on = site_date(now) + timedelta(days=group.answer_days)
    _move(proposal, to=ProposalState.OPEN, verb="proposal.opened", actor=actor, now=now)


def start_consideration(*, proposal: Proposal, actor: User, now: datetime) -> None:
    """Put an open proposal before the working group (its secretariat or chair does this)."""
    _require_manager(
        proposal, actor,
        _("Only the secretariat or the chair of the working group may put a proposal under "
          "consideration."),
    )
    lock_proposal(proposal)
    if proposal.state != ProposalState.OPEN:
        raise TransitionNotAllowed(
            _("Only a proposal that is open for comment can be put under consideration.")
        )
    _move(
        proposal, to=ProposalState.UNDER_CONSIDERATION, verb="proposal.under_consideration",
        actor=actor, now=now,
    )


def withdraw(*, proposal: Proposal, actor: User, now: datetime) -> None:
    """Let the author withdraw a proposal, unless a ballot was ever opened on it."""
    _require_author(proposal, actor, _("Only the author may withdraw this proposal."))
    lock_proposal(proposal)
    if proposal.state not in WITHDRAWABLE_STATES:
        raise TransitionNotAllowed(
            _("This proposal can no longer be withdrawn: its state is “%(state)s”.",
              state=proposal.state.label)
        )
    ballots = db.session.scalar(
        sa.select(sa.func.count(Ballot.id)).where(Ballot.proposal_id == proposal.id)
    )
    if ballots:
        raise BallotWasOpened(
            _("This proposal can no longer be withdrawn because the working group has opened a "
              "ballot on it.")
        )
    _move(proposal, to=ProposalState.WITHDRAWN, verb="proposal.withdrawn", actor=actor, now=now)


def merge(*, proposal: Proposal, into: Proposal, actor: User, now: datetime) -> None:
    """Merge a proposal into another of the same group (the secretariat or chair does this)."""
    _require_manager(
        proposal, actor,
        _("Only the secretariat or the chair of the working group may merge proposals."),
    )
    lock_proposal(proposal)
    _refuse_if_hidden(proposal)
    if proposal.state not in MERGEABLE_STATES:
        raise TransitionNotAllowed(
            _("Only a proposal that is open for comment or under consideration can be merged.")
        )
    if into.id == proposal.id:
        raise InvalidMergeTarget(_("A proposal cannot be merged into itself."), field="into")
    if into.group_id != proposal.group_id:
        raise InvalidMergeTarget(
            _("A proposal can only be merged into another proposal of the same working group."),
            field="into",
        )
    db.session.refresh(into)
    if into.is_hidden:
        raise InvalidMergeTarget(
            _("Proposal #%(id)d was hidden by a moderator: it cannot receive a merge.",
              id=into.id),
            field="into",
        )
    if into.state in UNFIT_MERGE_TARGET_STATES:
        raise InvalidMergeTarget(
            _("Proposal #%(id)d cannot receive a merge: its state is “%(state)s”.",
              id=into.id, state=into.state.label),
            field="into",
        )
    open_ballot = db.session.scalar(
        sa.select(sa.func.count(Ballot.id))
        .where(Ballot.proposal_id == proposal.id, Ballot.status == BallotStatus.OPEN)
    )
    if open_ballot:
        raise TransitionNotAllowed(
            _("This proposal cannot be merged while a ballot on it is open.")
        )
    proposal.merged_into_id = into.id
    _move(
        proposal, to=ProposalState.MERGED, verb="proposal.merged", actor=actor, now=now,
        data={"into": into.id},
    )


class AgencyNotAssignable(DomainError):
    """The responsible agency cannot be assigned or changed now."""


def assign_agency(
    *, proposal: Proposal, agency: Organisation | None, actor: User, now: datetime
) -> bool:
    """Name the agency expected to give the official answer (None: the group's secretariat
    answers itself); False when it was already so. Done by the secretariat or the chair once
    the proposal is public, until it is answered."""
    _require_manager(
        proposal, actor,
        _("Only the secretariat or the chair of the working group may assign the responsible "
          "agency."),
    )
    lock_proposal(proposal)
    if proposal.state in (ProposalState.DRAFT, ProposalState.WITHDRAWN):
        raise AgencyNotAssignable(
            _("A responsible agency can be assigned only to a proposal that has been opened "
              "for comment and not withdrawn."),
            field="agency",
        )
    if proposal.is_hidden:
        raise AgencyNotAssignable(
            _("A moderator hid this proposal: it needs no responsible agency."), field="agency"
        )
    answered = db.session.scalar(sa.select(Answer.id).where(Answer.proposal_id == proposal.id))
    if answered is not None:
        raise AgencyNotAssignable(
            _("This proposal has been answered: its responsible agency can no longer change."),
            field="agency",
        )
    agency_id = agency.id if agency is not None else None
    if agency_id == proposal.agency_id:
        return False
    proposal.agency = agency
    proposal.updated_at = now
    db.session.flush()
    record(
        actor=actor,
        verb="proposal.agency_assigned",
        subject_type="proposal",
        subject_id=proposal.id,
        data={"organisation_id": agency_id},
        now=now,
    )
    return True


def _decide(
    proposal: Proposal, *, to: ProposalState, verb: str, actor: User | None, now: datetime
) -> None:
    lock_proposal(proposal)
    if proposal.state != ProposalState.UNDER_CONSIDERATION:
        raise TransitionNotAllowed(
            _("Only a proposal under consideration can be adopted or rejected.")
        )
    _move(proposal, to=to, verb=verb, actor=actor, now=now)


def adopt(*, proposal: Proposal, actor: User | None, now: datetime) -> None:
    """Mark the proposal adopted; called when its ballot closes (actor None if automatic)."""
    _decide(proposal, to=ProposalState.ADOPTED, verb="proposal.adopted", actor=actor, now=now)


def reject(*, proposal: Proposal, actor: User | None, now: datetime) -> None:
    """Mark the proposal rejected; called when its ballot closes (actor None if automatic)."""
    _decide(proposal, to=ProposalState.REJECTED, verb="proposal.rejected", actor=actor, now=now)


def _recount_supports(proposal: Proposal) -> None:
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(
            support_count=sa.select(sa.func.count(Support.id))
            .where(Support.proposal_id == proposal.id)
            .scalar_subquery()
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(proposal, ["support_count", "updated_at"])


def _check_support_open(proposal: Proposal, user: User) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise SupportNotAllowed(_("Log in to support a proposal."))
    if user.id == proposal.author_id:
        raise SupportNotAllowed(_("You cannot support your own proposal."))
    if proposal.is_hidden:
        raise SupportNotAllowed(_("Support is closed because a moderator hid this proposal."))
    if proposal.state not in PARTICIPATION_STATES:
        raise SupportNotAllowed(str(SUPPORTS_CLOSED[proposal.state]))


def support(*, proposal: Proposal, user: User, now: datetime) -> bool:
    """Add the user's support; False if they already supported it (a double click is harmless)."""
    lock_proposal(proposal)
    _check_support_open(proposal, user)
    statement = (
        insert_for_dialect(Support.__table__)
        .values(proposal_id=proposal.id, user_id=user.id, created_at=now)
        .on_conflict_do_nothing(index_elements=["proposal_id", "user_id"])
        .returning(Support.__table__.c.id)
    )
    added = db.session.execute(statement).scalar_one_or_none() is not None
    if added:
        _recount_supports(proposal)
    return added


def withdraw_support(*, proposal: Proposal, user: User) -> bool:
    """Take back the user's support; False if there was none."""
    lock_proposal(proposal)
    _check_support_open(proposal, user)
    removed = db.session.execute(
        sa.delete(Support)
        .where(Support.proposal_id == proposal.id, Support.user_id == user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        _recount_supports(proposal)
    return bool(removed)


class InvalidCategory(DomainError):
    """The category's names cannot be saved."""


def _check_category(name_th: str, name_en: str, category_id: int | None) -> tuple[str, str]:
    name_th, name_en = (name_th or "").strip(), (name_en or "").strip()
    if not name_th:
        raise InvalidCategory(_("Give the category a Thai name."), field="name_th")
    taken = db.session.scalar(
        sa.select(Category.id).where(Category.name_th == name_th, Category.id != category_id)
    )
    if taken is not None:
        raise InvalidCategory(_("Another category already has this name."), field="name_th")
    return name_th, name_en


def create_category(
    *, actor: User | None, name_th: str, name_en: str, position: int, now: datetime
) -> Category:
    """Add a category (administrators do this; the view checks the role)."""
    name_th, name_en = _check_category(name_th, name_en, None)
    category = Category(name_th=name_th, name_en=name_en, position=position)
    db.session.add(category)
    db.session.flush()
    record(actor=actor, verb="category.created", subject_type="category",
           subject_id=category.id, now=now)
    return category


def update_category(
    *, category: Category, actor: User | None, name_th: str, name_en: str, position: int,
    now: datetime,
) -> None:
    """Rename or reorder a category; proposals keep pointing at it."""
    name_th, name_en = _check_category(name_th, name_en, category.id)
    changed = apply_changes(
        category, {"name_th": name_th, "name_en": name_en, "position": position}
    )
    if not changed:
        return
    db.session.flush()
    record(actor=actor, verb="category.edited", subject_type="category",
           subject_id=category.id, data={"changed": changed}, now=now)
