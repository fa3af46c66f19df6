"""Meetings: the lists, one meeting's public page, the managers' forms (schedule, edit, cancel,
mark held, the agenda, attendance) and the iCalendar of meetings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import icalendar
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.core.errors import valid_id
from participation.core.i18n import current_language, from_site_time, site_zone
from participation.core.models import utcnow
from participation.core.views import me, page_number, require, unit_of_work
from participation.decisions.models import Decision
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.meetings import queries, services
from participation.meetings.forms import (
    NO_PROPOSAL,
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    EditAgendaItemForm,
    MeetingForm,
    MoveItemForm,
)
from participation.meetings.models import (
    CONSIDERATION,
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from participation.meetings.permissions import (
    can_cancel_meeting,
    can_edit_agenda,
    can_edit_meeting,
    can_manage_meeting,
    can_mark_held,
    can_record_attendance,
    can_schedule_meeting,
    is_final,
)
from participation.proposals.models import ProposalState

bp = Blueprint("meetings", __name__)

CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"
MINUTES_ENDPOINT = "minutes.detail"


@bp.app_template_global()
def decision_agenda_item(decision: Decision) -> AgendaItem | None:
    """The agenda item whose resolution a decision is (for the decision's page)."""
    return queries.item_of_decision(decision.id)


def _to_site_time(moment: datetime | None) -> datetime | None:
    """An aware moment as the naive site-time value a datetime-local field shows."""
    if moment is None:
        return None
    return moment.astimezone(site_zone()).replace(tzinfo=None, second=0, microsecond=0)


def _minutes_url(meeting: Meeting, manager: bool) -> str | None:
    """The minutes page (its own package) once it exists: public when the minutes are
    published or approved, for the managers from the moment the meeting is held."""
    if MINUTES_ENDPOINT not in current_app.view_functions:
        return None
    public = meeting.minutes_status in (MinutesStatus.PUBLISHED, MinutesStatus.APPROVED)
    if not public and not (manager and meeting.status == MeetingStatus.HELD):
        return None
    for rule in current_app.url_map.iter_rules(MINUTES_ENDPOINT):
        if len(rule.arguments) == 1:
            (argument,) = rule.arguments
            return url_for(MINUTES_ENDPOINT, **{argument: meeting.id})
    return None


def _detail_url(meeting_id: int, item_id: int | None = None) -> str:
    anchor = f"item-{item_id}" if item_id is not None else None
    return url_for("meetings.detail", meeting_id=meeting_id, _anchor=anchor)


# Public pages


def _group_filter() -> WorkingGroup | None:
    """The group chosen in the list's filter; anything else than a group's id shows all."""
    group_id = valid_id(request.args.get("group", type=int))
    return db.session.get(WorkingGroup, group_id) if group_id is not None else None


def _list_page(group: WorkingGroup | None):
    now = utcnow()
    group_id = group.id if group is not None else None
    return render_template(
        "meetings/index.html",
        group=group,
        upcoming=queries.upcoming(now=now, group_id=group_id),
        past=queries.past_page(now=now, page=page_number(),
                               per_page=current_app.config["PER_PAGE"], group_id=group_id),
        groups=queries.all_groups(),
        schedulable=queries.groups_scheduled_by(
            current_user if current_user.is_authenticated else None
        ),
    )


@bp.get("/meetings")
def index():
    return _list_page(_group_filter())


@bp.get("/groups/<int:group_id>/meetings")
def group_meetings(group_id: int):
    return _list_page(db.get_or_404(WorkingGroup, group_id))


@bp.get("/meetings/<int:meeting_id>")
def detail(meeting_id: int):
    meeting = queries.get_meeting(meeting_id)
    if meeting is None:
        abort(404)
    now = utcnow()
    seats = queries.group_seats(meeting.group_id)
    rows = queries.attendance_rows(meeting, seats)
    manager = can_manage_meeting(current_user, meeting)
    proposal_ids = [item.proposal_id for item in meeting.items if item.proposal_id]
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        sections=queries.sections(meeting),
        rows=rows,
        recorded=any(row.attendance is not None for row in rows),
        quorum=queries.quorum(rows),
        open_ballots=queries.open_ballots(proposal_ids),
        guests=[line for line in meeting.guests.splitlines() if line.strip()],
        minutes_url=_minutes_url(meeting, manager),
        manager=manager,
        may_edit=can_edit_meeting(current_user, meeting),
        may_cancel=can_cancel_meeting(current_user, meeting),
        may_mark_held=can_mark_held(current_user, meeting, now),
        may_edit_agenda=can_edit_agenda(current_user, meeting),
        may_take_attendance=can_record_attendance(current_user, meeting, now),
        under_consideration=ProposalState.UNDER_CONSIDERATION,
    )


