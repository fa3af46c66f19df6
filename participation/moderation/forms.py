"""The forms to report a contribution and to hide one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from participation.core.forms import FlaskForm
from participation.moderation.models import ModerationReason
from participation.moderation.permissions import HIDE_REASONS
from participation.moderation.services import NOTE_MAX


def report_reasons() -> list[tuple[str, str]]:
    return [(reason.value, reason.label) for reason in ModerationReason]


def hide_reasons() -> list[tuple[str, str]]:
    return [(reason.value, reason.label) for reason in HIDE_REASONS]


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with it?"), choices=report_reasons,
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    note = TextAreaField(
        _l("Anything the moderators should know (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l(
            "The note may be at most %(max)d characters long."))],
        description=_l("Only moderators read this note; your name is never shown to the "
                       "author or the public. At most 1,000 characters."),
    )

    def reason_value(self) -> ModerationReason:
        return ModerationReason(self.reason.data)


class HideForm(FlaskForm):
    # i18n: readers see this reason in place of the hidden text.
    reason = SelectField(
        _l("Reason shown to readers"), choices=hide_reasons,
        validators=[InputRequired(message=_l("Choose a reason."))],
    )

    def reason_value(self) -> ModerationReason:
        return ModerationReason(self.reason.data)
