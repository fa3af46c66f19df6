"""The privacy notice: the version in force and earlier ones, in Thai and English."""

from __future__ import annotations

import re

import pytest

from participation.privacy import notices
from participation.privacy.notices import current_notice_version, notice_versions

SHIPPED = "2026-11-27"


def test_every_version_is_published_in_thai_and_in_english():
    assert SHIPPED in notice_versions()
    for version in notice_versions():
        for language in ("th", "en"):
            text = (notices.NOTICES / f"{version}.{language}.md").read_text(encoding="utf-8")
            assert "to be written" not in text
            assert len(text) > 2000, (version, language)


def test_the_notice_explains_what_is_public_the_rights_and_whom_to_ask(client):
    page = client.get("/privacy?lang=en").text

    for words in ("display name", "e-mail address", "IP", "session cookie", "consent",
                  "public interest", "Former participant #123", "/account/data",
                  "/account/delete", "Personal Data Protection Committee", "pdpc.or.th"):
        assert words in page, words


def test_the_notice_is_in_english_with_its_version_and_the_versions_list(client):
    response = client.get("/privacy?lang=en")

    assert response.status_code == 200
    page = response.text
    assert "<h1>Privacy notice</h1>" in page
    assert "Version of November 27, 2026, in force." in page
    assert f'href="/privacy/{SHIPPED}" aria-current="page">November 27, 2026</a> (in force)' in page
    assert "What everyone can see</h2>" in page


def test_the_notice_is_in_thai_for_a_thai_reader_dated_in_the_buddhist_era(client):
    page = client.get("/privacy?lang=th").text

    assert "ข้อมูลที่ทุกคนมองเห็น</h2>" in page
    assert "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล" in page
    assert "27 พฤศจิกายน 2569" in page
    assert "What everyone can see" not in page


def test_the_markdown_goes_through_the_sanitising_renderer(client, new_notice):
    (notices.NOTICES / f"{new_notice}.en.md").write_text(
        "<script>alert(1)</script>\n\n**bold** [x](javascript:alert(2))\n", encoding="utf-8")
    page = client.get("/privacy?lang=en").text

    assert "<script>alert(1)" not in page
    assert "javascript:alert(2)" not in page
    assert "<strong>bold</strong>" in page


def test_the_controller_and_the_contact_come_from_the_configuration(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_CONTROLLER", "Lampang Provincial Office")
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "privacy@lampang.example")
    page = client.get("/privacy?lang=en").text

    assert "Lampang Provincial Office" in page
    assert '<a href="mailto:privacy@lampang.example">privacy@lampang.example</a>' in page


def test_without_configuration_the_notice_says_the_contact_is_missing(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_CONTROLLER", "")
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "")
    page = client.get("/privacy?lang=en").text

    assert "The organisation that runs Ruam" in page
    assert "Not given yet: the operator of this site must set it." in page


def test_an_earlier_version_stays_readable_and_points_to_the_one_in_force(client, new_notice):
    assert current_notice_version() == new_notice
    current = client.get("/privacy?lang=en").text
    assert "Reports are now kept for one year." in current
    assert "Version of March 1, 2027, in force." in current
    assert f'<a href="/privacy/{SHIPPED}">November 27, 2026</a>' in current

    earlier = client.get(f"/privacy/{SHIPPED}?lang=en")

    assert earlier.status_code == 200
    assert "Version of November 27, 2026, no longer in force." in earlier.text
    assert "Read the current version, of March 1, 2027." in earlier.text
    assert "What everyone can see</h2>" in earlier.text
    assert "Reports are now kept for one year." not in earlier.text
    assert f'href="/privacy/{SHIPPED}" aria-current="page"' in earlier.text


@pytest.mark.parametrize("version", ["2020-01-01", "latest", "2026-11-27.en", "..%2Fviews.py",
                                     "2026-13-45"])
def test_an_unknown_version_is_not_found_in_the_readers_language(client, version):
    english = client.get(f"/privacy/{version}?lang=en")
    thai = client.get(f"/privacy/{version}?lang=th")

    assert english.status_code == thai.status_code == 404
    assert english.headers["Content-Language"] == "en"
    assert thai.headers["Content-Language"] == "th"


def test_a_version_published_in_one_language_is_shown_in_the_other(client, new_notice):
    (notices.NOTICES / f"{new_notice}.th.md").unlink()
    page = client.get("/privacy?lang=th").text

    assert re.search(r'<div class="prose" lang="en">\s*<p class="muted" lang="th">', page)
    assert "Reports are now kept for one year." in page


def test_every_page_links_to_the_notice_in_its_footer(client):
    page = client.get("/proposals?lang=en").text
    footer = page[page.index('<footer'):]
    assert '<a href="/privacy">Privacy</a>' in footer
