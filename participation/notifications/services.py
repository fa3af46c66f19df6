"""Following, and turning an event into notifications (and queued e-mails) for followers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _

from participation.accounts.models import EmailMode, User
from participation.core.db import insert_for_dialect
from participation.core.errors import NotAllowed
from participation.core.i18n import site_date
from participation.extensions import db
from participation.kpis.models import Kpi, Measurement, Status
from participation.kpis.status import kpi_status
from participation.mail.models import MailKind, OutboxMail
from participation.notifications.events import EVENTS
from participation.notifications.models import Follow, FollowedType, Notification
from participation.notifications.permissions import can_follow, can_unfollow

if TYPE_CHECKING:
    from participation.comments.models import Comment
    from participation.commitments.models import Commitment, ProgressUpdate
    from participation.decisions.models import Decision
    from participation.proposals.models import Proposal
    from participation.votes.models import Ballot

EXCERPT_MAX = 200


def followers(audiences: Iterable[tuple[FollowedType, int]]) -> list[User]:
    """The people who follow any of these subjects, each once, in one query."""
    pairs = [(FollowedType(kind), subject_id) for kind, subject_id in audiences]
    if not pairs:
        return []
    condition = sa.or_(
        *(sa.and_(Follow.subject_type == kind, Follow.subject_id == sid) for kind, sid in pairs)
    )
    ids = sa.select(Follow.user_id).where(condition).distinct()
    return list(db.session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.id)))


def notify(
    *,
    event: str,
    subject_type: str,
    subject_id: int,
    audiences: Iterable[tuple[FollowedType, int]],
    actor: User | None,
    data: dict[str, Any],
    now: datetime,
) -> list[Notification]:
    """Tell everyone following one of `audiences` about an event, in the caller's transaction.

    The actor is not told about their own act. Each recipient gets one in-site notification;
    those who want each e-mail as it happens also get an outbox row, which the
    `send-notifications` command sends later (never inside a web request). Those who chose
    the daily digest are collected by `send-notifications --digest`.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    created = []
    for user in followers(audiences):
        if actor is not None and user.id == actor.id:
            continue
        created.append(_notification_for(
            user, event=event, subject_type=subject_type, subject_id=subject_id, actor=actor,
            data=data, now=now,
        ))
    db.session.flush()
    return created


def _notification_for(
    user: User, *, event: str, subject_type: str, subject_id: int, actor: User | None,
    data: dict[str, Any], now: datetime,
) -> Notification:
    """Add one in-site notification for the person, and an outbox row if they want each
    e-mail as it happens."""
    notification = Notification(
        user_id=user.id,
        event=event,
        subject_type=subject_type,
        subject_id=subject_id,
        actor_id=actor.id if actor is not None else None,
        data=data,
        created_at=now,
    )
    if user.email_mode == EmailMode.IMMEDIATE:
        mail = OutboxMail(
            user_id=user.id, kind=MailKind.IMMEDIATE, created_at=now, next_attempt_at=now
        )
        db.session.add(mail)
        db.session.flush([mail])
        notification.outbox_id = mail.id
    db.session.add(notification)
    return notification


def notify_person(
    *,
    user: User,
    event: str,
    subject_type: str,
    subject_id: int,
    actor: User | None,
    data: dict[str, Any],
    now: datetime,
) -> Notification | None:
    """Tell one person about an event that concerns them (not what they follow), in the
    caller's transaction, in-site and by e-mail as `notify` does; None when there is nobody to
    tell (they did it themselves, or their account was erased)."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    if (actor is not None and user.id == actor.id) or user.erased_at is not None:
        return None
    notification = _notification_for(
        user, event=event, subject_type=subject_type, subject_id=subject_id, actor=actor,
        data=data, now=now,
    )
    db.session.flush()
    return notification


# Following. Who follows what is personal: it is not written to the public accountability log,
# like a support, and only the follower count is shown to others.


def follow(*, user: User, kind: FollowedType, subject: Any, now: datetime) -> bool:
    """Start following a subject the user may see; False if they already follow it."""
    kind = FollowedType(kind)
    if not can_follow(user, kind, subject):
        raise NotAllowed(_("You cannot follow this."))
    statement = (
        insert_for_dialect(Follow.__table__)
        .values(user_id=user.id, subject_type=kind, subject_id=subject.id, created_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "subject_type", "subject_id"])
        .returning(Follow.__table__.c.id)
    )
    return db.session.execute(statement).scalar_one_or_none() is not None


def unfollow(*, user: User, kind: FollowedType, subject_id: int) -> bool:
    """Stop following a subject; False if the user did not follow it."""
    if not can_unfollow(user):
        raise NotAllowed(_("Log in to change what you follow."))
    removed = db.session.execute(
        sa.delete(Follow)
        .where(
            Follow.user_id == user.id,
            Follow.subject_type == FollowedType(kind),
            Follow.subject_id == subject_id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(removed)


# Reading.


def mark_read(*, notification: Notification, user: User, now: datetime) -> bool:
    """Mark one of the user's notifications read; False if it was read already."""
    if notification.user_id != user.id:
        raise NotAllowed(_("This notification is not yours."))
    if notification.read_at is not None:
        return False
    notification.read_at = now
    db.session.flush()
    return True


def mark_all_read(*, user: User, now: datetime) -> int:
    """Mark every unread notification of the user read; return how many were unread."""
    return db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount


# The events, each called by the service that makes it happen, in the same transaction.


