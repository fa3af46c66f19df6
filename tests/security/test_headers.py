"""Every response carries the security headers (pages, error pages, static files, feeds and
downloads); the Content-Security-Policy allows no inline script or style, and no page needs
any; HSTS only over HTTPS (also behind a configured proxy); production cookies are Secure."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from werkzeug.test import EnvironBuilder

from participation import config, create_app
from participation.core.headers import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD
from tests.security.addresses import every_get_address
from tests.security.world import browse_as

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
HSTS = "max-age=31536000; includeSubDomains"


def policy_of(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def missing_headers(response) -> list[str]:
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in EXPECTED.items()
        if response.headers.get(name) != value
    ]
    if "Content-Security-Policy" not in response.headers or policy_of(response) != POLICY:
        problems.append(f"CSP: {response.headers.get('Content-Security-Policy')!r}")
    permissions = response.headers.get("Permissions-Policy", "")
    if "camera=()" not in permissions or "geolocation=()" not in permissions:
        problems.append(f"Permissions-Policy: {permissions!r}")
    if "Strict-Transport-Security" in response.headers:
        problems.append("HSTS over plain HTTP")
    return problems


class InlineCode(HTMLParser):
    """Finds what a strict CSP would block: inline scripts, event handlers, style elements and
    attributes, and javascript: addresses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip(
            ).lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


# At least this many GET routes answer 200 to each role in the world (of 100 or so).
RENDERED = {"visitor": 45, "secretary": 65, "admin": 65}


@pytest.mark.parametrize("role", RENDERED)
def test_every_page_file_and_download_carries_the_security_headers_and_no_inline_code(
    role, world, app, client
):
    addresses = every_get_address(app, world)
    assert len(addresses) > 80
    browse_as(client, world.user(role))
    problems, statuses = [], {}
    for address in addresses:
        with client.get(address) as response:
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            problems += [f"{address} ({response.status_code}) {p}"
                         for p in missing_headers(response)]
            if response.mimetype == "text/html":
                problems += [f"{address}: {found}" for found in inline_code(response.text)]
    assert not problems, "\n".join(problems)
    # Many pages were really rendered, not only refused or sent elsewhere.
    assert statuses.get(200, 0) >= RENDERED[role], statuses


def test_the_policy_is_the_documented_one():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


def test_the_inline_code_finder_finds_what_the_policy_blocks():
    """The check above can fail: each of these would be blocked by the policy."""
    page = (
        '<script>alert(1)</script><script src="/static/x.js"></script><style>p{}</style>'
        '<p style="color:red">x</p><img src="x" onerror="alert(1)"><svg onload="f()"/>'
        '<a href=" JavaScript:alert(1)">x</a><form action="javascript:x"></form>'
    )
    assert inline_code(page) == [
        "inline <script>", "<style> element", "<p style='color:red'>", "<img onerror=…>",
        "<svg onload=…>", "<a href=' JavaScript:alert(1)'>", "<form action='javascript:x'>",
    ]


def test_error_pages_carry_the_headers(world, app, client, monkeypatch):
    responses = {
        "404": client.get("/no/such/page"),
        "404 id": client.get(f"/proposals/{2**31 - 1}"),
        "405": client.put("/login"),
        "413": client.post("/login", data={"email": "x" * (2 * 1024 * 1024)}),
    }
    browse_as(client, world.user("participant"))
    responses["403"] = client.get("/admin/users")

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setitem(app.view_functions, "home.index", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    responses["500"] = client.get("/")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    responses["400 csrf"] = client.post("/logout")

    assert {name: r.status_code for name, r in responses.items()} == {
        "404": 404, "404 id": 404, "405": 405, "413": 413, "403": 403, "500": 500,
        "400 csrf": 400,
    }
    problems = {name: missing_headers(r) for name, r in responses.items() if missing_headers(r)}
    assert not problems


def test_downloads_are_attachments_that_cannot_be_sniffed_into_pages(client):
    for address in ("/open-data/proposals.csv", "/open-data/proposals.json"):
        with client.get(address) as response:
            assert response.status_code == 200
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert not missing_headers(response)


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == HSTS
    with client.get("/static/css/site.css", base_url="https://localhost") as static:
        assert static.headers["Strict-Transport-Security"] == HSTS


def test_a_forwarded_scheme_is_believed_only_from_a_configured_proxy():
    """Without PROXY_COUNT a client could claim HTTPS or another address; with it, the proxy's
    X-Forwarded-Proto and X-Forwarded-For are used (the host never is)."""
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                 "X-Forwarded-Host": "evil.example"}

    def serve(proxies: int) -> tuple[dict, dict[str, str]]:
        app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://", "PROXY_COUNT": proxies})
        environ = EnvironBuilder(
            path="/static/css/site.css", headers=forwarded,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        ).get_environ()
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(headers)

        body = app.wsgi_app(environ, start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()
        return environ, started

    environ, headers = serve(0)
    assert (environ["wsgi.url_scheme"], environ["REMOTE_ADDR"]) == ("http", "127.0.0.1")
    assert "Strict-Transport-Security" not in headers

    environ, headers = serve(1)
    assert (environ["wsgi.url_scheme"], environ["REMOTE_ADDR"]) == ("https", "203.0.113.7")
    assert environ["HTTP_HOST"] == "localhost"
    assert headers["Strict-Transport-Security"] == HSTS


@pytest.mark.parametrize(
    ("settings", "session_secure", "remember_secure"),
    [
        ({}, True, True),
        ({"SESSION_COOKIE_SECURE": False}, False, False),  # plain HTTP on purpose
        ({"REMEMBER_COOKIE_SECURE": False}, True, False),
        ({"ENV": "development"}, False, False),
    ],
)
def test_production_cookies_are_secure_unless_set_otherwise(
    monkeypatch, settings, session_secure, remember_secure
):
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        monkeypatch.delenv(f"PARTICIPATION_{key}", raising=False)
    loaded = config.load({"ENV": "production", "SECRET_KEY": "k" * 40, **settings})
    assert loaded["SESSION_COOKIE_SECURE"] is session_secure
    assert loaded["REMEMBER_COOKIE_SECURE"] is remember_secure
    assert loaded["SESSION_COOKIE_HTTPONLY"] and loaded["REMEMBER_COOKIE_HTTPONLY"]


def test_the_environment_can_set_the_remember_cookie_on_its_own(monkeypatch):
    monkeypatch.setenv("PARTICIPATION_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("PARTICIPATION_REMEMBER_COOKIE_SECURE", "false")
    loaded = config.load({"ENV": "production", "SECRET_KEY": "k" * 40})
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["REMEMBER_COOKIE_SECURE"] is False


def test_with_production_cookie_settings_the_login_cookies_are_secure_and_http_only(
    world, app, client, monkeypatch
):
    production = config.load({"ENV": "production", "SECRET_KEY": "k" * 40})
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        monkeypatch.setitem(app.config, key, production[key])
    response = client.post(
        "/login", data={"email": world.emails["participant"], "password": PASSWORD,
                        "remember": "y"},
    )
    assert response.status_code == 302
    cookies = {
        header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")
    }
    assert {"session", "remember_token"} <= cookies.keys()
    for name in ("session", "remember_token"):
        attributes = {part.strip().lower() for part in cookies[name].split(";")[1:]}
        assert {"secure", "httponly", "samesite=lax"} <= attributes, cookies[name]
