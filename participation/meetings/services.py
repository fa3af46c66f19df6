"""Schedule, edit, cancel and hold meetings; keep the Thai agenda in order; take attendance;
record each item's resolution, and link the decision of a ballot opened from an item."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from participation.accountability.services import record
from participation.accounts.models import User
from participation.commitments.services import is_web_address
from participation.core.errors import DomainError, NotAllowed
from participation.decisions.models import Decision
from participation.extensions import db
from participation.groups.models import Seat, WorkingGroup
from participation.meetings.models import (
    CONSIDERATION,
    SECTIONS,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from participation.meetings.permissions import can_manage_meeting, can_schedule_meeting
from participation.notifications.models import FollowedType
from participation.notifications.services import notify
from participation.proposals.models import Proposal, ProposalState
from participation.votes.models import Ballot, BallotResult, BallotStatus

TITLE_MAX = 300
PLACE_MAX = 300
ONLINE_URL_MAX = 500
NOTE_MAX = 300
REASON_MAX = 1000
# Proposals that can come before a meeting: everything that was ever open for comment.
PLACEABLE_STATES = frozenset(
    state for state in ProposalState if state not in (ProposalState.DRAFT, ProposalState.WITHDRAWN)
)


class InvalidMeeting(DomainError):
    """A field of a meeting or of an agenda item that the rules refuse."""


class MeetingFinal(DomainError):
    """A cancelled meeting, or one whose minutes are approved, no longer changes."""


class WrongMeetingState(DomainError):
    """The meeting is not in the state this step needs (cancel a held meeting, ...)."""


class InvalidAttendance(DomainError):
    """A seat's attendance the rules refuse; `seat_id` names the seat when there is one."""

    def __init__(self, message: str, *, seat_id: int | None = None) -> None:
        super().__init__(message)
        self.seat_id = seat_id


@dataclass(frozen=True)
class AttendanceMark:
    """One seat's line of the attendance form."""

    seat_id: int
    status: AttendanceStatus | str
    note: str = ""


# Checks of single fields


def _single_line(value: str | None, *, field: str, limit: int, required: str | None) -> str:
    value = " ".join((value or "").split())
    if not value and required is not None:
        raise InvalidMeeting(required, field=field)
    if len(value) > limit:
        raise InvalidMeeting(_("Use at most %(count)d characters.", count=limit), field=field)
    return value


def _long_text(value: str | None, *, field: str) -> str:
    value = (value or "").strip()
    if len(value) > current_app.config["MAX_BODY_LENGTH"]:
        raise InvalidMeeting(_("The text is too long."), field=field)
    return value


def _moment(value: Any, *, field: str, required: bool = True) -> datetime | None:
    if value is None and not required:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidMeeting(_("Enter the date and time."), field=field)
    # Meetings are called to the minute.
    return value.astimezone(UTC).replace(second=0, microsecond=0)


