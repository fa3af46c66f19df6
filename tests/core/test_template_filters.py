"""Filters that depend on the reader's language are applied at render time, never folded into
a compiled template."""

from __future__ import annotations

from flask_babel import refresh


def render_for(app, language: str, template: str) -> str:
    with app.test_request_context(f"/?lang={language}"):
        refresh()  # forget the language chosen for the previous reader
        return template.render()


def test_a_language_filter_on_a_literal_follows_each_reader(app):
    template = app.jinja_env.from_string('{{ "วันนี้"|in_own_language }}{{ "today"|lang }}')
    assert render_for(app, "th", template) == 'วันนี้ lang="en"'
    assert render_for(app, "en", template) == '<span lang="th">วันนี้</span>'
