"""Forms for the administration of working groups and seats."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from participation.accounts.forms import sector_choices
from participation.core.forms import FlaskForm, IntegerField
from participation.groups.models import SETTING_LIMITS, SeatRole
from participation.groups.services import GROUP_NAME_MAX_LENGTH


def body_length(form: FlaskForm, field) -> None:
    """Refuse text longer than the site's limit for bodies (MAX_BODY_LENGTH)."""
    limit = current_app.config["MAX_BODY_LENGTH"]
    if field.data and len(field.data) > limit:
        raise ValidationError(_("Use at most %(count)d characters.", count=limit))


class GroupForm(FlaskForm):
    name_th = StringField(
        _l("Name in Thai"), validators=[DataRequired(), Length(max=GROUP_NAME_MAX_LENGTH)]
    )
    name_en = StringField(
        _l("Name in English"), validators=[Optional(), Length(max=GROUP_NAME_MAX_LENGTH)]
    )
    description = TextAreaField(
        _l("Description (Markdown)"), validators=[Optional(), body_length]
    )
    answer_days = IntegerField(
        _l("Days to answer a proposal"),
        default=30,
        validators=[
            InputRequired(message=_l("Enter a number of days.")),
            NumberRange(*SETTING_LIMITS["answer_days"]),
        ],
    )
    dispute_days = IntegerField(
        _l("Days to answer a disputed progress update"),
        default=14,
        validators=[
            InputRequired(message=_l("Enter a number of days.")),
            NumberRange(*SETTING_LIMITS["dispute_days"]),
        ],
    )
    reminder_hours = IntegerField(
        _l("Hours before a ballot closes to remind members who have not voted"),
        default=24,
        validators=[
            InputRequired(message=_l("Enter a number of hours.")),
            NumberRange(*SETTING_LIMITS["reminder_hours"]),
        ],
    )


class SeatForm(FlaskForm):
    """The view fills the organisation choices in; 0 means no organisation."""

    role = SelectField(_l("Role"), choices=SeatRole.choices, validators=[DataRequired()])
    organisation = SelectField(_l("Organisation"), coerce=int)
    sector = SelectField(_l("Sector"), choices=sector_choices, validators=[DataRequired()])
    voting = BooleanField(_l("Voting seat"), default=True)
    position = IntegerField(
        _l("Position in the list"), validators=[Optional(), NumberRange(min=0, max=10_000)]
    )


class HolderForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the holder"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")),
                    Length(max=254)],
    )


class DeputyForm(FlaskForm):
    # i18n: the deputy (ผู้แทน) votes in the seat's name when its holder does not.
    email = EmailField(
        _l("E-mail address of the deputy"),
        validators=[Optional(), Email(message=_l("Enter a valid e-mail address.")),
                    Length(max=254)],
    )
