"""With CSRF protection on (as in production), a state-changing request without the form's
token is refused with the translated "form has expired" page and changes nothing, whoever
sends it; with the token, the same request goes through."""

from __future__ import annotations

import re

import flask_babel
import pytest

from tests.security.routes import ROUTES, acting_role
from tests.security.world import browse_as, changed_tables, fingerprint, tried

# Mail lane: the one-click unsubscribe of RFC 8058 is posted by mail programs with no session
# and no form token; the signed token in its address is the credential
# (tests/mail/test_unsubscribe.py checks it works without a form token, and refuses bad tokens).
CSRF_EXEMPT = frozenset({"mail.unsubscribe"})


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def expected_title(language: str) -> str:
    """The page's title in that language (English until the Thai catalogue has it)."""
    with flask_babel.force_locale(language):
        return flask_babel.gettext("The form has expired")


@pytest.mark.parametrize("language", ["en", "th"])
def test_a_post_without_its_token_is_refused_and_changes_nothing(
    language, world, client, app, csrf_on
):
    title = expected_title(language)
    assert (title == "The form has expired") == (language == "en")
    before = fingerprint()
    problems = []
    for endpoint, route in sorted(ROUTES.items()):
        if endpoint in CSRF_EXEMPT:
            continue
        # Sent by someone allowed to do it, with a valid payload: only the token is missing.
        role = acting_role(endpoint)
        url = route.url(world)
        page = f"http://localhost{url}"
        with tried(before) as effect:
            browse_as(client, world.user(role))
            response = client.post(
                f"{url}{'&' if '?' in url else '?'}lang={language}", data=route.payload(world, role),
                headers={"Referer": page},
            )
        text = response.get_data(as_text=True)
        if response.status_code != 400:
            problems.append(f"{endpoint}: {response.status_code}")
        elif f'<html lang="{language}">' not in text or f"<h1>{title}</h1>" not in text:
            problems.append(f"{endpoint}: not the {language} expired-form page")
        elif f'href="{page}"' not in text:
            problems.append(f"{endpoint}: no link back to the form")
        if effect.changed:
            problems.append(f"{endpoint}: changed {effect.changed}")
    assert not problems, "\n".join(problems)


def test_a_wrong_token_is_refused_too(world, client, csrf_on):
    browse_as(client, world.users["participant"])
    client.get(f"/proposals/{world.proposals['open']}")
    before = fingerprint()
    response = client.post(
        f"/proposals/{world.proposals['open']}/comments",
        data={"body": "Forged", "csrf_token": "not-the-token"},
    )
    assert response.status_code == 400
    assert "The form has expired" in response.text
    assert changed_tables(before, fingerprint()) == []


def token_on(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def test_with_the_token_of_the_page_the_same_posts_go_through(world, client, csrf_on):
    browse_as(client, world.users["participant"])
    proposal = world.proposals["open"]
    token = token_on(client.get(f"/proposals/{proposal}").text)
    before = fingerprint()

    response = client.post(
        f"/proposals/{proposal}/comments",
        data={"body": "With the token.", "stance": "for", "csrf_token": token},
    )
    assert response.status_code == 302
    # search_documents: the comment is indexed in the same transaction (search lane).
    assert changed_tables(before, fingerprint()) == ["comments", "proposals", "search_documents"]

    response = client.post(f"/proposals/{proposal}/unsupport", data={"csrf_token": token})
    assert response.status_code == 302
    assert "supports" in changed_tables(before, fingerprint())


def test_logging_in_needs_the_token_of_the_login_page(world, client, csrf_on):
    from tests.factories import PASSWORD

    email = world.emails["participant"]
    refused = client.post("/login", data={"email": email, "password": PASSWORD})
    assert refused.status_code == 400
    token = token_on(client.get("/login").text)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
