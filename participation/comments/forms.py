"""The comment form, used for new comments, replies and edits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from participation.comments.models import Stance
from participation.core.errors import MAX_ID
from participation.core.forms import BodyLength, FlaskForm


def stance_choices() -> list[tuple[str, str]]:
    return [("", _l("No stance")), *[(s.value, s.label) for s in Stance]]


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"), validators=[DataRequired(), BodyLength()],
        description=_l("You can use Markdown."),
    )
    stance = RadioField(_l("Your stance"), choices=stance_choices, default="",
                        validators=[Optional()])
    parent_id = HiddenField()
    post = SubmitField(_l("Post comment"))

    def stance_value(self) -> Stance | None:
        return Stance(self.stance.data) if self.stance.data else None

    def parent_value(self) -> int | None:
        try:
            value = int(self.parent_id.data) if self.parent_id.data else None
        except ValueError:
            return None
        # An id no row can have (the database would overflow) is no parent.
        return value if value is None or 1 <= value <= MAX_ID else None
