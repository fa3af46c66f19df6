"""The form of an official answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from participation.answers.models import AnswerState
from participation.core.forms import BodyLength, FlaskForm

NONE_CHOSEN = 0  # the select value for "no agency" / "no proposal"
# The answer form shares the proposal page with the comment form: its own field names and ids.
ANSWER_PREFIX = "answer"


def answer_state_choices() -> list[tuple[str, str]]:
    return AnswerState.choices()


class AnswerForm(FlaskForm):
    state = RadioField(
        _l("Answer"), choices=answer_state_choices,
        validators=[InputRequired(message=_l("Choose what the answer is."))],
    )
    body = TextAreaField(
        _l("Text of the answer"),
        validators=[DataRequired(message=_l("Write the answer.")), BodyLength()],
        description=_l("The reasons and what happens next. You can use Markdown."),
    )
    referred_to = SelectField(
        # i18n: the agency a proposal is referred (passed on) to.
        _l("Referred to"), coerce=int, default=NONE_CHOSEN,
        description=_l("Only when the proposal is referred to another agency."),
    )
    merged_into = SelectField(
        _l("Merged with"), coerce=int, default=NONE_CHOSEN,
        description=_l("Optional, only when the proposal was merged with another one."),
    )
    publish = SubmitField(_l("Publish the answer"))

    def state_value(self) -> AnswerState:
        return AnswerState(self.state.data)
