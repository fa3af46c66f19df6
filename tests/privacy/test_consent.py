"""Asking again: a signed-in person who has not agreed to the notice in force (an account made
before it existed, or one that agreed to an earlier version) is shown a banner, is sent to agree
before taking part, and comes back where they were."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from participation.accountability.models import LogEntry
from participation.privacy.notices import current_notice_version
from tests.rows import count_rows
from tests.security.test_redirects import OPEN_REDIRECTS, assert_stays_on_site

NEVER_ASKED = "Before you propose, comment or support, read the privacy notice and agree to it."
CHANGED = "The privacy notice has changed."


@pytest.fixture
def unasked(make, login, db):
    """A person whose account was made before the notice existed, logged in."""
    person = make.user(consented=False, display_name="Somsri")
    db.session.commit()
    login(person)
    return person


@pytest.fixture
def asked_before(make, login, db, new_notice):
    """A person who agreed to the shipped notice, logged in, after a new one was published."""
    person = make.user(consented=False, display_name="Boonmee")
    person.privacy_version = "2026-11-27"
    db.session.commit()
    login(person)
    return person


def next_of(location: str) -> str | None:
    return parse_qs(urlsplit(location).query).get("next", [None])[0]


def test_the_banner_asks_a_person_who_never_agreed_on_every_page(client, unasked):
    for page in ("/?lang=en", "/proposals?lang=en", "/account?lang=en", "/privacy?lang=en"):
        text = client.get(page).text
        assert NEVER_ASKED in text, page
        assert 'href="/privacy/consent?next=' in text, page
    proposals = client.get("/proposals?state=open&lang=en").text
    assert 'href="/privacy/consent?next=/proposals?state%3Dopen%26lang%3Den"' in proposals


def test_the_banner_says_the_notice_changed_to_a_person_who_agreed_to_an_earlier_one(
    client, asked_before
):
    text = client.get("/proposals?lang=en").text
    assert CHANGED in text
    assert NEVER_ASKED not in text


def test_no_banner_for_a_visitor_nor_a_person_who_agreed(client, make, login, db):
    assert NEVER_ASKED not in client.get("/proposals?lang=en").text
    login(make.user())
    text = client.get("/proposals?lang=en").text
    assert NEVER_ASKED not in text and CHANGED not in text


def test_taking_part_sends_the_person_to_agree_and_then_back(client, unasked, db):
    refused = client.get("/proposals/new?lang=en")
    assert refused.status_code == 302
    assert urlsplit(refused.headers["Location"]).path == "/privacy/consent"
    assert next_of(refused.headers["Location"]) == "/proposals/new?lang=en"

    page = client.get(refused.headers["Location"])
    assert page.status_code == 200
    assert "I have read the privacy notice (version of November 27, 2026) and agree to it." in (
        page.text)
    assert NEVER_ASKED not in page.text  # no banner on the page that asks

    agreed = client.post(refused.headers["Location"], data={"consent": "y"})
    assert agreed.status_code == 302
    assert agreed.headers["Location"] == "/proposals/new?lang=en"
    db.session.refresh(unasked)
    assert unasked.privacy_version == current_notice_version()
    assert unasked.privacy_consented_at is not None
    assert client.get("/proposals/new?lang=en").status_code == 200
    assert NEVER_ASKED not in client.get("/proposals?lang=en").text


def test_a_button_stopped_by_the_guard_leads_back_to_the_page_it_was_on(
    client, make, unasked, db
):
    proposal = make.proposal()
    db.session.commit()
    refused = client.post(f"/proposals/{proposal.id}/support")
    assert next_of(refused.headers["Location"]) == f"/proposals/{proposal.id}/support"

    # The browser keeps the proposal's page as the referrer through the redirect.
    page = client.get(refused.headers["Location"],
                      headers={"Referer": f"http://localhost/proposals/{proposal.id}"})
    assert f'action="/privacy/consent?next=/proposals/{proposal.id}"' in page.text
    agreed = client.post(f"/privacy/consent?next=/proposals/{proposal.id}", data={"consent": "y"})
    assert agreed.headers["Location"] == f"/proposals/{proposal.id}"


def test_without_a_page_to_go_back_to_the_person_goes_home(client, unasked):
    agreed = client.post("/privacy/consent?next=/proposals/1/support", data={"consent": "y"})
    assert agreed.status_code == 302
    assert agreed.headers["Location"] == "/"


def test_a_new_notice_asks_again_and_shows_what_changed(client, asked_before, db, new_notice):
    refused = client.get("/proposals/new")
    assert urlsplit(refused.headers["Location"]).path == "/privacy/consent"

    page = client.get("/privacy/consent?lang=en").text
    assert ("The privacy notice changed on March 1, 2027. You agreed to the version of "
            "November 27, 2026") in page
    assert f'href="/privacy/{new_notice}"' in page
    assert 'href="/privacy/2026-11-27"' in page
    assert "Reports are now kept for one year." in page  # the new text, on the page

    client.post("/privacy/consent", data={"consent": "y"})
    db.session.refresh(asked_before)
    assert asked_before.privacy_version == new_notice


def test_not_ticking_the_box_is_refused_and_changes_nothing(client, unasked, db):
    for data in ({}, {"consent": ""}, {"consent": "n"}, {"consent": "Y"}):
        response = client.post("/privacy/consent?lang=en", data=data)
        assert response.status_code == 200
        assert "Tick the box to agree to the privacy notice." in response.text
    db.session.refresh(unasked)
    assert unasked.privacy_version is None and unasked.privacy_consented_at is None


def test_a_person_who_agreed_is_told_so_and_agreeing_again_changes_nothing(
    client, make, login, db
):
    person = make.user()
    db.session.commit()
    login(person)
    agreed_at = person.privacy_consented_at

    page = client.get("/privacy/consent?lang=en").text
    assert "You agreed to the current privacy notice, the version of November 27, 2026" in page
    assert 'name="consent"' not in page

    again = client.post("/privacy/consent?lang=en", data={"consent": "y"})
    assert again.status_code == 302
    db.session.refresh(person)
    assert person.privacy_consented_at == agreed_at
    assert "You had already agreed" in client.get("/").text


def test_agreeing_is_personal_and_not_written_to_the_public_log(client, unasked, db):
    entries = count_rows(LogEntry)
    client.post("/privacy/consent", data={"consent": "y"})
    assert count_rows(LogEntry) == entries


def test_a_visitor_is_asked_to_log_in_first(client):
    response = client.get("/privacy/consent")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_agreeing_never_sends_the_person_to_another_site(client, unasked):
    for target in OPEN_REDIRECTS:
        response = client.post("/privacy/consent", query_string={"next": target},
                               data={"consent": "y"})
        assert response.status_code == 302, target
        assert_stays_on_site(response.headers["Location"], "/", target)
        assert "stolen" not in " ".join(response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("referrer", [
    "https://evil.example/proposals", "http://localhost.evil.example/proposals",
    "http://localhost@evil.example/proposals", "http://localhost//evil.example",
    "javascript:alert(1)//http://localhost/",
])
def test_the_referrer_never_sends_the_person_to_another_site(client, unasked, referrer):
    page = client.get("/privacy/consent?next=/proposals/1/support",
                      headers={"Referer": referrer})
    assert 'action="/privacy/consent?next=/"' in page.text
