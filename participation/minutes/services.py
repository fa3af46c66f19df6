"""Write, publish, approve and correct the minutes of a meeting, each step in the log."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from participation.accountability.models import LogEntry
from participation.accountability.services import record
from participation.accounts.models import User
from participation.core.errors import DomainError, NotAllowed
from participation.extensions import db
from participation.meetings.models import AgendaItem, Meeting, MeetingStatus, MinutesStatus
from participation.minutes import queries
from participation.minutes.permissions import can_manage_minutes
from participation.notifications.models import FollowedType
from participation.notifications.services import notify


class MinutesRefused(DomainError):
    """A rule of the minutes said no."""


class MinutesApproved(MinutesRefused):
    """Approved minutes never change; only a correction can be added to the log."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _check_manager(actor: User, meeting: Meeting) -> None:
    if not can_manage_minutes(actor, meeting):
        raise NotAllowed(_("Only the secretariat or the chair of the group keeps its minutes."))


def _check_not_approved(meeting: Meeting) -> None:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise MinutesApproved(
            _("These minutes were approved and can no longer change. Record a correction "
              "instead.")
        )


def _check_held(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise MinutesRefused(_("Minutes are written once the meeting has been held."))


def _too_long(text: str) -> bool:
    return len(text) > current_app.config["MAX_BODY_LENGTH"]


def edit_minutes(
    *,
    meeting: Meeting,
    actor: User,
    minutes: Mapping[int, str],
    minutes_taker: User | None,
    now: datetime,
) -> int:
    """Set the minutes of agenda items (text by item id) and who took them, while the
    minutes are not approved; log each change. Return how many things changed."""
    _check_manager(actor, meeting)
    _check_not_approved(meeting)
    _check_held(meeting)
    items = {item.id: item for item in meeting.items}
    if not set(minutes) <= set(items):
        raise MinutesRefused(
            _("The agenda has changed since the form was opened. Reload the page and write "
              "the minutes again.")
        )
    texts = {item_id: (text or "").strip() for item_id, text in minutes.items()}
    for item_id, text in texts.items():
        if _too_long(text):
            raise MinutesRefused(
                _("The minutes of item %(number)s may be at most %(max)d characters long (it "
                  "has %(length)d).", number=items[item_id].number,
                  max=current_app.config["MAX_BODY_LENGTH"], length=len(text))
            )
    if minutes_taker is not None and minutes_taker.id != meeting.minutes_taker_id and (
        minutes_taker.id not in {user.id for user in queries.taker_choices(meeting.group_id)}
    ):
        raise MinutesRefused(
            _("The minutes taker must hold or deputise a seat in the group."),
            field="minutes_taker",
        )
    changed = 0
    for item in meeting.items:
        if item.id not in texts or texts[item.id] == item.minutes:
            continue
        item.minutes = texts[item.id]
        changed += 1
        # The text itself is public on the minutes page once published; the log keeps its
        # fingerprint, so any later change to it shows.
        record(actor=actor, verb="minutes.edited", subject_type="meeting", subject_id=meeting.id,
               data={"item_id": item.id, "item_number": item.number,
                     "length": len(item.minutes), "sha256": _digest(item.minutes)},
               now=now)
    taker_id = minutes_taker.id if minutes_taker is not None else None
    if taker_id != meeting.minutes_taker_id:
        meeting.minutes_taker = minutes_taker
        changed += 1
        record(actor=actor, verb="minutes.edited", subject_type="meeting", subject_id=meeting.id,
               data={"minutes_taker_id": taker_id}, now=now)
    db.session.flush()
    return changed


def publish_minutes(*, meeting: Meeting, actor: User, now: datetime) -> None:
    """Make the draft minutes public and tell the group's followers."""
    _check_manager(actor, meeting)
    _check_not_approved(meeting)
    _check_held(meeting)
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise MinutesRefused(_("These minutes are already published."))
    written = sum(1 for item in meeting.items if item.minutes.strip())
    if not written:
        raise MinutesRefused(
            _("Write the minutes of at least one agenda item before publishing them.")
        )
    meeting.minutes_status = MinutesStatus.PUBLISHED
    meeting.minutes_published_at = now
    record(actor=actor, verb="minutes.published", subject_type="meeting", subject_id=meeting.id,
           data={"items": written}, now=now)
    notify(
        event="minutes.published", subject_type="meeting", subject_id=meeting.id,
        audiences=[(FollowedType.GROUP, meeting.group_id)], actor=actor,
        data={"title": meeting.title}, now=now,
    )
    db.session.flush()


def approve_minutes(
    *, meeting: Meeting, actor: User, at_meeting: Meeting | None, now: datetime
) -> None:
    """Record that a later held meeting of the group approved (รับรอง) the published minutes;
    from then on they never change."""
    _check_manager(actor, meeting)
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise MinutesApproved(_("These minutes are already approved."))
    if meeting.minutes_status != MinutesStatus.PUBLISHED:
        raise MinutesRefused(_("Publish the minutes before they are approved."))
    if (
        at_meeting is None
        or at_meeting.id == meeting.id
        or at_meeting.group_id != meeting.group_id
        or at_meeting.status != MeetingStatus.HELD
        or at_meeting.starts_at <= meeting.starts_at
    ):
        raise MinutesRefused(
            _("Minutes are approved at a later meeting of the same group that has been held."),
            field="at_meeting",
        )
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.approved_at_meeting = at_meeting
    meeting.minutes_approved_at = now
    record(actor=actor, verb="minutes.approved", subject_type="meeting", subject_id=meeting.id,
           data={"at_meeting_id": at_meeting.id}, now=now)
    db.session.flush()


def record_correction(
    *, meeting: Meeting, item: AgendaItem, actor: User, text: str, now: datetime
) -> LogEntry:
    """Add a correction of an approved item's minutes to the accountability log; the minutes
    themselves stay as approved, and the page shows the correction under the item."""
    _check_manager(actor, meeting)
    if item.meeting_id != meeting.id:
        raise MinutesRefused(_("This agenda item belongs to another meeting."))
    if meeting.minutes_status != MinutesStatus.APPROVED:
        raise MinutesRefused(
            _("Until the minutes are approved, edit them instead of recording a correction.")
        )
    text = (text or "").strip()
    if not text:
        raise MinutesRefused(_("Write the correction."), field="text")
    if _too_long(text):
        raise MinutesRefused(
            _("The correction may be at most %(max)d characters long (it has %(length)d).",
              max=current_app.config["MAX_BODY_LENGTH"], length=len(text)),
            field="text",
        )
    return record(actor=actor, verb="minutes.corrected", subject_type="meeting",
                  subject_id=meeting.id,
                  data={"item_id": item.id, "item_number": item.number, "text": text}, now=now)
