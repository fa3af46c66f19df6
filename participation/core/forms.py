"""The bases of every form: WTForms' messages in the reader's language, text trimmed of
invisible edges, and input a database cannot store refused as a form error, never a 500."""

from __future__ import annotations

import unicodedata
from typing import Any

import wtforms
from flask import current_app
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_wtf import FlaskForm as _FlaskForm
from wtforms.meta import DefaultMeta
from wtforms.validators import ValidationError

from participation.core.errors import MAX_ID
from participation.core.i18n import other_language


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) == "Cf"


def trim_invisible(text: str) -> str:
    """Strip white space and invisible format characters (zero-width spaces, direction marks)
    from both ends, so that a text made only of them counts as empty."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def refuse_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL characters in text, and no keyboard types one."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_("Remove the invisible control character (NUL) from this text."))
    return value


def tidy_text(value: Any) -> Any:
    value = refuse_nul(value)
    return trim_invisible(value) if isinstance(value, str) else value


class BabelTranslations:
    """WTForms' own messages through the site's catalogues (WTForms ships no Thai one)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class _SiteMeta:
    def bind_field(self, form, unbound_field, options):
        # Lists and sub-forms take no filters: their own fields get them.
        if issubclass(unbound_field.field_class, (wtforms.FieldList, wtforms.FormField)):
            return super().bind_field(form, unbound_field, options)
        # Passwords are taken exactly as typed.
        extra = refuse_nul if unbound_field.field_class is wtforms.PasswordField else tidy_text
        filters = [*unbound_field.kwargs.get("filters", ()), extra]
        return unbound_field.bind(form=form, filters=filters, **options)

    def get_translations(self, form):
        return BabelTranslations()


class FlaskForm(_FlaskForm):
    """Flask-WTF's form (with CSRF) with the site's text rules and translations."""

    class Meta(_SiteMeta, _FlaskForm.Meta):
        pass


class Form(wtforms.Form):
    """A plain form for FormField rows, with the site's text rules and translations."""

    class Meta(_SiteMeta, DefaultMeta):
        pass


class BodyLength:
    """Refuse text longer than the site's MAX_BODY_LENGTH (read when the form validates)."""

    def __call__(self, form, field) -> None:
        limit = current_app.config["MAX_BODY_LENGTH"]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                _("The text may be at most %(max)d characters long (it has %(length)d).",
                  max=limit, length=len(field.data))
            )


class IntegerField(wtforms.IntegerField):
    """A whole number an INTEGER column can hold; a longer one is an input error, not an
    overflow (WTForms' NumberRange turns a huge int into a float and fails)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not -MAX_ID <= self.data <= MAX_ID:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))


def choice(value: Any, label: str) -> wtforms.SelectChoice:
    """An option whose label, when written in the other language than the page's, says so."""
    language = other_language(label)
    return wtforms.SelectChoice(value, label, render_kw={"lang": language} if language else {})
