"""The form a moderator blocks an account with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from participation.core.forms import FlaskForm, IntegerField
from participation.moderation.blocks import BLOCK_REASONS, DAYS_MAX, DAYS_MIN


def reason_choices() -> list[tuple[str, str]]:
    return [("", _l("Choose a reason"))] + [
        (reason.value, reason.label) for reason in BLOCK_REASONS
    ]


class BlockForm(FlaskForm):
    reason = SelectField(
        # i18n: why a moderator blocks an account; shown to the person and on the public page.
        _l("Reason"),
        choices=reason_choices,
        # The empty first option only prompts a choice: DataRequired refuses it.
        validators=[DataRequired(message=_l("Choose the reason for the block."))],
    )
    days = IntegerField(
        # i18n: how long a block lasts.
        _l("Number of days"),
        validators=[
            InputRequired(message=_l("Enter the number of days the block lasts.")),
            NumberRange(min=DAYS_MIN, max=DAYS_MAX,
                        message=_l("A block lasts from %(min)d to %(max)d days.")),
        ],
    )

