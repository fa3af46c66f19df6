"""The form to record or correct a decision's resolution text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from participation.core.forms import BodyLength, FlaskForm


class ResolutionForm(FlaskForm):
    text = TextAreaField(
        _l("Resolution"),
        validators=[DataRequired(message=_l("Write the text of the resolution.")), BodyLength()],
    )
