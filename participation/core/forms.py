"""The bases of every form: input a database cannot store is a form error, never a 500."""

from __future__ import annotations

from typing import Any

import wtforms
from flask_babel import gettext as _
from flask_wtf import FlaskForm as _FlaskForm
from wtforms.meta import DefaultMeta

from participation.core.errors import MAX_ID

# WTForms' own message for a number it cannot read (WTForms has no Thai catalogue yet).
NOT_AN_INTEGER = "Not a valid integer value."


def refuse_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL characters in text (and no keyboard types one)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_("The request could not be understood."))
    return value


class _RefuseNul:
    def bind_field(self, form, unbound_field, options):
        # Lists and sub-forms take no filters: their own fields get this one.
        if issubclass(unbound_field.field_class, (wtforms.FieldList, wtforms.FormField)):
            return super().bind_field(form, unbound_field, options)
        filters = [*unbound_field.kwargs.get("filters", ()), refuse_nul]
        return unbound_field.bind(form=form, filters=filters, **options)


class FlaskForm(_FlaskForm):
    """Flask-WTF's form (with CSRF), refusing NUL characters in every field."""

    class Meta(_RefuseNul, _FlaskForm.Meta):
        pass


class Form(wtforms.Form):
    """A plain form for FormField rows, refusing NUL characters in every field."""

    class Meta(_RefuseNul, DefaultMeta):
        pass


class IntegerField(wtforms.IntegerField):
    """A whole number an INTEGER column can hold; a longer one is an input error, not an
    overflow (WTForms' NumberRange turns a huge int into a float and fails)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not -MAX_ID <= self.data <= MAX_ID:
            self.data = None
            raise ValueError(self.gettext(NOT_AN_INTEGER))
