"""Forms to define or edit a KPI and to record a value by hand."""

from __future__ import annotations

import math

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from participation.core.forms import BodyLength, FlaskForm
from participation.kpis.models import Direction, Rule
from participation.kpis.services import EVIDENCE_MAX, NAME_MAX, SOURCE_MAX, UNIT_MAX, VALUE_MAX


class NumberField(wtforms.FloatField):
    """A finite number of sensible size: 'nan', 'inf' and 1e400 are input errors."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        # Thousands separators are common in Thai and English reports: 1,250.5
        text = str(valuelist[0]).replace(",", "").strip()
        if not text:
            self.data = None
            return
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or abs(number) > VALUE_MAX:
            self.data = None
            raise ValueError(_("Enter a number."))
        self.data = number


class KpiForm(FlaskForm):
    name_th = StringField(
        _l("Name in Thai"),
        validators=[DataRequired(message=_l("Enter the Thai name.")), Length(max=NAME_MAX)],
    )
    name_en = StringField(_l("Name in English"), validators=[Length(max=NAME_MAX)])
    description = TextAreaField(_l("Description"), validators=[BodyLength()])
    unit_th = StringField(
        _l("Unit in Thai"),
        validators=[DataRequired(message=_l("Enter the unit in Thai.")), Length(max=UNIT_MAX)],
    )
    unit_en = StringField(_l("Unit in English"), validators=[Length(max=UNIT_MAX)])
    direction = SelectField(_l("Which way is better"), choices=Direction.choices)
    baseline_value = NumberField(
        _l("Baseline value"), validators=[InputRequired(message=_l("Enter a number."))]
    )
    baseline_start = DateField(
        _l("Baseline period from"), validators=[InputRequired(message=_l("Enter the date."))]
    )
    baseline_end = DateField(
        _l("Baseline period to"), validators=[InputRequired(message=_l("Enter the date."))]
    )
    target_value = NumberField(
        _l("Target value"), validators=[InputRequired(message=_l("Enter a number."))]
    )
    target_date = DateField(
        _l("Target date"), validators=[InputRequired(message=_l("Enter the date."))]
    )
    rule = SelectField(_l("How values are measured"), choices=Rule.choices)
    station = SelectField(_l("Station (PM2.5 rules)"), coerce=int)
    district = SelectField(_l("District (hotspot rule)"), coerce=int)
    owners = SelectMultipleField(_l("Owner agencies"), coerce=int)
    commitments = SelectMultipleField(_l("Linked commitments"), coerce=int)

    def validate_baseline_end(self, field) -> None:
        if self.baseline_start.data and field.data and field.data < self.baseline_start.data:
            raise ValidationError(_("The baseline period cannot end before it starts."))

    def validate_target_date(self, field) -> None:
        if self.baseline_end.data and field.data and field.data <= self.baseline_end.data:
            raise ValidationError(
                _("The target date must come after the end of the baseline period.")
            )


class MeasurementForm(FlaskForm):
    period_start = DateField(
        _l("Date the value refers to"), validators=[InputRequired(message=_l("Enter the date."))]
    )
    value = NumberField(_l("Value"), validators=[InputRequired(message=_l("Enter a number."))])
    source = StringField(
        _l("Source"),
        validators=[DataRequired(message=_l("Say where the value comes from.")),
                    Length(max=SOURCE_MAX)],
    )
    evidence_url = StringField(
        _l("Evidence link"),
        validators=[
            DataRequired(message=_l("Give the evidence as one web address starting with "
                                    "http:// or https://.")),
            Length(max=EVIDENCE_MAX),
        ],
    )
