"""Log-in and log-out: one generic error, safe redirects, cookie flags, last log-in time."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

GENERIC = "The e-mail address or the password is not right."


@pytest.fixture
def person(make, db):
    user = make.user(email="kanya@example.org", display_name="Kanya")
    db.session.commit()
    return user


def test_good_credentials_log_in_and_note_the_time(client, person):
    assert person.last_login_at is None

    response = client.post("/login", data={"email": "kanya@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert person.last_login_at is not None
    assert client.get("/account").status_code == 200
    assert "Kanya" in client.get("/").get_data(as_text=True)


def test_login_sets_an_httponly_samesite_lax_session_cookie(client, person):
    response = client.post("/login", data={"email": "kanya@example.org", "password": PASSWORD})

    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "the login response sets the session cookie"
    assert "HttpOnly" in cookies[0]
    assert "SameSite=Lax" in cookies[0]


def test_email_is_matched_in_any_case(client, person):
    response = client.post("/login", data={"email": " KANYA@Example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_password_is_refused_with_the_generic_message(client, person):
    response = client.post(
        "/login", data={"email": "kanya@example.org", "password": "nope nope nope"}
    )

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert GENERIC in page
    assert 'value="kanya@example.org"' in page  # input kept
    assert person.last_login_at is None
    assert client.get("/account").status_code == 302


def test_unknown_email_gets_exactly_the_same_message(client, person):
    wrong_password = client.post(
        "/login", data={"email": "kanya@example.org", "password": "nope nope nope"}
    ).get_data(as_text=True)
    unknown = client.post(
        "/login", data={"email": "nobody@example.org", "password": "nope nope nope"}
    ).get_data(as_text=True)

    def error_block(page: str) -> str:
        start = page.index('<div class="form-errors"')
        return page[start:page.index("</div>", start)]

    assert GENERIC in unknown
    assert error_block(unknown) == error_block(wrong_password)


def test_empty_login_form_is_refused_not_crashed(client):
    response = client.post("/login", data={})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)


def test_safe_next_is_followed(client, person):
    response = client.post(
        "/login?next=/groups", data={"email": "kanya@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/groups"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "https://evil.example/login", "/\\evil.example",
     "javascript:alert(1)", "evil.example"],
)
def test_open_redirect_attempts_go_home_instead(client, person, target):
    response = client.post(
        "/login", query_string={"next": target},
        data={"email": "kanya@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_page_carries_next_to_the_form_and_register_link(client):
    page = client.get("/login?next=/groups").get_data(as_text=True)
    assert "/register?next=/groups" in page or "/register?next=%2Fgroups" in page


def test_logged_in_person_visiting_login_is_redirected(client, person, login):
    login(person)
    response = client.get("/login?next=//evil.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_is_post_only(client, person, login):
    login(person)
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_logout_ends_the_session(client, person, login):
    login(person)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_login_without_csrf_token_is_refused_when_csrf_is_on(app, client, person):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(
            "/login", data={"email": "kanya@example.org", "password": PASSWORD}
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_logout_without_csrf_token_is_refused_when_csrf_is_on(app, client, person, login):
    login(person)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/logout")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert client.get("/account").status_code == 200


def test_login_form_carries_a_csrf_token_that_works(app, client, person):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={
            "csrf_token": token, "email": "kanya@example.org", "password": PASSWORD,
        })
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 302
