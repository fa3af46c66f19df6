"""Reads for following and notifications: links to subjects, counts, lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from participation.comments.models import Comment
from participation.comments.queries import visible_comment
from participation.commitments.models import Commitment, CommitmentStatus
from participation.core.i18n import current_language, format_datetime
from participation.core.pagination import Page, paginate
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.kpis.models import Kpi
from participation.moderation.models import ModerationReason
from participation.moderation.notices import hidden_notice, shown_title
from participation.notifications.events import PERSONAL_EVENTS
from participation.notifications.models import Follow, FollowedType, Notification
from participation.proposals.models import Proposal, ProposalState
from participation.proposals.queries import visible_proposal
from participation.votes.models import BallotResult

# The page each kind of subject is shown on, and the name of its id argument.
_SUBJECT_PAGES = {
    "proposal": ("proposals.detail", "proposal_id"),
    "decision": ("decisions.detail", "decision_id"),
    "commitment": ("commitments.detail", "commitment_id"),
    "kpi": ("kpis.detail", "kpi_id"),
    "meeting": ("meetings.detail", "meeting_id"),
    "group": ("groups.detail", "group_id"),
}

# What can be followed, and the model each kind is.
FOLLOWABLE: dict[FollowedType, type] = {
    FollowedType.PROPOSAL: Proposal,
    FollowedType.COMMITMENT: Commitment,
    FollowedType.KPI: Kpi,
    FollowedType.GROUP: WorkingGroup,
}


def subject_url(
    subject_type: str, subject_id: int, data: dict[str, Any] | None = None, **url_options: Any
) -> str:
    """The page a notification about this subject leads to (a comment's own anchor if known).

    `url_options` go to `url_for`, e.g. `_external=True` for an absolute link in an e-mail.
    """
    subject_type = str(getattr(subject_type, "value", subject_type))
    endpoint, argument = _SUBJECT_PAGES[subject_type]
    comment_id = (data or {}).get("comment_id")
    if subject_type == "proposal" and isinstance(comment_id, int):
        return url_for("comments.permalink", comment_id=comment_id, **url_options)
    return url_for(endpoint, **{argument: subject_id}, **url_options)


def subject_title(data: dict[str, Any] | None) -> str:
    """The subject's title stored with a notification, in the reader's language when it was
    stored in both (a KPI's name): `title` is Thai or the only one, `title_en` English."""
    data = data or {}
    english = data.get("title_en")
    if current_language() == "en" and isinstance(english, str) and english:
        return english
    title = data.get("title")
    return title if isinstance(title, str) else ""


# The key of shown data (never stored) that carries the notice for a hidden comment.
NOTICE = "moderation_notice"


def hidden_subjects(
    notifications: Iterable[Notification],
) -> dict[tuple[str, int], ModerationReason]:
    """The proposals and comments the notifications speak of that a moderator hid, with each
    one's reason, as {("proposal" or "comment", id): reason}: one query, none when they speak
    of neither."""
    proposal_ids: set[int] = set()
    comment_ids: set[int] = set()
    for notification in notifications:
        data = notification.data if isinstance(notification.data, dict) else {}
        kind = str(getattr(notification.subject_type, "value", notification.subject_type))
        if kind == "proposal":
            proposal_ids.add(notification.subject_id)
        elif kind == "comment":
            comment_ids.add(notification.subject_id)
        if _whole(data.get("proposal_id")):
            proposal_ids.add(data["proposal_id"])
        if _whole(data.get("comment_id")):
            comment_ids.add(data["comment_id"])
    if not proposal_ids and not comment_ids:
        return {}
    rows = db.session.execute(sa.union_all(
        sa.select(sa.literal("proposal").label("kind"), Proposal.id.label("id"),
                  Proposal.hidden_reason.label("reason"))
        .where(Proposal.id.in_(proposal_ids), sa.not_(visible_proposal())),
        sa.select(sa.literal("comment"), Comment.id, Comment.hidden_reason)
        .where(Comment.id.in_(comment_ids), sa.not_(visible_comment())),
    ))
    return {(row.kind, row.id): row.reason for row in rows}


def shown_data(
    notification: Notification, hidden: dict[tuple[str, int], ModerationReason]
) -> dict[str, Any]:
    """The notification's data as it may be shown today (`hidden` from `hidden_subjects`): a
    hidden proposal is titled by the moderator's notice, with no comment quoted; a hidden
    comment is not quoted, the notice is shown instead. The stored data stays as it was, and
    the events that tell authors about their own contribution are shown as stored."""
    data = dict(notification.data) if isinstance(notification.data, dict) else {}
    if notification.event in PERSONAL_EVENTS or not hidden:
        return data
    kind = str(getattr(notification.subject_type, "value", notification.subject_type))
    proposal_id = notification.subject_id if kind == "proposal" else data.get("proposal_id")
    comment_id = notification.subject_id if kind == "comment" else data.get("comment_id")
    proposal_reason = hidden.get(("proposal", proposal_id)) if _whole(proposal_id) else None
    comment_reason = hidden.get(("comment", comment_id)) if _whole(comment_id) else None
    if proposal_reason is not None:
        data["title"] = hidden_notice(proposal_reason)
        data.pop("title_en", None)
        data.pop("excerpt", None)
    if comment_reason is not None:
        data.pop("excerpt", None)
        data[NOTICE] = hidden_notice(comment_reason)
    return data


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _label(enum_class: type, value: Any) -> str | None:
    try:
        return str(enum_class(value).label)
    except ValueError:
        return None


def _moment(value: Any) -> str | None:
    try:
        return format_datetime(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return None


def event_detail(event: str, data: dict[str, Any] | None) -> str:
    """One line of what happened, from the notification's data, in the reader's language
    ("" when the event has nothing to add to its phrase and title)."""
    data = data or {}
    if isinstance(notice := data.get(NOTICE), str):
        return notice
    if event == "comment.posted":
        author, text = data.get("author"), data.get("excerpt")
        if isinstance(author, str) and isinstance(text, str):
            # i18n: who wrote a new comment, then the start of it.
            return _("%(author)s: “%(excerpt)s”", author=author, excerpt=text)
    elif event == "proposal.state_changed":
        state = _label(ProposalState, data.get("state"))
        if state:
            return _("Now: %(state)s", state=state)
    elif event == "ballot.opened":
        closes = _moment(data.get("closes_at"))
        if closes:
            return _("Voting closes %(moment)s", moment=closes)
    elif event == "decision.recorded":
        result = _label(BallotResult, data.get("result"))
        if result:
            return _("Result: %(result)s", result=result)
    elif event == "progress.posted":
        status = _label(CommitmentStatus, data.get("status"))
        percent = data.get("percent")
        if status and isinstance(percent, int):
            return _("%(percent)d%% complete, %(status)s", percent=percent, status=status)
    elif event == "meeting.scheduled":
        starts = _moment(data.get("starts_at"))
        if starts:
            return _("Starts %(moment)s", moment=starts)
    elif event == "moderation.hidden":
        reason = _label(ModerationReason, data.get("reason"))
        text = data.get("excerpt")
        if reason and isinstance(text, str) and text:
            # i18n: why a moderator hid the reader's comment, then the start of the comment.
            return _("Reason: %(reason)s. Your comment: “%(excerpt)s”", reason=reason,
                     excerpt=text)
        if reason:
            return _("Reason: %(reason)s", reason=reason)
    elif event == "moderation.restored":
        return _("Everyone can read it again.")
    return ""


def load_subject(kind: FollowedType, subject_id: int) -> Any:
    """The proposal, commitment, KPI or group of that id, or None."""
    return db.session.get(FOLLOWABLE[kind], subject_id)


@dataclass(frozen=True)
class FollowState:
    """What the follow button shows: how many follow, and whether the reader does."""

    kind: str
    subject_id: int
    count: int
    following: bool
    signed_in: bool


def follow_state(user_id: int | None, kind: FollowedType, subject_id: int) -> FollowState:
    """The number of followers of a subject and whether this reader is one, in one query."""
    kind = FollowedType(kind)
    mine = (
        sa.func.count(sa.case((Follow.user_id == user_id, 1)))
        if user_id is not None else sa.literal(0)
    )
    count, following = db.session.execute(
        sa.select(sa.func.count(Follow.id), mine)
        .where(Follow.subject_type == kind, Follow.subject_id == subject_id)
    ).one()
    return FollowState(
        kind.value, subject_id, int(count or 0), bool(following), user_id is not None
    )


def unread_count(user_id: int) -> int:
    """How many of the user's notifications are unread."""
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id))
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ) or 0


