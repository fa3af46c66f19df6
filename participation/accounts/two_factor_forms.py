"""Forms of two-factor authentication: set-up, the code at log-in, changes that need proof,
and the roles an administrator requires it of."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from participation.accounts.models import TwoFactorRole
from participation.accounts.services import PASSWORD_MAX_LENGTH
from participation.accounts.two_factor import CODE_MAX_LENGTH
from participation.core.forms import FlaskForm


def _code_field(label: str) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(), Length(max=CODE_MAX_LENGTH)],
        # The phone's keyboard of digits, and the browser's one-time-code autofill.
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "autocapitalize": "off", "spellcheck": "false"},
    )


class TwoFactorSetupForm(FlaskForm):
    # The secret the page shows, signed for this person (see two_factor.setup_token).
    token = HiddenField(validators=[DataRequired(), Length(max=500)])
    code = _code_field(_l("The 6-digit code your app shows"))


class TwoFactorLoginForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=CODE_MAX_LENGTH)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off",
                   "spellcheck": "false"},
    )


class TwoFactorProofForm(FlaskForm):
    """A change to the second factor: a code from the app (or a recovery code) or the
    password proves it is the person."""

    code = StringField(
        _l("A code from your app, or a recovery code"),
        validators=[Optional(), Length(max=CODE_MAX_LENGTH)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off",
                   "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Or your password"),
        validators=[Optional(), Length(max=PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.code.data and not self.password.data:
            self.code.errors = [*self.code.errors, _l("Enter a code or your password.")]
            return False
        return True


class TwoFactorRequirementForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Require two-factor authentication for"),
        choices=lambda: [(role.value, role.label) for role in TwoFactorRole],
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