def _online_url(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > ONLINE_URL_MAX or re.search(r"\s", value) or not is_web_address(value):
        raise InvalidMeeting(
            _("Give the online link as one web address starting with http:// or https://."),
            field="online_url",
        )
    return value


def _guests(value: str | None) -> str:
    """One guest per line, blank lines and extra spaces dropped."""
    text = _long_text(value, field="guests")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _meeting_fields(
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None,
    place: str,
    online_url: str,
    guests: str,
) -> dict[str, Any]:
    """Check every field of a meeting; return the column values to store."""
    values = {
        "title": _single_line(title, field="title", limit=TITLE_MAX,
                              required=_("Give the meeting a title, such as its number.")),
        "starts_at": _moment(starts_at, field="starts_at"),
        "ends_at": _moment(ends_at, field="ends_at", required=False),
        "place": _single_line(place, field="place", limit=PLACE_MAX, required=None),
        "online_url": _online_url(online_url),
        "guests": _guests(guests),
    }
    if values["ends_at"] is not None and values["ends_at"] <= values["starts_at"]:
        raise InvalidMeeting(_("The meeting must end after it starts."), field="ends_at")
    if not values["place"] and not values["online_url"]:
        raise InvalidMeeting(_("Say where the meeting takes place, or give its online link."),
                             field="place")
    return values


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Guards


def _require_manager(actor: User, meeting: Meeting) -> None:
    if not can_manage_meeting(actor, meeting):
        raise NotAllowed(_("Only the secretariat or the chair of the group can run its meetings."))


def _lock(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock (PostgreSQL; SQLite writers hold the database's
    write lock already): two agenda changes at once never take the same number, and a change
    never slips in beside the approval of the minutes."""
    return db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.id == meeting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _require_changeable(meeting: Meeting) -> None:
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise MeetingFinal(
            _("The minutes of this meeting are approved, so it can no longer change. "
              "Record a correction on the minutes instead.")
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingFinal(_("This meeting was cancelled, so it can no longer change."))


def _log(meeting: Meeting, verb: str, *, actor: User | None, now: datetime,
         data: dict[str, Any] | None = None) -> None:
    record(actor=actor, verb=verb, subject_type="meeting", subject_id=meeting.id,
           data={"group_id": meeting.group_id, **(data or {})}, now=now)


def _tell_followers(meeting: Meeting, *, group: WorkingGroup, actor: User, now: datetime) -> None:
    notify(
        event="meeting.scheduled",
        subject_type="meeting",
        subject_id=meeting.id,
        audiences=[(FollowedType.GROUP, meeting.group_id)],
        actor=actor,
        data={"title": meeting.title, "starts_at": _iso(meeting.starts_at),
              "place": meeting.place, "group": group.name_th},
        now=now,
    )


# Meetings


def schedule_meeting(
    *,
    group: WorkingGroup,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    online_url: str = "",
    guests: str = "",
    now: datetime,
) -> Meeting:
    """Call a meeting of the group in the future; tell the group's followers."""
    if not can_schedule_meeting(actor, group.id):
        raise NotAllowed(
            _("Only the secretariat or the chair of the group can schedule its meetings.")
        )
    values = _meeting_fields(title=title, starts_at=starts_at, ends_at=ends_at, place=place,
                             online_url=online_url, guests=guests)
    if values["starts_at"] <= now:
        raise InvalidMeeting(_("The meeting must start in the future."), field="starts_at")
    meeting = Meeting(group_id=group.id, created_by_id=actor.id, status=MeetingStatus.PLANNED,
                      created_at=now, updated_at=now, **values)
    db.session.add(meeting)
    db.session.flush()
    _log(meeting, "meeting.scheduled", actor=actor, now=now,
         data={"starts_at": _iso(meeting.starts_at), "ends_at": _iso(meeting.ends_at)})
    _tell_followers(meeting, group=group, actor=actor, now=now)
    return meeting


def edit_meeting(
    *,
    meeting: Meeting,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    online_url: str = "",
    guests: str = "",
    now: datetime,
) -> list[str]:
    """Change a meeting's details; a planned meeting moved to a new time must still be in the
    future, and its followers are told. Return the names of the fields changed."""
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    _require_changeable(meeting)
    values = _meeting_fields(title=title, starts_at=starts_at, ends_at=ends_at, place=place,
                             online_url=online_url, guests=guests)
    moved = values["starts_at"] != meeting.starts_at
    if moved and meeting.status == MeetingStatus.PLANNED and values["starts_at"] <= now:
        raise InvalidMeeting(_("The meeting must start in the future."), field="starts_at")
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(meeting, name, values[name])
    meeting.updated_at = now
    db.session.flush()
    _log(meeting, "meeting.edited", actor=actor, now=now,
         data={"meeting_fields": changed, "starts_at": _iso(meeting.starts_at)})
    if moved and meeting.status == MeetingStatus.PLANNED:
        _tell_followers(meeting, group=meeting.group, actor=actor, now=now)
    return changed


def cancel_meeting(*, meeting: Meeting, actor: User, reason: str, now: datetime) -> None:
    """Call off a planned meeting, saying why."""
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise WrongMeetingState(_("Only a planned meeting can be cancelled."))
    reason = _single_line(reason, field="reason", limit=REASON_MAX,
                          required=_("Say why the meeting is cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    meeting.updated_at = now
    db.session.flush()
    _log(meeting, "meeting.cancelled", actor=actor, now=now, data={"reason": reason})


def mark_held(*, meeting: Meeting, actor: User, now: datetime) -> None:
    """Record that a planned meeting took place; it must have started."""
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise WrongMeetingState(_("Only a planned meeting can be marked as held."))
    if meeting.starts_at > now:
        raise WrongMeetingState(_("The meeting has not started yet."))
    meeting.status = MeetingStatus.HELD
    meeting.updated_at = now
    db.session.flush()
    _log(meeting, "meeting.held", actor=actor, now=now, data=_attendance_counts(meeting.id))


# The agenda


def _section(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SECTIONS:
        raise InvalidMeeting(_("Choose one of the four sections of the agenda."), field="section")
    return value


def _next_position(meeting_id: int, section: int) -> int:
    last = db.session.scalar(
        sa.select(sa.func.max(AgendaItem.position))
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.section == section)
    )
    return (last or 0) + 1


def _check_proposal(meeting: Meeting, section: int, proposal: Proposal | None,
                    *, item: AgendaItem | None = None) -> None:
    if proposal is None:
        return
    if section != CONSIDERATION:
        raise InvalidMeeting(
            _("A proposal can only be placed under item 3, matters for consideration."),
            field="proposal",
        )
    if proposal.group_id != meeting.group_id:
        raise InvalidMeeting(_("Choose a proposal made to this working group."), field="proposal")
    if proposal.state not in PLACEABLE_STATES:
        raise InvalidMeeting(
            _("A draft or withdrawn proposal cannot come before the meeting."), field="proposal"
        )
    already = db.session.scalar(
        sa.select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.proposal_id == proposal.id,
            AgendaItem.id != (item.id if item is not None else 0),
        )
    )
    if already is not None:
        raise InvalidMeeting(
            _("This proposal is already on the agenda as item %(number)s.",
              number=already.number),
            field="proposal",
        )


def _log_agenda(item: AgendaItem, action: str, *, actor: User, now: datetime,
                meeting: Meeting) -> None:
    _log(meeting, "meeting.agenda_changed", actor=actor, now=now,
         data={"agenda_action": action, "item_id": item.id, "agenda_item": item.number,
               "title": item.title})


def _close_gap(meeting_id: int, section: int, position: int) -> None:
    """Number the items after a removed or moved one down by one, in order, one row at a
    time so that the unique (section, position) of an item holds at every step."""
    later = db.session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.section == section,
               AgendaItem.position > position)
        .order_by(AgendaItem.position)
    )
    for item in list(later):
        item.position -= 1
        db.session.flush([item])


def add_item(
    *,
    meeting: Meeting,
    actor: User,
    section: int,
    title: str,
    description: str = "",
    proposal: Proposal | None = None,
    now: datetime,
) -> AgendaItem:
    """Add an item at the end of its section; a proposal only under matters for
    consideration."""
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    _require_changeable(meeting)
    section = _section(section)
    title = _single_line(title, field="title", limit=TITLE_MAX,
                         required=_("Give the agenda item a title."))
    description = _long_text(description, field="description")
    _check_proposal(meeting, section, proposal)
    item = AgendaItem(
        meeting_id=meeting.id, section=section, position=_next_position(meeting.id, section),
        title=title, description=description,
        proposal_id=proposal.id if proposal is not None else None,
    )
    db.session.add(item)
    db.session.flush()
    meeting.updated_at = now
    _log_agenda(item, "add", actor=actor, now=now, meeting=meeting)
    return item


def _ballot_of_item(item_id: int) -> Ballot | None:
    return db.session.scalars(
        sa.select(Ballot).where(Ballot.agenda_item_id == item_id).order_by(Ballot.id.desc())
    ).first()


def edit_item(
    *,
    item: AgendaItem,
    actor: User,
    section: int,
    title: str,
    description: str = "",
    proposal: Proposal | None = None,
    resolution: str = "",
    now: datetime,
) -> list[str]:
    """Change an item; a new section puts it at that section's end and closes the gap it
    leaves. The resolution in words is recorded once the meeting has started. Return the
    names of the fields changed."""
    meeting = item.meeting
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    _require_changeable(meeting)
    section = _section(section)
    title = _single_line(title, field="title", limit=TITLE_MAX,
                         required=_("Give the agenda item a title."))
    description = _long_text(description, field="description")
    resolution = _long_text(resolution, field="resolution")
    _check_proposal(meeting, section, proposal, item=item)
    proposal_id = proposal.id if proposal is not None else None
    bound = item.decision_id is not None or _ballot_of_item(item.id) is not None
    if bound and (section != item.section or proposal_id != item.proposal_id):
        raise InvalidMeeting(
            _("A ballot was opened from this item, so it stays under matters for "
              "consideration with its proposal."),
            field="proposal" if section == item.section else "section",
        )
    if resolution != item.resolution and resolution and meeting.starts_at > now:
        raise InvalidMeeting(_("The resolution is recorded once the meeting has started."),
                             field="resolution")
    changed = [
        name for name, value in (("title", title), ("description", description),
                                 ("proposal_id", proposal_id), ("section", section))
        if getattr(item, name) != value
    ]
    # Read before any attribute changes: the query would flush a half-changed item (a
    # proposal outside item 3) that the database refuses.
    old_section, old_position = item.section, item.position
    new_position = _next_position(meeting.id, section) if "section" in changed else old_position
    item.title, item.description, item.proposal_id = title, description, proposal_id
    item.section, item.position = section, new_position
    db.session.flush([item])
    if "section" in changed:
        _close_gap(meeting.id, old_section, old_position)
    resolved = resolution != item.resolution
    item.resolution = resolution
    db.session.flush()
    if changed:
        meeting.updated_at = now
        _log_agenda(item, "edit", actor=actor, now=now, meeting=meeting)
    if resolved:
        _log(meeting, "meeting.resolution_recorded", actor=actor, now=now,
             data={"item_id": item.id, "agenda_item": item.number,
                   "length": len(resolution), "sha256": _digest(resolution)})
    return changed + (["resolution"] if resolved else [])


def move_item(*, item: AgendaItem, actor: User, direction: str, now: datetime) -> None:
    """Swap an item with its neighbour above ("up") or below ("down") in its section."""
    meeting = item.meeting
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    _require_changeable(meeting)
    if direction not in ("up", "down"):
        raise InvalidMeeting(_("Choose to move the item up or down."), field="direction")
    going_up = direction == "up"
    neighbour = db.session.scalars(
        sa.select(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.section == item.section,
            AgendaItem.position < item.position if going_up else AgendaItem.position > item.position,
        )
        .order_by(AgendaItem.position.desc() if going_up else AgendaItem.position)
    ).first()
    if neighbour is None:
        raise InvalidMeeting(
            _("This item is already first in its section.") if going_up
            else _("This item is already last in its section."),
            field="direction",
        )
    mine, theirs = item.position, neighbour.position
    # One row at a time through a free number, so (section, position) stays unique throughout.
    item.position = _next_position(meeting.id, item.section)
    db.session.flush([item])
    neighbour.position = mine
    db.session.flush([neighbour])
    item.position = theirs
    db.session.flush([item])
    meeting.updated_at = now
    _log_agenda(item, "move", actor=actor, now=now, meeting=meeting)


def remove_item(*, item: AgendaItem, actor: User, now: datetime) -> None:
    """Take an item off the agenda and number the rest of its section again. An item with a
    ballot, a decision or minutes stays on the record."""
    meeting = item.meeting
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    _require_changeable(meeting)
    if item.decision_id is not None or _ballot_of_item(item.id) is not None:
        raise InvalidMeeting(_("A ballot was opened from this item, so it stays on the agenda."))
    if item.minutes.strip():
        raise InvalidMeeting(_("The minutes of this item are written, so it stays on the "
                               "agenda."))
    number, section, position = item.number, item.section, item.position
    data = {"agenda_action": "remove", "item_id": item.id, "agenda_item": number,
            "title": item.title}
    db.session.delete(item)
    db.session.flush()
    _close_gap(meeting.id, section, position)
    meeting.updated_at = now
    _log(meeting, "meeting.agenda_changed", actor=actor, now=now, data=data)


# Attendance


def _attendance_counts(meeting_id: int) -> dict[str, Any]:
    rows = db.session.execute(
        sa.select(Attendance.status, sa.func.count(Attendance.id))
        .where(Attendance.meeting_id == meeting_id)
        .group_by(Attendance.status)
    )
    found = {AttendanceStatus(status).value: count for status, count in rows}
    return {"attendance": {status.value: found.get(status.value, 0)
                           for status in AttendanceStatus}}


def _attendee(seat: Seat, status: AttendanceStatus) -> int | None:
    """Who sat in the seat: the holder when present, the deputy when represented."""
    label = seat.role.label
    if seat.organisation is not None:
        label = f"{label} ({seat.organisation.name})"
    if status == AttendanceStatus.PRESENT:
        if seat.holder_id is None:
            raise InvalidAttendance(
                _("The seat %(seat)s is vacant, so nobody can be present in it.", seat=label),
                seat_id=seat.id,
            )
        return seat.holder_id
    if status == AttendanceStatus.DEPUTY:
        if seat.deputy_id is None:
            raise InvalidAttendance(
                _("The seat %(seat)s has no deputy, so it cannot be represented by one.",
                  seat=label),
                seat_id=seat.id,
            )
        return seat.deputy_id
    return None


def record_attendance(
    *, meeting: Meeting, actor: User, marks: list[AttendanceMark], now: datetime
) -> dict[str, int]:
    """Record who attended, one mark for every seat of the group: the holder present, the
    deputy in the holder's place, absent, or excused. Return the count per status."""
    _require_manager(actor, meeting)
    meeting = _lock(meeting)
    _require_changeable(meeting)
    if meeting.starts_at > now:
        raise WrongMeetingState(_("Attendance is recorded once the meeting has started."))
    seats = {seat.id: seat for seat in db.session.scalars(
        sa.select(Seat).where(Seat.group_id == meeting.group_id))}
    marked = [mark.seat_id for mark in marks]
    if len(set(marked)) != len(marked) or set(marked) != set(seats):
        raise InvalidAttendance(
            _("The seats of the group have changed since the form was opened. "
              "Open the form again and record the attendance of every seat.")
        )
    # Every line is checked before any is written: a refusal changes nothing.
    checked = []
    for mark in marks:
        seat = seats[mark.seat_id]
        try:
            status = AttendanceStatus(mark.status)
        except ValueError:
            raise InvalidAttendance(_("Choose the attendance of every seat."),
                                    seat_id=seat.id) from None
        note = " ".join((mark.note or "").split())
        if len(note) > NOTE_MAX:
            raise InvalidAttendance(_("Use at most %(count)d characters.", count=NOTE_MAX),
                                    seat_id=seat.id)
        checked.append((seat, status, _attendee(seat, status), note))
    existing = {row.seat_id: row for row in db.session.scalars(
        sa.select(Attendance).where(Attendance.meeting_id == meeting.id))}
    for seat, status, attendee_id, note in checked:
        row = existing.get(seat.id)
        if row is None:
            db.session.add(Attendance(meeting_id=meeting.id, seat_id=seat.id, status=status,
                                      attendee_id=attendee_id, note=note))
        elif (row.status, row.attendee_id, row.note) != (status, attendee_id, note):
            row.status, row.attendee_id, row.note = status, attendee_id, note
    db.session.flush()
    counts = _attendance_counts(meeting.id)
    meeting.updated_at = now
    _log(meeting, "meeting.attendance_recorded", actor=actor, now=now, data=counts)
    return counts["attendance"]


# Ballots opened from an item (called by the votes package)


def check_ballot_item(*, item: AgendaItem, proposal: Proposal) -> None:
    """Refuse a ballot on `proposal` opened from an item that does not bring it, or whose
    meeting was cancelled, or that has a decision already (unless that one had no quorum)."""
    if item.proposal_id != proposal.id:
        raise DomainError(_("This agenda item does not bring this proposal before the meeting."))
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("This meeting was cancelled, so no ballot can be opened from its "
                            "agenda."))
    decision = db.session.get(Decision, item.decision_id) if item.decision_id else None
    if decision is not None and decision.result != BallotResult.NO_QUORUM:
        raise DomainError(_("The meeting has already decided this item."))


def record_ballot_decision(
    *, ballot: Ballot, decision: Decision, actor: User | None, now: datetime
) -> AgendaItem | None:
    """Make a closed ballot's decision the resolution of the agenda item it was opened from."""
    if ballot.agenda_item_id is None or ballot.status != BallotStatus.CLOSED:
        return None
    item = db.session.get(AgendaItem, ballot.agenda_item_id)
    if item is None:
        return None
    item.decision_id = decision.id
    db.session.flush([item])
    record(
        actor=actor,
        verb="meeting.resolution_recorded",
        subject_type="meeting",
        subject_id=item.meeting_id,
        data={"item_id": item.id, "agenda_item": item.number, "ballot_id": ballot.id,
              "decision_id": decision.id, "result": decision.result.value},
        now=now,
    )
    return item