def notifications_page(user_id: int, *, page: int, per_page: int) -> Page:
    """The user's notifications, newest first, with who acted."""
    statement = (
        sa.select(Notification)
        .where(Notification.user_id == user_id)
        .options(joinedload(Notification.actor))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(statement, page=page, per_page=per_page)


@dataclass(frozen=True)
class Followed:
    """One thing the user follows, as the "What I follow" list shows it."""

    kind: FollowedType
    subject_id: int
    title: str
    url: str
    since: datetime


def _title(subject: Any) -> str:
    # Proposals (unless hidden) and commitments have a title; KPIs and groups a name in two
    # languages.
    if isinstance(subject, Proposal):
        return shown_title(subject)
    return subject.title if hasattr(subject, "title") else subject.name


def followed_by(user_id: int) -> list[Followed]:
    """What the user follows, grouped by kind, newest first: one query for the follows and
    one per kind of subject among them."""
    follows = list(db.session.scalars(
        sa.select(Follow).where(Follow.user_id == user_id)
        .order_by(Follow.created_at.desc(), Follow.id.desc())
    ))
    by_kind: dict[FollowedType, set[int]] = {}
    for row in follows:
        by_kind.setdefault(row.subject_type, set()).add(row.subject_id)
    subjects: dict[tuple[FollowedType, int], Any] = {}
    for kind, ids in by_kind.items():
        model = FOLLOWABLE[kind]
        for subject in db.session.scalars(sa.select(model).where(model.id.in_(ids))):
            subjects[(kind, subject.id)] = subject
    items = []
    for kind in FOLLOWABLE:
        for row in follows:
            subject = subjects.get((kind, row.subject_id)) if row.subject_type == kind else None
            if subject is None:
                continue
            items.append(Followed(kind, subject.id, _title(subject),
                                  subject_url(kind.value, subject.id), row.created_at))
    return items
