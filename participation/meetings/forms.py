"""Forms to schedule, edit and cancel a meeting, to change its agenda and to take attendance."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    FieldList,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import HiddenInput

from participation.commitments.services import is_web_address
from participation.core.forms import BodyLength, FlaskForm, Form, IntegerField, choice
from participation.meetings.models import CONSIDERATION, SECTIONS, AttendanceStatus
from participation.meetings.services import (
    NOTE_MAX,
    ONLINE_URL_MAX,
    PLACE_MAX,
    REASON_MAX,
    TITLE_MAX,
)
from participation.moderation.notices import shown_title
from participation.proposals.models import Proposal

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
NO_PROPOSAL = 0


def _coerce_int(value: Any) -> int | None:
    """A choice's number; None (refused by the field's check) for anything else."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MeetingForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the meeting a title, such as its number.")),
                    Length(max=TITLE_MAX)],
    )
    starts_at = DateTimeLocalField(
        _l("Starts at"),
        format=DATETIME_FORMATS,
        validators=[DataRequired(message=_l("Enter the date and time the meeting starts."))],
    )
    ends_at = DateTimeLocalField(_l("Ends at (optional)"), format=DATETIME_FORMATS,
                                 validators=[Optional()])
    place = StringField(_l("Place"), validators=[Length(max=PLACE_MAX)])
    online_url = StringField(_l("Online link (optional)"), validators=[Length(max=ONLINE_URL_MAX)])
    guests = TextAreaField(_l("Invited guests (optional)"), validators=[BodyLength()])

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_("The meeting must end after it starts."))

    def validate_place(self, field) -> None:
        if not field.data and not self.online_url.data:
            raise ValidationError(
                _("Say where the meeting takes place, or give its online link.")
            )

    def validate_online_url(self, field) -> None:
        if field.data and not is_web_address(field.data):
            raise ValidationError(
                _("Give the online link as one web address starting with http:// or https://.")
            )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the meeting cancelled?"),
        validators=[DataRequired(message=_l("Say why the meeting is cancelled.")),
                    Length(max=REASON_MAX)],
    )


class AgendaItemForm(FlaskForm):
    section = SelectField(_l("Section of the agenda"), coerce=_coerce_int, validate_choice=False)
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the agenda item a title.")),
                    Length(max=TITLE_MAX)],
    )
    description = TextAreaField(_l("Description (optional)"), validators=[BodyLength()])
    proposal = SelectField(_l("Proposal to consider (optional)"), coerce=_coerce_int,
                           validate_choice=False, default=NO_PROPOSAL)

    def __init__(self, *args: Any, proposals: list[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section.choices = [
            # i18n: a choice of agenda section, e.g. "3. Matters for consideration".
            SelectChoice(number, _("%(number)d. %(title)s", number=number, title=title))
            for number, title in SECTIONS.items()
        ]
        self.proposal.choices = [SelectChoice(NO_PROPOSAL, _("No proposal"))] + [
            choice(proposal.id,
                   f"#{proposal.id} {shown_title(proposal)} ({proposal.state.label})")
            for proposal in proposals
        ]

    def validate_section(self, field) -> None:
        if field.data not in SECTIONS:
            raise StopValidation(_("Choose one of the four sections of the agenda."))

    def validate_proposal(self, field) -> None:
        if field.data not in {value for value, *_rest in self.proposal.choices}:
            raise StopValidation(
                _("Choose a proposal of this working group from the list, or none.")
            )
        if field.data != NO_PROPOSAL and self.section.data != CONSIDERATION:
            raise StopValidation(
                _("A proposal can only be placed under item 3, matters for consideration.")
            )

    def chosen_proposal(self, proposals: list[Proposal]) -> Proposal | None:
        return next((p for p in proposals if p.id == self.proposal.data), None)


class EditAgendaItemForm(AgendaItemForm):
    resolution = TextAreaField(_l("Resolution of the meeting (optional)"),
                               validators=[BodyLength()])


MOVES = [SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))]


class MoveItemForm(FlaskForm):
    direction = RadioField(_l("Move"), choices=MOVES, validate_choice=False)

    def validate_direction(self, field) -> None:
        if field.data not in {move.value for move in MOVES}:
            raise StopValidation(_("Choose to move the item up or down."))


class SeatAttendanceForm(Form):
    seat_id = IntegerField(widget=HiddenInput())
    status = RadioField(_l("Attendance"), choices=AttendanceStatus.choices,
                        validate_choice=False)
    note = StringField(_l("Note (optional)"), validators=[Length(max=NOTE_MAX)])

    def validate_seat_id(self, field) -> None:
        if field.data is None:
            raise StopValidation(_("The form is missing a seat. Open the form again."))

    def validate_status(self, field) -> None:
        if field.data not in {status.value for status in AttendanceStatus}:
            raise StopValidation(_("Choose the attendance of this seat."))


class AttendanceForm(FlaskForm):
    seats = FieldList(FormField(SeatAttendanceForm))
