"""The form that confirms erasing one's account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length, StopValidation

from participation.accounts.services import PASSWORD_MAX_LENGTH
from participation.core.forms import FlaskForm


class Ticked:
    """The box was ticked: the browser sent the box's own value once, nothing else (a value
    such as "no" or a blank would otherwise count as ticked)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if list(field.raw_data or ()) != ["y"]:
            raise StopValidation(str(self.message))


class EraseAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(message=_l("Enter your password.")),
                    Length(max=PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("I understand that my account and my personal data are deleted for good"),
        validators=[Ticked(_l("Tick the box to confirm that you want to delete your account."))],
    )
