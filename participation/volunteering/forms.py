"""The form to offer or edit a volunteer task."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from participation.core.forms import BodyLength, FlaskForm, IntegerField
from participation.core.i18n import site_zone
from participation.volunteering.services import CAPACITY_MAX, CAPACITY_MIN, PLACE_MAX, TITLE_MAX

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def to_site_time(moment: datetime) -> datetime:
    """An aware moment as the naive site-time value a datetime-local field shows."""
    return moment.astimezone(site_zone()).replace(tzinfo=None, second=0, microsecond=0)


class TaskForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the task a title.")), Length(max=TITLE_MAX)],
    )
    description = TextAreaField(_l("Description"), validators=[BodyLength()])
    place = StringField(
        _l("Place"),
        validators=[DataRequired(message=_l("Say where the task takes place.")),
                    Length(max=PLACE_MAX)],
    )
    starts_at = DateTimeLocalField(
        _l("Starts at"),
        format=DATETIME_FORMATS,
        validators=[DataRequired(message=_l("Enter the date and time the task starts."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends at"),
        format=DATETIME_FORMATS,
        validators=[DataRequired(message=_l("Enter the date and time the task ends."))],
    )
    capacity = IntegerField(
        # i18n: the number of volunteers a task needs.
        _l("Number of places"),
        validators=[
            InputRequired(message=_l("Enter the number of places.")),
            NumberRange(min=CAPACITY_MIN, max=CAPACITY_MAX,
                        message=_l("The number of places must be between %(min)d and %(max)d.")),
        ],
    )

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_("The task must end after it starts."))
