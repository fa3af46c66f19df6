"""The form of a person's e-mail settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import InputRequired

from participation.accounts.models import EmailMode
from participation.core.forms import FlaskForm, choice


def mode_choices() -> list[tuple[str, str]]:
    return EmailMode.choices()


def language_choices() -> list:
    # Each language is named in itself, so a reader finds their own whatever the page's.
    return [choice("th", "ภาษาไทย"), choice("en", "English")]


class PreferencesForm(FlaskForm):
    email_mode = RadioField(
        _l("E-mail about what you follow"),
        choices=mode_choices,
        validators=[InputRequired(message=_l("Choose how often you want e-mail."))],
    )
    language = RadioField(
        _l("Language of the e-mails"),
        choices=language_choices,
        validators=[InputRequired(message=_l("Choose the language of the e-mails."))],
    )
