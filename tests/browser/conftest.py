"""Browser fixtures: one real server per session, Debian's Chromium driven by Playwright.

Without Chromium the browser tests are skipped with the command that installs it, except
where PARTICIPATION_REQUIRE_BROWSER=1 (as in CI): there a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from participation.accounts.tokens import verification_token
from participation.core.models import utcnow
from participation.mail.tokens import unsubscribe_token
from tests.browser.server import SECRET_KEY, RunningServer, running_server
from tests.conftest import TEST_DATABASE_URL

CHROMIUM = os.environ.get("PARTICIPATION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(
    os.environ.get("PARTICIPATION_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts")
)
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
BROWSER_LOCALES = {"th": "th-TH", "en": "en-GB"}
DEMO_PASSWORD = "ruam-demo-2569"
# Full-page screenshots cost a quarter of the page audit's time: taken only when asked for.
TAKE_SCREENSHOTS = os.environ.get("PARTICIPATION_SCREENSHOTS") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the browser tests; the page audit runs first, while the demo is as loaded.

    The journeys add proposals, ballots and decisions to the shared server; the screenshots
    should show the demo a newcomer sees after `make run`. Under `make test` (pytest-xdist,
    `--dist loadfile`) a worker is handed the largest file, the page audit, before any other.
    """
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)

    def a_journey(item: pytest.Item) -> bool:
        return "browser" in item.keywords and Path(item.fspath).name != "test_pages.py"

    items.sort(key=a_journey)  # stable: everything else keeps its order


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM}: apt install chromium fonts-thai-tlwg"
        if os.environ.get("PARTICIPATION_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("server"), TEST_DATABASE_URL) as running:
        yield running


@pytest.fixture(scope="session")
def base_url(server: RunningServer) -> str:
    return server.url


def demo_email(who: str) -> str:
    return f"{who}@demo.ruam.example"


def unsubscribe_path(user_id: int) -> str:
    """The unsubscribe link of a person's e-mails, signed with the server's key as the site's
    e-mails sign it."""
    signer = Flask(__name__)
    signer.config["SECRET_KEY"] = SECRET_KEY
    with signer.app_context():
        return f"/unsubscribe/{unsubscribe_token(user_id)}"


def verification_path(user_id: int, email: str) -> str:
    """The link of a person's e-mail to confirm their address, signed with the server's key
    as the site's e-mails sign it."""
    signer = Flask(__name__)
    signer.config["SECRET_KEY"] = SECRET_KEY
    person = SimpleNamespace(id=user_id, email=email)
    with signer.app_context():
        return f"/verify/{verification_token(person, now=utcnow())}"


def policy_violation(message: ConsoleMessage) -> str | None:
    """What the Content-Security-Policy blocked, when the console message says so."""
    if message.type == "error" and "Content Security Policy" in message.text:
        return f"{message.location.get('url')}: {message.text}"
    return None


class Session:
    """Opens pages as one person (or a visitor), in one language, at one width."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []
        self.server_errors: list[str] = []
        # What the Content-Security-Policy blocked (the browser says so on the console).
        self.policy_violations: list[str] = []
        self._logins: dict[str, dict] = {}

    def open(
        self, language: str = "th", *, who: str | None = None, viewport: dict | None = None,
        javascript: bool = True,
    ) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url, locale=BROWSER_LOCALES[language],
            viewport=viewport or DESKTOP, java_script_enabled=javascript,
            storage_state=self.login_state(who) if who else None,
        )
        self.contexts.append(context)
        page = context.new_page()
        self.watch(page)
        return page

    def watch(self, page: Page) -> None:
        """Record the page's server errors and Content-Security-Policy violations."""
        page.on("response", self._watch)
        page.on("console", self._console)

    def _watch(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        violation = policy_violation(message)
        if violation:
            self.policy_violations.append(violation)

    def login_state(self, who: str) -> dict:
        """The cookies of the demo person `who`, logged in once per test session."""
        if who not in self._logins:
            context = self.browser.new_context(base_url=self.base_url, locale="en-GB")
            page = context.new_page()
            log_in(page, demo_email(who))
            self._logins[who] = context.storage_state()
            context.close()
        return self._logins[who]

    def user_id(self, who: str) -> int:
        """A demo person's id, as the administrator finds it in the list of people."""
        return self.id_of(demo_email(who))

    def id_of(self, email: str) -> int:
        """The id of the person with this e-mail address, as the administrator finds it."""
        context = self.browser.new_context(
            base_url=self.base_url, storage_state=self.login_state("admin")
        )
        try:
            response = context.request.get("/admin/users", params={"q": email})
            assert response.ok, response.status
            found = re.findall(
                r'href="/admin/users/(\d+)"[^>]*>[^<]*</a></th>\s*<td[^>]*>'
                + re.escape(email) + "<",
                response.text(),
            )
        finally:
            context.close()
        assert len(found) == 1, f"the administrator does not find {email} among the people"
        return int(found[0])

    def confirmation_link(self, email: str) -> str:
        """The link the site mails to a newly registered address (an e-mail's link)."""
        return verification_path(self.id_of(email), email)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form, whatever the page's language."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("#main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login as {email} failed"


@pytest.fixture(scope="session")
def browsing(browser: Browser, base_url: str) -> Session:
    return Session(browser, base_url)


@pytest.fixture
def pages(browsing: Session) -> Iterator[Session]:
    """`pages.open(language, who=..., viewport=..., javascript=...)` gives a new page.

    A test fails if any response the browser receives is a server error, or if the
    Content-Security-Policy blocked anything on a page.
    """
    browsing.server_errors.clear()
    browsing.policy_violations.clear()
    yield browsing
    browsing.close()
    assert not browsing.server_errors, browsing.server_errors
    assert not browsing.policy_violations, browsing.policy_violations


def screenshot(page: Page, name: str) -> None:
    """A full-page screenshot in test-artifacts/screenshots/, under PARTICIPATION_SCREENSHOTS=1."""
    if TAKE_SCREENSHOTS:
        path = SCREENSHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)

