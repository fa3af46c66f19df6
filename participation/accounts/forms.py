"""Forms for registration, log-in, the account page and the administration of people."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from participation.accounts.models import Sector
from participation.accounts.services import (
    DISPLAY_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    ORGANISATION_NAME_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
)
from participation.core.forms import FlaskForm
from participation.privacy.forms import consent_field, label_consent

# Citizens first: most people who register speak for themselves.
SECTOR_ORDER = (
    Sector.CITIZEN,
    Sector.CIVIL_SOCIETY,
    Sector.PRIVATE,
    Sector.ACADEMIA,
    Sector.GOVERNMENT,
)


def sector_choices() -> list[tuple[str, str]]:
    return [(sector.value, sector.label) for sector in SECTOR_ORDER]


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=EMAIL_MAX_LENGTH),
        ],
    )


def new_password_field(label: str) -> PasswordField:
    """A password being chosen: its length is checked here, the rest by the service."""
    message = _l("Use between %(min)d and %(max)d characters.",
                 min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH)
    return PasswordField(label, validators=[
        DataRequired(), Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH, message=message),
    ])


def _display_name_field() -> StringField:
    return StringField(
        _l("Public display name"),
        validators=[DataRequired(), Length(max=DISPLAY_NAME_MAX_LENGTH)],
    )


def _sector_field() -> SelectField:
    return SelectField(_l("Sector"), choices=sector_choices, validators=[DataRequired()])


def _organisation_field() -> StringField:
    return StringField(
        _l("Organisation (optional)"),
        validators=[Optional(), Length(max=ORGANISATION_NAME_MAX_LENGTH)],
    )


class RegistrationForm(FlaskForm):
    email = _email_field()
    display_name = _display_name_field()
    password = new_password_field(_l("Password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    sector = _sector_field()
    organisation = _organisation_field()
    consent = consent_field(
        _l("Tick the box to agree to the privacy notice: without it we cannot make an account.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_consent(self.consent)


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=EMAIL_MAX_LENGTH)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    sector = _sector_field()
    organisation = _organisation_field()


class OrganisationForm(FlaskForm):
    name_th = StringField(
        _l("Name in Thai"),
        validators=[DataRequired(), Length(max=ORGANISATION_NAME_MAX_LENGTH)],
    )
    name_en = StringField(
        _l("Name in English"),
        validators=[Optional(), Length(max=ORGANISATION_NAME_MAX_LENGTH)],
    )
    sector = _sector_field()


class AgencyContactForm(FlaskForm):
    """0 means "not an agency contact"; the view fills the organisations in."""

    organisation = SelectField(_l("Agency contact for"), coerce=int, validate_choice=True)


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("E-mail or name"), validators=[Optional(), Length(max=200)])
