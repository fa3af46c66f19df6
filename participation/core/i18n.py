"""Language choice, bilingual names and the one date helper (Buddhist Era in Thai)."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from markupsafe import Markup

BUDDHIST_ERA_OFFSET = 543


def select_locale() -> str:
    """Pick the language: ?lang=, then the session, then Accept-Language, then the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in languages:
        # Written only when it changes: setting the session cookie again would keep the page
        # out of shared caches (participation.core.caching).
        if session.get("lang") != asked:
            session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in languages:
        return remembered
    return request.accept_languages.best_match(languages) or current_app.config["DEFAULT_LOCALE"]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "th"


class Bilingual:
    """A model with name_th and name_en: `name` is the reader's language, Thai as fallback."""

    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        if current_language() == "en" and self.name_en:
            return self.name_en
        return self.name_th


def site_zone() -> ZoneInfo:
    """The site's time zone, in which dates are shown and typed."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def site_date(moment: datetime) -> date:
    """Return the day a moment falls on in the site's time zone."""
    return moment.astimezone(site_zone()).date()


def from_site_time(local: datetime) -> datetime:
    """Read a naive date-time typed in the site's time zone as an aware UTC moment."""
    return local.replace(tzinfo=site_zone()).astimezone(UTC)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(site_zone())


def format_date(value: date | datetime | None, *, short: bool = False) -> str:
    """Format a date for the reader: '22 มีนาคม 2564' in Thai, 'March 22, 2021' in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    language = current_language()
    if language == "th":
        months = Locale("th").months["format"]["abbreviated" if short else "wide"]
        return f"{value.day} {months[value.month]} {value.year + BUDDHIST_ERA_OFFSET}"
    return babel_format_date(value, "medium" if short else "long", locale=language)


def format_datetime(value: datetime | None, *, short: bool = False) -> str:
    """Format a moment in the site's time zone with the date helper's calendar."""
    if value is None:
        return ""
    local = _local(value)
    clock = local.strftime("%H:%M")
    if current_language() == "th":
        return f"{format_date(local, short=short)} {clock} น."
    return f"{format_date(local, short=short)}, {clock}"


_ADDRESSES = re.compile(r"(?:https?://|www\.|mailto:)\S+|[^\s@]+@\S+")
LANGUAGE_SAMPLE = 1000  # characters


def written_in(text: str) -> str | None:
    """'th' when Thai letters outnumber Latin ones, 'en' when Latin ones do, else None.

    Web and e-mail addresses do not count (a Thai text full of links is still Thai), nor do
    Thai vowel and tone marks written above or below a consonant.
    """
    thai = latin = 0
    # The opening of a text tells its language; reading no further keeps this fast on a page
    # that shows back a megabyte of junk a form refused.
    for character in _ADDRESSES.sub(" ", text[:LANGUAGE_SAMPLE]):
        if "\u0e00" <= character <= "\u0e7f":
            thai += unicodedata.category(character) != "Mn"
        elif character.isascii() and character.isalpha():
            latin += 1
    if thai > latin:
        return "th"
    return "en" if latin else None


def other_language(text: object) -> str | None:
    """The language `text` is written in when it is not the page's, else None."""
    language = written_in(str(text or ""))
    return None if language == current_language() else language


def lang_attribute(text: object) -> Markup:
    """` lang="th"` on content written in another language than the page (WCAG 3.1.2).

    People write proposals, comments and names in Thai or English whatever language they read
    the site in; screen readers need to know which voice to use for each.
    """
    language = other_language(text)
    return Markup(' lang="%s"') % language if language else Markup("")


def in_own_language(text: object) -> Markup:
    """The escaped text, inside `<span lang="…">` when written in another language than the page.

    For text set among other words, such as a title interpolated into a translated sentence;
    never inside <title> or an attribute value, where the tags would show or break the markup.
    """
    value = "" if text is None else text
    attribute = lang_attribute(value)
    if not attribute:
        return Markup.escape(value)
    return Markup("<span%s>%s</span>") % (attribute, value)


def with_names(message: object, **names: object) -> Markup:
    """A translated message (`_l(...)`) with names set in, each marked with its own language.

    For flash messages such as "Welcome, %(name)s.": the message is escaped, then each name
    goes in escaped and, when written in the other language, inside `<span lang="…">`.
    """
    return Markup.escape(str(message)) % {
        key: in_own_language(value) for key, value in names.items()
    }
