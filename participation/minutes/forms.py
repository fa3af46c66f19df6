"""The forms of the minutes: the text of every agenda item, approval, and a correction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired
from wtforms.widgets import HiddenInput

from participation.core.forms import BodyLength, FlaskForm, Form, IntegerField

# The value of the minutes-taker choice that names nobody.
NOBODY = 0


class ItemMinutesRow(Form):
    """The minutes of one agenda item; the item's id ties the text to it whatever the order."""

    item_id = IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired(message=_l("Reload the page: an agenda item is missing."))],
    )
    minutes = TextAreaField(_l("Minutes"), validators=[BodyLength()])


class MinutesForm(FlaskForm):
    minutes_taker = SelectField(
        # i18n: ผู้จดรายงานการประชุม, the person who took the minutes.
        _l("Minutes taken by"), coerce=int, validate_choice=True,
    )
    items = FieldList(FormField(ItemMinutesRow))


class ApprovalForm(FlaskForm):
    at_meeting = SelectField(
        # i18n: the later meeting at which the minutes were approved (รับรองรายงานการประชุม).
        _l("Approved at the meeting"), coerce=int, validate_choice=True,
    )


class CorrectionForm(FlaskForm):
    text = TextAreaField(
        # i18n: the text of a correction to approved minutes (Markdown).
        _l("What the minutes should say"),
        validators=[DataRequired(message=_l("Write the correction.")), BodyLength()],
    )