# Scheduling and running a meeting


def _meeting_arguments(form: MeetingForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "starts_at": from_site_time(form.starts_at.data),
        "ends_at": from_site_time(form.ends_at.data) if form.ends_at.data else None,
        "place": form.place.data or "",
        "online_url": form.online_url.data or "",
        "guests": form.guests.data or "",
    }


def _final_refusal(meeting: Meeting):
    """Send the manager back to a meeting that can no longer change, saying why."""
    if meeting.status == MeetingStatus.CANCELLED:
        flash(_("This meeting was cancelled, so it can no longer change."), "error")
    else:
        flash(_("The minutes of this meeting are approved, so it can no longer change. "
                "Record a correction on the minutes instead."), "error")
    return redirect(_detail_url(meeting.id))


@bp.route("/groups/<int:group_id>/meetings/new", methods=["GET", "POST"])
@login_required
def schedule(group_id: int):
    group = db.get_or_404(WorkingGroup, group_id)
    require(can_schedule_meeting(current_user, group.id))
    form = MeetingForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            meeting = services.schedule_meeting(group=group, actor=me(), now=utcnow(),
                                                **_meeting_arguments(form))
        if work.ok:
            flash(_("The meeting is scheduled. Add its agenda now."))
            return redirect(_detail_url(meeting.id))
    return render_template("meetings/form.html", form=form, group=group, meeting=None)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    require(can_manage_meeting(current_user, meeting))
    if is_final(meeting):
        return _final_refusal(meeting)
    form = MeetingForm(obj=meeting) if request.method == "GET" else MeetingForm()
    if request.method == "GET":
        form.starts_at.data = _to_site_time(meeting.starts_at)
        form.ends_at.data = _to_site_time(meeting.ends_at)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changed = services.edit_meeting(meeting=meeting, actor=me(), now=utcnow(),
                                            **_meeting_arguments(form))
        if work.ok:
            flash(_("The meeting is saved.") if changed else _("Nothing has changed."))
            return redirect(_detail_url(meeting_id))
    return render_template("meetings/form.html", form=form, group=meeting.group,
                           meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    require(can_manage_meeting(current_user, meeting))
    if meeting.status != MeetingStatus.PLANNED:
        flash(_("Only a planned meeting can be cancelled."), "error")
        return redirect(_detail_url(meeting_id))
    form = CancelForm()
    if form.validate_on_submit():
        with unit_of_work(form, fallback_field="reason") as work:
            services.cancel_meeting(meeting=meeting, actor=me(), reason=form.reason.data,
                                    now=utcnow())
        if work.ok:
            flash(_("The meeting is cancelled."))
            return redirect(_detail_url(meeting_id))
    return render_template("meetings/cancel.html", form=form, meeting=meeting)


@bp.post("/meetings/<int:meeting_id>/held")
@login_required
def mark_held(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    require(can_manage_meeting(current_user, meeting))
    with unit_of_work() as work:
        services.mark_held(meeting=meeting, actor=me(), now=utcnow())
    if work.ok:
        flash(_("The meeting is marked as held. Record its attendance and resolutions."))
    return redirect(_detail_url(meeting_id))


# The agenda


def _item_arguments(form: AgendaItemForm, proposals: list) -> dict[str, Any]:
    return {
        "section": form.section.data,
        "title": form.title.data,
        "description": form.description.data or "",
        "proposal": form.chosen_proposal(proposals),
    }


@bp.route("/meetings/<int:meeting_id>/items/new", methods=["GET", "POST"])
@login_required
def add_item(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    require(can_manage_meeting(current_user, meeting))
    if is_final(meeting):
        return _final_refusal(meeting)
    proposals = queries.placeable_proposals(meeting.group_id)
    form = AgendaItemForm(proposals=proposals)
    if request.method == "GET":
        section = request.args.get("section", type=int)
        form.section.data = section if section in (1, 2, 3, 4) else CONSIDERATION
        proposal_id = request.args.get("proposal", type=int)
        if proposal_id in {proposal.id for proposal in proposals}:
            form.proposal.data = proposal_id
            form.section.data = CONSIDERATION
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            item = services.add_item(meeting=meeting, actor=me(), now=utcnow(),
                                     **_item_arguments(form, proposals))
        if work.ok:
            flash(_("Item %(number)s is on the agenda.", number=item.number))
            return redirect(_detail_url(meeting_id, item.id))
    return render_template("meetings/item_form.html", form=form, meeting=meeting, item=None)


@bp.route("/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(item_id: int):
    item = queries.get_item(item_id)
    if item is None:
        abort(404)
    meeting = item.meeting
    require(can_manage_meeting(current_user, meeting))
    if is_final(meeting):
        return _final_refusal(meeting)
    proposals = queries.placeable_proposals(meeting.group_id)
    if item.proposal is not None and item.proposal not in proposals:
        proposals.append(item.proposal)
    if request.method == "GET":
        form = EditAgendaItemForm(obj=item, proposals=proposals)
        form.proposal.data = item.proposal_id or NO_PROPOSAL
    else:
        form = EditAgendaItemForm(proposals=proposals)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            changed = services.edit_item(item=item, actor=me(), now=utcnow(),
                                         resolution=form.resolution.data or "",
                                         **_item_arguments(form, proposals))
        if work.ok:
            flash(_("Item %(number)s is saved.", number=item.number) if changed
                  else _("Nothing has changed."))
            return redirect(_detail_url(item.meeting_id, item.id))
        item = queries.get_item(item_id)
    return render_template("meetings/item_form.html", form=form, meeting=item.meeting,
                           item=item)


@bp.post("/agenda-items/<int:item_id>/move")
@login_required
def move_item(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id = item.meeting_id
    require(can_manage_meeting(current_user, item.meeting))
    form = MoveItemForm()
    if not form.validate_on_submit():
        flash(" ".join(form.direction.errors) or _("The form could not be read."), "error")
        return redirect(_detail_url(meeting_id, item_id))
    with unit_of_work() as work:
        services.move_item(item=item, actor=me(), direction=form.direction.data, now=utcnow())
    if work.ok:
        flash(_("The item is now number %(number)s.", number=item.number))
    return redirect(_detail_url(meeting_id, item_id))


@bp.post("/agenda-items/<int:item_id>/remove")
@login_required
def remove_item(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, number = item.meeting_id, item.number
    require(can_manage_meeting(current_user, item.meeting))
    with unit_of_work() as work:
        services.remove_item(item=item, actor=me(), now=utcnow())
    if work.ok:
        flash(_("Item %(number)s is removed from the agenda; the items after it moved up.",
                number=number))
        return redirect(_detail_url(meeting_id))
    return redirect(_detail_url(meeting_id, item_id))


# Attendance


def _fill_attendance(form: AttendanceForm, seats: list, meeting: Meeting) -> None:
    """One line per seat: what was recorded, else present for a held seat, absent for a
    vacant one."""
    recorded = {row.seat_id: row for row in meeting.attendance}
    while form.seats.entries:
        form.seats.pop_entry()
    for seat in seats:
        row = recorded.get(seat.id)
        if row is not None:
            status, note = AttendanceStatus(row.status).value, row.note
        else:
            held = seat.holder_id is not None
            status = (AttendanceStatus.PRESENT if held else AttendanceStatus.ABSENT).value
            note = ""
        form.seats.append_entry({"seat_id": seat.id, "status": status, "note": note})


def _aligned(form: AttendanceForm, seats: list) -> bool:
    """Whether the lines sent are the group's seats, in the order the form showed them."""
    entries = form.seats.entries
    return len(entries) == len(seats) and all(
        entry.form.seat_id.data == seat.id for entry, seat in zip(entries, seats, strict=True)
    )


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(meeting_id: int):
    meeting = queries.get_meeting(meeting_id)
    if meeting is None:
        abort(404)
    require(can_manage_meeting(current_user, meeting))
    if is_final(meeting):
        return _final_refusal(meeting)
    now = utcnow()
    if not can_record_attendance(current_user, meeting, now):
        flash(_("Attendance is recorded once the meeting has started."), "error")
        return redirect(_detail_url(meeting_id))
    seats = queries.group_seats(meeting.group_id)
    form = AttendanceForm()
    if request.method == "GET":
        _fill_attendance(form, seats, meeting)
    elif not _aligned(form, seats):
        _fill_attendance(form, seats, meeting)
        form.form_errors.append(_(
            "The seats of the group have changed since the form was opened, or a seat is "
            "missing. Check the attendance of every seat and save again."
        ))
    elif form.validate_on_submit():
        marks = [
            services.AttendanceMark(seat_id=entry.form.seat_id.data,
                                    status=entry.form.status.data,
                                    note=entry.form.note.data or "")
            for entry in form.seats.entries
        ]
        with unit_of_work(form) as work:
            counts = services.record_attendance(meeting=meeting, actor=me(), marks=marks,
                                                now=now)
        if work.ok:
            flash(_("The attendance is recorded: %(counts)s.", counts=_counts_text(counts)))
            return redirect(url_for("meetings.detail", meeting_id=meeting_id,
                                    _anchor="attendance"))
        seat_id = getattr(work.error, "seat_id", None)
        for entry in form.seats.entries:
            if entry.form.seat_id.data == seat_id:
                entry.form.status.errors = [*entry.form.status.errors, work.error.message]
        meeting = queries.get_meeting(meeting_id)
        seats = queries.group_seats(meeting.group_id)
    return render_template("meetings/attendance.html", form=form, meeting=meeting,
                           lines=list(zip(seats, form.seats.entries, strict=False)))


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(
        # i18n: one status of the attendance and its number of seats, e.g. "Present: 5".
        _("%(status)s: %(num)d", status=status.label, num=counts[status.value])
        for status in AttendanceStatus
        if counts.get(status.value)
    )


# The iCalendar of meetings


def _respond(body: bytes) -> Response:
    """The calendar, answered with 304 Not Modified to a reader that already has it."""
    response = Response(body, content_type=CALENDAR_MEDIA_TYPE)
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/feeds/meetings.ics")
def calendar():
    group = _group_filter()
    site = current_app.config["SITE_NAME"]
    host = urlsplit(request.host_url).hostname or "localhost"
    ical = icalendar.Calendar()
    ical.add("prodid", f"-//{site}//Meetings//{current_language().upper()}")
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("method", "PUBLISH")
    name = _("Meetings of %(group)s", group=group.name) if group else _("Meetings")
    ical.add("x-wr-calname", f"{name} · {site}")
    for meeting in queries.calendar_meetings(group.id if group else None):
        ical.add_component(_event(meeting, host))
    return _respond(ical.to_ical())


def _event(meeting: Meeting, host: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.id}@{host}")
    # When the meeting last changed, so the calendar reads the same until it does.
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    if meeting.ends_at is not None:
        event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", f"{meeting.title} · {meeting.group.name}")
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    lines = [meeting.group.name]
    if meeting.online_url:
        lines.append(_("Online: %(url)s", url=meeting.online_url))
    if meeting.status == MeetingStatus.CANCELLED:
        lines.append(_("Cancelled: %(reason)s", reason=meeting.cancel_reason))
    if meeting.items:
        lines.append(_("Agenda:"))
        lines += [f"{item.number} {item.title}" for item in meeting.items]
    event.add("description", "\n".join(lines))
    event.add("url", url_for("meetings.detail", meeting_id=meeting.id, _external=True,
                             lang=current_language()))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED
              else "CONFIRMED")
    return event
