"""Every form shares the site's text rules and speaks the reader's language."""

import pytest

from participation.core.forms import trim_invisible
from participation.proposals.models import Proposal
from tests.rows import count_rows


def test_wtforms_own_messages_are_translated_into_thai(client):
    page = client.post("/login?lang=th", data={}).text
    assert "โปรดกรอกช่องนี้" in page
    assert "This field is required." not in page


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  ฝุ่น PM2.5  ", "ฝุ่น PM2.5"),
        ("\u200b\u202e\ufeff", ""),
        ("\u200bข้อเสนอ\u200d", "ข้อเสนอ"),
        ("a\u200bb", "a\u200bb"),
    ],
)
def test_invisible_edges_are_trimmed(raw, clean):
    assert trim_invisible(raw) == clean


def test_a_title_made_only_of_invisible_characters_is_refused(login, make, db):
    author, category, group = make.user(), make.category(), make.group()
    db.session.commit()
    response = login(author).post("/proposals/new", data={
        "title": "\u200b\u200e \u2060", "body": "เนื้อหา", "category": category.id,
        "group": group.id, "submit_for_comment": "1",
    })
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert count_rows(Proposal) == 0


def test_nul_characters_are_refused_beside_the_field(login, make, db):
    author, category, group = make.user(), make.category(), make.group()
    db.session.commit()
    response = login(author).post("/proposals/new", data={
        "title": "ok\x00", "body": "เนื้อหา", "category": category.id, "group": group.id,
    })
    assert "Remove the invisible control character (NUL) from this text." in response.text
    assert count_rows(Proposal) == 0


def test_the_expired_form_page_links_back_only_to_this_site(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.post("/logout", headers={"Referer": "https://evil.example/x"}).text
    assert "evil.example" not in page
    page = client.post("/logout", headers={"Referer": "http://localhost/proposals"}).text
    assert 'href="http://localhost/proposals"' in page