def excerpt(text: str, limit: int = EXCERPT_MAX) -> str:
    """The text on one line, cut to at most `limit` characters with an ellipsis."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def comment_posted(*, comment: Comment, proposal: Proposal, author: User, now: datetime) -> None:
    """Tell the proposal's followers about a new comment or reply."""
    notify(
        event="comment.posted", subject_type="proposal", subject_id=proposal.id,
        audiences=[(FollowedType.PROPOSAL, proposal.id)], actor=author,
        data={"title": proposal.title, "excerpt": excerpt(comment.body),
              "author": author.display_name, "comment_id": comment.id},
        now=now,
    )


def content_moderated(
    *, event: str, author: User, proposal: Proposal, comment: Comment | None,
    moderator: User, data: dict[str, Any], now: datetime,
) -> None:
    """Tell the author (only) that a moderator hid or restored their proposal or comment; the
    link leads to the proposal's page, at the comment."""
    details = {"title": proposal.title, **data}
    if comment is not None:
        details.update(comment_id=comment.id, excerpt=excerpt(comment.body))
    notify_person(
        user=author, event=event, subject_type="proposal", subject_id=proposal.id,
        actor=moderator, data=details, now=now,
    )


def proposal_state_changed(
    *, proposal: Proposal, previous: str, actor: User | None, now: datetime
) -> None:
    """Tell the proposal's followers it moved on; the group's followers too when it opens."""
    state = proposal.state.value
    audiences = [(FollowedType.PROPOSAL, proposal.id)]
    if state == "open":
        audiences.append((FollowedType.GROUP, proposal.group_id))
    notify(
        event="proposal.state_changed", subject_type="proposal", subject_id=proposal.id,
        audiences=audiences, actor=actor,
        data={"title": proposal.title, "state": state, "from": previous}, now=now,
    )


def ballot_opened(*, ballot: Ballot, proposal: Proposal, actor: User, now: datetime) -> None:
    """Tell the followers of the proposal and of its group that voting started."""
    notify(
        event="ballot.opened", subject_type="proposal", subject_id=proposal.id,
        audiences=[(FollowedType.PROPOSAL, proposal.id), (FollowedType.GROUP, proposal.group_id)],
        actor=actor,
        data={"title": proposal.title, "ballot_id": ballot.id,
              "closes_at": ballot.closes_at.astimezone(UTC).isoformat()},
        now=now,
    )


def decision_recorded(
    *, decision: Decision, proposal: Proposal | None, actor: User | None, now: datetime
) -> None:
    """Tell the followers of the proposal and of its group how the ballot ended."""
    notify(
        event="decision.recorded", subject_type="decision", subject_id=decision.id,
        audiences=[(FollowedType.PROPOSAL, decision.proposal_id),
                   (FollowedType.GROUP, decision.group_id)],
        actor=actor,
        data={"title": proposal.title if proposal is not None else "",
              "result": decision.result.value, "proposal_id": decision.proposal_id},
        now=now,
    )


def commitment_created(
    *, commitment: Commitment, decision: Decision, actor: User, now: datetime
) -> None:
    """Tell the followers of the decided proposal and of the group about the commitment."""
    notify(
        event="commitment.created", subject_type="commitment", subject_id=commitment.id,
        audiences=[(FollowedType.PROPOSAL, decision.proposal_id),
                   (FollowedType.GROUP, commitment.group_id)],
        actor=actor,
        data={"title": commitment.title, "proposal_id": decision.proposal_id,
              "decision_id": decision.id},
        now=now,
    )


def progress_posted(
    *, commitment: Commitment, update: ProgressUpdate, author: User, now: datetime
) -> None:
    """Tell the commitment's followers about a progress report."""
    notify(
        event="progress.posted", subject_type="commitment", subject_id=commitment.id,
        audiences=[(FollowedType.COMMITMENT, commitment.id)], actor=author,
        data={"title": commitment.title, "percent": update.percent,
              "status": update.status.value, "progress_id": update.id},
        now=now,
    )


def kpi_statuses(kpis: Sequence[Kpi], *, now: datetime) -> dict[int, Status]:
    """The status of each KPI on the site's day of `now`, with one query for them all."""
    if not kpis:
        return {}
    values: dict[int, list[Any]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Measurement.kpi_id, Measurement.period_start, Measurement.value)
        .where(Measurement.kpi_id.in_([kpi.id for kpi in kpis]))
    )
    for row in rows:
        values[row.kpi_id].append(row)
    today = site_date(now)
    return {kpi.id: kpi_status(kpi, values[kpi.id], today).status for kpi in kpis}


def kpis_went_off_track(
    *, kpis: Sequence[Kpi], before: dict[int, Status], actor: User | None, now: datetime
) -> None:
    """Tell the followers of each KPI, and of its commitments, when it has just gone off
    track (`before`: the statuses from `kpi_statuses` before the change)."""
    if not kpis:
        return
    after = kpi_statuses(kpis, now=now)
    for kpi in kpis:
        if after[kpi.id] != Status.OFF_TRACK or before.get(kpi.id) == Status.OFF_TRACK:
            continue
        audiences = [(FollowedType.KPI, kpi.id)]
        audiences += [(FollowedType.COMMITMENT, c.id) for c in kpi.commitments]
        # Both names: the reader's language is chosen when the notification is shown or mailed.
        notify(
            event="kpi.off_track", subject_type="kpi", subject_id=kpi.id, audiences=audiences,
            actor=actor, data={"title": kpi.name_th, "title_en": kpi.name_en}, now=now,
        )
