"""Forms for proposals, merging and categories."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from participation.core.forms import BodyLength, FlaskForm, IntegerField

TITLE_MAX = 200


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)],
    )
    body = TextAreaField(
        _l("Proposal"), validators=[DataRequired(), BodyLength()],
        description=_l("What should be done, why, and by whom. You can use Markdown."),
    )
    category = SelectField(_l("Category"), coerce=int, validators=[DataRequired()])
    group = SelectField(_l("Working group"), coerce=int, validators=[DataRequired()])
    save_draft = SubmitField(_l("Save as draft"))
    submit_for_comment = SubmitField(_l("Submit for comment"))


class EditProposalForm(FlaskForm):
    title = ProposalForm.title
    body = ProposalForm.body
    category = ProposalForm.category
    save = SubmitField(_l("Save changes"))


class MergeForm(FlaskForm):
    into = SelectField(
        _l("Merge into"), coerce=int, validators=[DataRequired()],
        description=_l("The proposal that takes this one over. Its page will link here."),
    )
    merge = SubmitField(_l("Merge"))


class CategoryForm(FlaskForm):
    name_th = StringField(_l("Name in Thai"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200)])
    position = IntegerField(
        _l("Position"), default=0, validators=[Optional(), NumberRange(min=0, max=10_000)],
        description=_l("Categories are listed by position, smallest first."),
    )
    save = SubmitField(_l("Save"))


SECRETARIAT = 0  # the agency select value for "the secretariat answers itself"


class AgencyForm(FlaskForm):
    agency = SelectField(
        _l("Responsible agency"), coerce=int,
        validators=[InputRequired(message=_l("Choose the responsible agency."))],
        description=_l("The agency expected to give the official answer."),
    )
    assign = SubmitField(_l("Save the responsible agency"))
