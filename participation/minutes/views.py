"""The minutes of a meeting: the printable report, writing and publishing it, approving it at a
later meeting and recording corrections once it is approved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from babel.dates import get_day_names
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from participation.accounts.models import User
from participation.core.i18n import current_language, format_date, site_zone, with_names
from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work
from participation.extensions import db
from participation.meetings.models import SECTIONS, AgendaItem, Meeting, MinutesStatus
from participation.minutes import queries, services
from participation.minutes.forms import NOBODY, ApprovalForm, CorrectionForm, MinutesForm
from participation.minutes.permissions import (
    can_approve_minutes,
    can_correct_minutes,
    can_edit_minutes,
    can_manage_minutes,
    can_publish_minutes,
    can_read_minutes,
)

bp = Blueprint("minutes", __name__)


def weekday(moment: datetime) -> str:
    """The day of the week a moment falls on in the site's time zone, in the reader's language
    ("วันอังคาร", "Tuesday")."""
    local = moment.astimezone(site_zone())
    return get_day_names("wide", locale=current_language())[local.weekday()]


def clock(moment: datetime) -> str:
    """The time of day as a Thai report writes it ("09.30 น."), or "09:30" in English."""
    local = moment.astimezone(site_zone())
    if current_language() == "th":
        return f"{local:%H.%M} น."
    return f"{local:%H:%M}"


def meeting_url(meeting: Meeting | None) -> str | None:
    """The meeting's own page, once the meetings blueprint provides one."""
    if meeting is None or "meetings.detail" not in current_app.view_functions:
        return None
    return url_for("meetings.detail", meeting_id=meeting.id)


def web_address(address: str) -> str | None:
    """The address when it is safe to link to (http or https), else None."""
    return address if address.lower().startswith(("https://", "http://")) else None


@bp.context_processor
def report_helpers() -> dict[str, Any]:
    return {"weekday": weekday, "clock": clock, "meeting_url": meeting_url,
            "web_address": web_address}


