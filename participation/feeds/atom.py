"""Write Atom 1.0 documents (RFC 4287) from plain data, escaped by the XML serialiser."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from xml.etree import ElementTree as ET

import nh3

from participation.core.i18n import written_in
from participation.core.markdown import render_markdown

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
# What a feed with no entry says it was last updated: a fixed moment, so the document is stable.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
EXCERPT_LENGTH = 300

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Text:
    """A piece of text and the language it is written in, when that is known to differ."""

    value: str
    language: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    title: Text
    link: str
    updated: datetime
    published: datetime | None = None
    author: str | None = None
    summary: Text | None = None
    content: Text | None = None
    related: str | None = None
    # A file to download with the entry (rel="enclosure"), and its media type.
    enclosure: str | None = None
    enclosure_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    language: str
    self_url: str
    page_url: str
    author: str
    entries: Sequence[Entry] = field(default_factory=tuple)

    @property
    def updated(self) -> datetime:
        """The newest entry's time: the feed changes when an entry does."""
        return max((entry.updated for entry in self.entries), default=EMPTY_FEED_UPDATED)


def user_text(value: str, feed_language: str) -> Text:
    """Text someone wrote, marked with its language when that is not the feed's."""
    language = written_in(value)
    return Text(value, language if language and language != feed_language else None)


def excerpt(markdown_source: str, *, length: int = EXCERPT_LENGTH) -> str:
    """Plain text of the first `length` characters of a Markdown body, markup removed."""
    html = str(render_markdown(markdown_source))
    # The sanitised HTML with every tag dropped; entities are turned back into characters,
    # since the serialiser escapes what needs escaping.
    text = _SPACES.sub(" ", unescape(nh3.clean(html, tags=set()))).strip()
    if len(text) <= length:
        return text
    cut = length
    space = text.rfind(" ", 0, cut)
    if space >= length * 4 // 5:
        cut = space
    # Never split a Thai vowel or tone mark from the consonant it sits on.
    while cut > 0 and unicodedata.category(text[cut]) == "Mn":
        cut -= 1
    return text[:cut].rstrip() + "…"


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC, as Atom requires."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {key: _clean(value) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = _clean(text)
    return element


def _add_text(parent: ET.Element, tag: str, text: Text) -> None:
    element = _add(parent, tag, text.value, type="text")
    if text.language:
        element.set(XML_LANG, text.language)


def _add_author(parent: ET.Element, name: str) -> None:
    author = _add(parent, "author")
    _add(author, "name", name)


def render(feed: Feed) -> bytes:
    """The feed as a UTF-8 Atom document."""
    # Unqualified names under a declared default namespace: ElementTree cannot write Atom's
    # unqualified attributes (type, rel, href) with its default_namespace option.
    root = ET.Element("feed", {"xmlns": ATOM, XML_LANG: feed.language})
    _add(root, "id", feed.id)
    _add(root, "title", feed.title, type="text")
    _add(root, "updated", timestamp(feed.updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    _add_author(root, feed.author)
    for entry in feed.entries:
        element = _add(root, "entry")
        _add(element, "id", entry.id)
        _add_text(element, "title", entry.title)
        _add(element, "updated", timestamp(entry.updated))
        if entry.published is not None:
            _add(element, "published", timestamp(entry.published))
        _add(element, "link", rel="alternate", type="text/html", href=entry.link)
        if entry.related:
            _add(element, "link", rel="related", type="text/html", href=entry.related)
        if entry.enclosure:
            _add(element, "link", rel="enclosure", type=entry.enclosure_type,
                 href=entry.enclosure)
        if entry.author:
            _add_author(element, entry.author)
        if entry.summary is not None:
            _add_text(element, "summary", entry.summary)
        if entry.content is not None:
            _add_text(element, "content", entry.content)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
