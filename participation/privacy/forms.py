"""The box a person ticks to agree to the privacy notice, at registration and when it changes."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import StopValidation

from participation.core.forms import FlaskForm
from participation.core.i18n import format_date
from participation.privacy.notices import current_notice_version, notice_date


class Ticked:
    """The box is ticked: only the value a ticked box sends ("y") agrees, not whatever else a
    request may carry in its place."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, _form: FlaskForm, field: BooleanField) -> None:
        if (field.raw_data or [])[:1] != ["y"]:
            raise StopValidation(self.message)


def consent_field(message: str) -> BooleanField:
    """The box, refused with `message` when it is not ticked. Its label names the current
    version: the form sets it when it is made (`label_consent`)."""
    return BooleanField(validators=[Ticked(message)])


def label_consent(field: BooleanField) -> None:
    """Name the current version of the notice, in the reader's language, in the box's label."""
    field.label.text = _(
        "I have read the privacy notice (version of %(date)s) and agree to it.",
        date=format_date(notice_date(current_notice_version())),
    )


class ConsentForm(FlaskForm):
    consent = consent_field(_l("Tick the box to agree to the privacy notice."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label_consent(self.consent)
