"""A visitor's public page may be kept by a CDN or a reverse proxy for a minute and revalidated
with its ETag (304, no body); a signed-in person's page, a form, a redirect, an error or a POST
answer is never kept by anyone, and nobody's tag turns it into a 304."""

from __future__ import annotations

import pytest

from participation.core.headers import SECURITY_HEADERS
from participation.extensions import db
from participation.mail.tokens import unsubscribe_token

NOT_SHARED = "private, no-store"


@pytest.fixture
def visitor(app, monkeypatch):
    """A reader without cookies, as a CDN asks: nobody signed in, no language chosen before;
    forms get their CSRF token, as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app.test_client(use_cookies=False)


def shared_for_a_minute(response) -> bool:
    """Kept a minute by a CDN or a proxy; a browser asks again each time."""
    return (
        response.cache_control.public is True
        and response.cache_control.s_maxage == 60
        and response.cache_control.max_age == 0
        and not response.cache_control.private
        and not response.cache_control.no_store
        and {"cookie", "accept-language"} <= {name.lower() for name in response.vary}
    )


def never_kept(response) -> bool:
    return (
        response.cache_control.no_store is True
        and not response.cache_control.public
        and response.cache_control.max_age is None
        and response.cache_control.s_maxage is None
    )


@pytest.mark.parametrize(
    "address", ["/", "/proposals", "/decisions", "/log", "/search?q=smoke", "/api/v1/proposals"]
)
def test_a_visitors_page_is_shared_for_a_minute_with_an_etag(visitor, address):
    response = visitor.get(address)

    assert response.status_code == 200
    assert shared_for_a_minute(response), response.headers
    assert response.headers["ETag"]
    assert "Set-Cookie" not in response.headers


def test_a_proposal_page_with_its_comments_is_shared_with_visitors(visitor, make):
    """Visitors may not comment: the page makes no comment form, so no form token."""
    proposal = make.proposal(title="Free mulchers for maize farmers")
    db.session.commit()

    response = visitor.get(f"/proposals/{proposal.id}")

    assert "Free mulchers for maize farmers" in response.text
    assert shared_for_a_minute(response) and response.headers["ETag"]
    assert "Set-Cookie" not in response.headers


def test_asking_again_with_the_etag_gets_304_with_no_body_and_the_same_headers(visitor):
    first = visitor.get("/proposals")

    again = visitor.get("/proposals", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert shared_for_a_minute(again)
    for name, value in SECURITY_HEADERS.items():
        assert again.headers[name] == value, name


def test_a_head_request_is_conditional_too(visitor):
    tag = visitor.get("/").headers["ETag"]

    assert visitor.head("/", headers={"If-None-Match": tag}).status_code == 304
    assert visitor.head("/", headers={"If-None-Match": '"another"'}).status_code == 200


def test_a_change_to_the_data_changes_the_etag_and_the_old_one_gets_the_new_page(
    visitor, make
):
    first = visitor.get("/proposals")

    make.proposal(title="Chipping crop stubble instead of burning it")
    db.session.flush()
    changed = visitor.get("/proposals", headers={"If-None-Match": first.headers["ETag"]})

    assert changed.status_code == 200
    assert "Chipping crop stubble instead of burning it" in changed.text
    assert changed.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize("address", ["/", "/proposals", "/api/v1/proposals"])
def test_a_signed_in_persons_page_is_never_kept_nor_answered_304_with_anothers_tag(
    visitor, client, login, make, address
):
    tag = visitor.get(address).headers["ETag"]
    login(make.user(display_name="Somchai Signed-In"))

    for _ in range(2):
        response = client.get(address, headers={"If-None-Match": tag})
        assert response.status_code == 200
        assert response.data
        assert never_kept(response), response.headers
        assert "ETag" not in response.headers


def test_a_signed_in_persons_page_with_their_name_is_private(client, login, make):
    login(make.user(display_name="Somchai Signed-In"))

    response = client.get("/")

    assert "Somchai Signed-In" in response.text
    assert response.headers["Cache-Control"] == NOT_SHARED


def test_answers_to_a_post_are_never_kept(client):
    response = client.post("/login", data={"email": "nobody@example.org", "password": "wrong"})

    assert response.status_code == 200
    assert never_kept(response)
    assert "ETag" not in response.headers


@pytest.mark.parametrize(
    ("address", "status"),
    [("/account", 302), ("/api/v1", 308), ("/no/such/page", 404),
     (f"/proposals/{2**31 - 1}", 404)],
)
def test_redirects_and_errors_are_never_kept(visitor, address, status):
    response = visitor.get(address)

    assert response.status_code == status
    assert never_kept(response), response.headers
    assert "ETag" not in response.headers


def test_a_page_with_a_form_token_is_never_kept_even_once_the_session_holds_it(
    client, app, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    # The token goes into a new session (a cookie is set); later the session already holds
    # it and no cookie is set, yet the page carries the token still.
    pages = [client.get("/login") for _ in range(3)]

    assert "Set-Cookie" in pages[0].headers and "Set-Cookie" not in pages[-1].headers
    for response in pages:
        assert 'name="csrf_token"' in response.text
        assert never_kept(response)
        assert "ETag" not in response.headers


def test_a_page_shown_with_a_flashed_message_is_never_kept(client, make):
    user = make.user()
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": "not the password"})
    client.post("/logout")  # "You are logged out." waits in the session

    response = client.get("/")

    assert "flash" in response.text
    assert never_kept(response)


def test_a_secret_link_for_one_person_is_never_kept(visitor, make):
    user = make.user(email="mali@example.org")
    db.session.commit()

    response = visitor.get(f"/unsubscribe/{unsubscribe_token(user.id)}")

    assert response.status_code == 200
    assert never_kept(response)


def test_the_language_variants_of_a_page_have_their_own_tags(visitor):
    thai = visitor.get("/", headers={"Accept-Language": "th"})
    english = visitor.get("/", headers={"Accept-Language": "en"})

    assert '<html lang="th">' in thai.text and '<html lang="en">' in english.text
    assert thai.headers["ETag"] != english.headers["ETag"]
    assert shared_for_a_minute(thai) and shared_for_a_minute(english)
    # A cache holding the Thai copy asks again for an English reader: the English page comes.
    asked = visitor.get("/", headers={"Accept-Language": "en",
                                      "If-None-Match": thai.headers["ETag"]})
    assert asked.status_code == 200 and '<html lang="en">' in asked.text


def test_choosing_a_language_sets_a_cookie_and_is_not_shared_then_the_pages_are(client):
    chosen = client.get("/proposals?lang=th")  # the test site's default is English

    assert "Set-Cookie" in chosen.headers
    assert never_kept(chosen)
    # The session now says Thai (Vary: Cookie keeps its copies apart from other readers'),
    # and asking for Thai again does not write the cookie again.
    pages = [client.get(address) for address in ("/proposals", "/proposals", "/proposals?lang=th")]
    assert all('<html lang="th">' in page.text for page in pages)
    for page in pages[1:]:
        assert shared_for_a_minute(page) and "Set-Cookie" not in page.headers


def test_the_streamed_download_is_shared_without_an_etag(visitor):
    with visitor.get("/open-data/proposals.csv", buffered=False) as response:
        assert response.status_code == 200
        assert response.is_streamed
        assert shared_for_a_minute(response)
        assert "ETag" not in response.headers


def test_a_feed_keeps_its_etag_and_is_shared(visitor):
    first = visitor.get("/feeds/proposals.atom")
    again = visitor.get("/feeds/proposals.atom", headers={"If-None-Match": first.headers["ETag"]})

    assert shared_for_a_minute(first)
    assert again.status_code == 304 and shared_for_a_minute(again)


def test_the_health_check_is_never_kept(visitor):
    response = visitor.get("/healthz")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_time_a_shared_cache_keeps_a_page_is_configurable(visitor, app, monkeypatch):
    monkeypatch.setitem(app.config, "SHARED_CACHE_MAX_AGE", 300)

    assert visitor.get("/").cache_control.s_maxage == 300
