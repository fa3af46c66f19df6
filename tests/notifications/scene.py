"""Helpers the notification tests share: followers, and reading what each person was told."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from participation.accounts.models import EmailMode, User
from participation.core.models import utcnow
from participation.extensions import db
from participation.notifications import services
from participation.notifications.models import FollowedType, Notification


def follower(make, *subjects: tuple[FollowedType, Any], mode: EmailMode = EmailMode.IMMEDIATE,
             **fields: Any) -> User:
    """A new person following each (kind, subject) given."""
    user = make.user(**fields)
    user.email_mode = mode
    for kind, subject in subjects:
        services.follow(user=user, kind=kind, subject=subject, now=utcnow())
    db.session.flush()
    return user


def told(user: User, event: str | None = None) -> list[Notification]:
    """The person's notifications (of one event if given), oldest first."""
    statement = sa.select(Notification).where(Notification.user_id == user.id)
    if event is not None:
        statement = statement.where(Notification.event == event)
    return list(db.session.scalars(statement.order_by(Notification.id)))


def events_of(user: User) -> list[str]:
    return [n.event for n in told(user)]
