"""Content written in the other language is marked with its own lang attribute."""

import pytest
from flask import render_template_string
from flask_babel import lazy_gettext as _l

from participation.core.i18n import in_own_language, lang_attribute, with_names


@pytest.mark.parametrize(
    ("page", "text", "expected"),
    [
        ("en", "ลดการเผาในที่โล่ง", ' lang="th"'),
        ("en", "ค่า PM2.5 รายชั่วโมงจากสถานี 37t", ' lang="th"'),
        ("en", "Open PM2.5 data", ""),
        ("th", "Open PM2.5 data", ' lang="en"'),
        ("th", "ลดการเผาในที่โล่ง", ""),
        ("th", "2569 · 37.5", ""),
        ("th", "ดูข้อมูลที่ https://demo.ruam.example/datasets/lampang-pm25-daily", ""),
        ("th", "ส่งมาที่ secretariat@lampang.example.org", ""),
        ("en", "", ""),
        ("en", None, ""),
    ],
)
def test_lang_attribute_names_the_language_of_the_content(app, page, text, expected):
    with app.test_request_context(f"/?lang={page}"):
        assert str(lang_attribute(text)) == expected


def _render(app, page: str, source: str, **context) -> str:
    with app.test_request_context(f"/?lang={page}"):
        return render_template_string(source, **context)


@pytest.mark.parametrize(
    ("page", "text", "expected"),
    [
        ("en", "ลดการเผาในที่โล่ง", '<span lang="th">ลดการเผาในที่โล่ง</span>'),
        ("th", "Open PM2.5 data", '<span lang="en">Open PM2.5 data</span>'),
    ],
)
def test_text_in_the_other_language_is_wrapped_in_a_span_with_its_language(
    app, page, text, expected,
):
    with app.test_request_context(f"/?lang={page}"):
        assert in_own_language(text) == expected


@pytest.mark.parametrize(
    ("page", "text"), [("en", "Open PM2.5 data"), ("th", "ลดการเผาในที่โล่ง"), ("en", "2569")],
)
def test_text_in_the_page_language_is_left_unwrapped(app, page, text):
    with app.test_request_context(f"/?lang={page}"):
        assert in_own_language(text) == text


@pytest.mark.parametrize("text", [None, ""])
def test_no_text_gives_nothing(app, text):
    with app.test_request_context("/?lang=en"):
        assert in_own_language(text) == ""


@pytest.mark.parametrize(
    ("page", "text", "expected"),
    [
        ("en", "<script>alert(1)</script> ลดการเผาในที่โล่งทุกอำเภอ",
         '<span lang="th">&lt;script&gt;alert(1)&lt;/script&gt; ลดการเผาในที่โล่งทุกอำเภอ</span>'),
        ("en", "<b>Open</b> & shut", "&lt;b&gt;Open&lt;/b&gt; &amp; shut"),
    ],
)
def test_the_text_is_escaped_whether_wrapped_or_not(app, page, text, expected):
    with app.test_request_context(f"/?lang={page}"):
        assert str(in_own_language(text)) == expected


def test_a_title_in_a_translated_sentence_stays_escaped_and_wrapped(app):
    title = "<script>alert(1)</script> ลดการเผาในที่โล่งทุกอำเภอ"
    html = _render(
        app, "en", '{{ _("Decision on %(title)s", title=title|in_own_language) }}', title=title,
    )
    assert html == (
        'Decision on <span lang="th">&lt;script&gt;alert(1)&lt;/script&gt; ลดการเผาในที่โล่งทุกอำเภอ</span>'
    )


def test_a_plain_title_in_a_translated_sentence_is_escaped(app):
    html = _render(app, "en", '{{ _("Decision on %(title)s", title=title) }}', title="<i>x</i>")
    assert html == "Decision on &lt;i&gt;x&lt;/i&gt;"


def test_a_flash_message_marks_a_name_in_the_other_language_and_escapes_it(app):
    with app.test_request_context("/?lang=en"):
        message = with_names(_l("Welcome, %(name)s."), name="นายสมชาย <b>ใจดี</b>")
        assert str(message) == (
            'Welcome, <span lang="th">นายสมชาย &lt;b&gt;ใจดี&lt;/b&gt;</span>.'
        )
        assert str(with_names(_l("Welcome, %(name)s."), name="Ann <i>")) == "Welcome, Ann &lt;i&gt;."
