"""Forms to create a commitment, add a milestone, set its completion, weigh the milestones and
post progress."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from participation.commitments.models import CommitmentStatus, Completion
from participation.commitments.services import URL_MAX, is_web_address
from participation.core.forms import BodyLength, FlaskForm, Form, IntegerField

MILESTONE_ROWS = 5


class MilestoneRow(Form):
    """One milestone line of the commitment form: both parts or neither."""

    title = StringField(_l("Milestone"), validators=[Optional(), Length(max=200)])
    due_date = DateField(_l("Due date"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool((self.title.data or "").strip()) != bool(self.due_date.data):
            target = self.due_date if self.title.data else self.title
            target.errors = [*target.errors, _("Give both the milestone and its date.")]
            return False
        return True


class CommitmentForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give it a title.")), Length(max=200)],
    )
    description = TextAreaField(_l("What it commits to"), validators=[BodyLength()])
    lead_organisation = SelectField(
        _l("Lead agency"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the lead agency."))],
    )
    supporters = SelectMultipleField(_l("Supporting organisations"), coerce=int)
    start_date = DateField(
        _l("Start date"), validators=[InputRequired(message=_l("Enter the start date."))]
    )
    due_date = DateField(
        _l("Due date"), validators=[InputRequired(message=_l("Enter the due date."))]
    )
    milestones = FieldList(FormField(MilestoneRow), min_entries=MILESTONE_ROWS,
                           max_entries=MILESTONE_ROWS)

    def validate_lead_organisation(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Choose the lead agency."))

    def validate_due_date(self, field) -> None:
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_("The due date cannot be before the start date."))

    def milestone_lines(self):
        return [
            (row.form.title.data.strip(), row.form.due_date.data)
            for row in self.milestones
            if (row.form.title.data or "").strip() and row.form.due_date.data
        ]


class MilestoneForm(FlaskForm):
    title = StringField(
        _l("Milestone"),
        validators=[DataRequired(message=_l("Give it a title.")), Length(max=200)],
    )
    due_date = DateField(_l("Due date"), validators=[InputRequired(message=_l("Enter the date."))])


class ProgressForm(FlaskForm):
    reported_on = DateField(
        _l("Reported on"), validators=[InputRequired(message=_l("Enter the date."))]
    )
    completion = SelectField(_l("Completion level"), choices=Completion.choices)
    percent = IntegerField(
        _l("Percent complete"),
        validators=[
            InputRequired(message=_l("Enter a whole number from 0 to 100.")),
            NumberRange(min=0, max=100, message=_l("Enter a whole number from 0 to 100.")),
        ],
    )
    status = SelectField(_l("Status"), choices=CommitmentStatus.choices)
    note = TextAreaField(_l("What was done"), validators=[BodyLength()])
    evidence = TextAreaField(_l("Evidence links"), validators=[BodyLength()])
    reason = TextAreaField(_l("Reason for the delay or withdrawal"), validators=[BodyLength()])

    def validate_reason(self, field) -> None:
        # An unknown status is the status field's own error, not a crash here.
        needs_reason = {status.value for status in CommitmentStatus if status.needs_reason}
        if self.status.data in needs_reason:
            if not (field.data or "").strip():
                raise ValidationError(_("Give the reason when a commitment is delayed or withdrawn."))

    def validate_evidence(self, field) -> None:
        for link in self.evidence_links():
            if len(link) > URL_MAX or not is_web_address(link):
                raise ValidationError(
                    _("“%(link)s” is not a web address. Give one http:// or https:// address "
                      "per line.", link=link[:100])
                )

    def evidence_links(self) -> list[str]:
        return [line.strip() for line in (self.evidence.data or "").splitlines() if line.strip()]


class MilestoneCompletionForm(FlaskForm):
    completion = SelectField(_l("Completion level"), choices=Completion.choices)


class WeightField(StringField):
    """A weight from 0 to 1 with at most three decimals, read as an exact Decimal."""

    weight: Decimal | None = None

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        self.weight = None
        text = (self.data or "").strip().replace(",", ".")
        if not text:
            return
        try:
            weight = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("Enter a number from 0 to 1, such as 0.25.")) from None
        if not weight.is_finite() or not 0 <= weight <= 1:
            raise ValueError(_("Enter a number from 0 to 1, such as 0.25."))
        if weight != weight.quantize(Decimal("0.001")):
            raise ValueError(_("Use at most three decimals."))
        self.weight = weight


EQUAL = "equal"
SET = "set"


class WeightsForm(FlaskForm):
    shares = RadioField(
        _l("How the milestones count"),
        choices=[SelectChoice(EQUAL, _l("Equal shares: each milestone counts 1/n")),
                 SelectChoice(SET, _l("Set weights: the weights below, adding up to exactly 1"))],
        validators=[InputRequired(message=_l("Choose how the milestones count."))],
    )
    weights = FieldList(WeightField(_l("Weight")))

    def validate(self, extra_validators=None) -> bool:
        if self.shares.data == EQUAL:
            # The weights are not used: whatever was left in them is no error.
            for entry in self.weights.entries:
                entry.process_errors = []
        return super().validate(extra_validators)

    def validate_weights(self, field) -> None:
        if self.shares.data == SET and any(entry.weight is None for entry in field.entries):
            raise ValidationError(_("Enter a weight from 0 to 1 for every milestone."))

    def chosen_weights(self) -> list[Decimal | None] | None:
        """The weights typed, in the milestones' order; None for equal shares."""
        if self.shares.data == EQUAL:
            return None
        return [entry.weight for entry in self.weights.entries]


def weights_form(count: int, **kwargs) -> WeightsForm:
    """The weights form with one weight per milestone, `count` of them."""

    class SizedWeightsForm(WeightsForm):
        weights = FieldList(WeightField(_l("Weight")), min_entries=count, max_entries=count)

    return SizedWeightsForm(**kwargs)