def _meeting(meeting_id: int) -> Meeting:
    meeting = queries.minutes_of(meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _sections(meeting: Meeting) -> list[tuple[int, str, list[AgendaItem]]]:
    """The four sections of the Thai agenda in their order, each with its items."""
    return [
        (number, str(title), [item for item in meeting.items if item.section == number])
        for number, title in SECTIONS.items()
    ]


@bp.get("/meetings/<int:meeting_id>/minutes")
def detail(meeting_id: int):
    meeting = _meeting(meeting_id)
    # A draft is not refused but absent: whether a meeting has draft minutes is not public.
    if not can_read_minutes(current_user, meeting):
        abort(404)
    return render_template(
        "minutes/detail.html",
        meeting=meeting,
        sections=_sections(meeting),
        sheet=queries.attendance_sheet(meeting),
        guests=queries.guests_of(meeting),
        corrections=queries.corrections_by_item(meeting.id),
        may_edit=can_edit_minutes(current_user, meeting),
        may_publish=can_publish_minutes(current_user, meeting),
        may_approve=can_approve_minutes(current_user, meeting),
        may_correct=can_correct_minutes(current_user, meeting),
    )


def _taker_choices(meeting: Meeting) -> list[tuple[int, str]]:
    people = queries.taker_choices(meeting.group_id)
    if meeting.minutes_taker is not None and meeting.minutes_taker not in people:
        people.append(meeting.minutes_taker)
    # i18n: the choice of minutes taker that names nobody.
    return [(NOBODY, _("Nobody named yet")), *((user.id, user.display_name) for user in people)]


@bp.route("/meetings/<int:meeting_id>/minutes/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting = _meeting(meeting_id)
    require(can_edit_minutes(current_user, meeting))
    if request.method == "GET":
        form = MinutesForm(data={
            "minutes_taker": meeting.minutes_taker_id or NOBODY,
            "items": [{"item_id": item.id, "minutes": item.minutes} for item in meeting.items],
        })
    else:
        form = MinutesForm()
    form.minutes_taker.choices = _taker_choices(meeting)
    if form.validate_on_submit():
        texts = {entry.item_id.data: entry.minutes.data or "" for entry in form.items}
        if len(texts) != len(form.items.entries):
            form.form_errors.append(
                _("Reload the page: the form holds an agenda item twice.")
            )
        else:
            taker_id = form.minutes_taker.data
            with unit_of_work(form) as work:
                services.edit_minutes(
                    meeting=meeting, actor=me(), minutes=texts,
                    minutes_taker=db.session.get(User, taker_id) if taker_id else None,
                    now=utcnow(),
                )
            if work.ok:
                flash(_("The minutes are saved."))
                return redirect(url_for("minutes.detail", meeting_id=meeting_id))
            meeting = _meeting(meeting_id)
    items = {item.id: item for item in meeting.items}
    rows = [(entry, items.get(entry.item_id.data)) for entry in form.items]
    for entry, item in rows:
        if item is not None:
            # The title goes in marked with its own language (a Thai title on an English page).
            entry.minutes.label.text = with_names(
                _l("Minutes of item %(number)s: %(title)s"), number=item.number, title=item.title
            )
    return render_template("minutes/edit.html", meeting=meeting, form=form, rows=rows)


@bp.post("/meetings/<int:meeting_id>/minutes/publish")
@login_required
def publish(meeting_id: int):
    meeting = _meeting(meeting_id)
    require(can_manage_minutes(current_user, meeting))
    with unit_of_work() as work:
        services.publish_minutes(meeting=meeting, actor=me(), now=utcnow())
    if work.ok:
        flash(_("The minutes are published. Everyone can read them, and the group's followers "
                "are told."))
    return redirect(url_for("minutes.detail", meeting_id=meeting_id))


def _meeting_choice(meeting: Meeting) -> tuple[int, str]:
    return meeting.id, _("%(title)s (%(date)s)", title=meeting.title,
                         date=format_date(meeting.starts_at))


@bp.route("/meetings/<int:meeting_id>/minutes/approve", methods=["GET", "POST"])
@login_required
def approve(meeting_id: int):
    meeting = _meeting(meeting_id)
    require(can_manage_minutes(current_user, meeting))
    form = ApprovalForm()
    form.at_meeting.choices = [_meeting_choice(later)
                               for later in queries.later_held_meetings(meeting)]
    if form.validate_on_submit():
        with unit_of_work(form, fallback_field="at_meeting") as work:
            services.approve_minutes(
                meeting=meeting, actor=me(), at_meeting=db.session.get(Meeting, form.at_meeting.data),
                now=utcnow(),
            )
        if work.ok:
            flash(_("The minutes are approved. From now on they cannot change; corrections are "
                    "recorded in the accountability log."))
            return redirect(url_for("minutes.detail", meeting_id=meeting_id))
        meeting = _meeting(meeting_id)
    return render_template("minutes/approve.html", meeting=meeting, form=form,
                           published=meeting.minutes_status == MinutesStatus.PUBLISHED)


@bp.route("/meetings/<int:meeting_id>/minutes/items/<int:item_id>/correction",
          methods=["GET", "POST"])
@login_required
def correct(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None:
        abort(404)
    require(can_manage_minutes(current_user, meeting))
    form = CorrectionForm()
    if form.validate_on_submit():
        with unit_of_work(form, fallback_field="text") as work:
            services.record_correction(meeting=meeting, item=item, actor=me(),
                                       text=form.text.data, now=utcnow())
        if work.ok:
            flash(_("The correction is recorded in the accountability log and shown under the "
                    "item."))
            return redirect(url_for("minutes.detail", meeting_id=meeting_id,
                                    _anchor=f"item-{item_id}"))
        meeting = _meeting(meeting_id)
        item = next(row for row in meeting.items if row.id == item_id)
    return render_template(
        "minutes/correct.html", meeting=meeting, item=item, form=form,
        corrections=queries.corrections_by_item(meeting.id).get(item.id, []),
        approved=meeting.minutes_status == MinutesStatus.APPROVED,
    )
