"""Forms to ask for a password reset, choose a new password, and change the e-mail address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from participation.accounts.forms import new_password_field
from participation.accounts.services import (
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
)
from participation.core.forms import FlaskForm


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=EMAIL_MAX_LENGTH),
        ],
    )


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New e-mail address"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=EMAIL_MAX_LENGTH),
        ],
    )
    password = PasswordField(
        _l("Your current password"),
        validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
    )
