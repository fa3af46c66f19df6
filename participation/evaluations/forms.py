"""Forms to confirm or dispute a progress update, answer a dispute and record an assessment."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from participation.commitments.models import Completion
from participation.commitments.services import is_web_address
from participation.core.forms import BodyLength, FlaskForm
from participation.evaluations.models import OpenedGovernment, ReviewKind
from participation.evaluations.services import EVIDENCE_MAX

REVIEW_CHOICES = [
    SelectChoice(ReviewKind.CONFIRM.value, _l("Confirm: the report matches what I know")),
    SelectChoice(ReviewKind.DISPUTE.value, _l("Dispute: the report does not match what I know")),
]


class ReviewForm(FlaskForm):
    kind = RadioField(
        _l("Your review"),
        choices=REVIEW_CHOICES,
        validators=[InputRequired(message=_l("Choose whether you confirm or dispute it."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(message=_l("Say why in a comment.")), BodyLength()],
    )
    evidence_url = StringField(_l("Evidence link (optional)"),
                               validators=[Length(max=EVIDENCE_MAX)])

    def validate_evidence_url(self, field) -> None:
        if field.data and not is_web_address(field.data):
            raise ValidationError(
                _("Give the evidence as one web address starting with http:// or https://.")
            )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("The lead agency's answer"),
        validators=[DataRequired(message=_l("Write the answer.")), BodyLength()],
    )


class AssessmentForm(FlaskForm):
    kind = SelectField(_l("Kind of assessment"))  # choices: the kinds this person may record
    assessed_on = DateField(
        _l("Assessed on"), validators=[InputRequired(message=_l("Enter the date."))]
    )
    completion = SelectField(_l("Completion level"), choices=Completion.choices)
    opened_government = SelectField(_l("Did it open government?"),
                                    choices=OpenedGovernment.choices)
    explanation = TextAreaField(
        _l("Explanation"),
        validators=[DataRequired(message=_l("Explain the assessment.")), BodyLength()],
    )
