"""What the journey tests share: the site's own words in each language, the steps people take
through the pages, and moving focus with the keyboard alone."""

from __future__ import annotations

import gettext
import re
import uuid
from collections.abc import Callable
from functools import cache

from playwright.sync_api import Locator, Page, expect

from participation.config import ROOT
from participation.demo.content import CATEGORIES, ORGANISATIONS, PEOPLE

DISPLAY_NAMES = {person.email: person.display_name for person in PEOPLE}
VOTING_SEATS = sum(1 for person in PEOPLE if person.seat is not None and person.voting)


class _Untranslated(gettext.NullTranslations):
    """Fail loudly instead of falling back to the English text."""

    def gettext(self, message: str) -> str:
        raise AssertionError(f"no translation of {message!r}")

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        raise AssertionError(f"no translation of {singular!r}")


class Words:
    """The text a page shows in one language, read from the compiled catalogue the site uses.

    `words("Ballot on %(title)s", title=...)` formats like Flask-Babel's `_()`;
    `words.n(singular, plural, num)` like its `ngettext()`.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.mo"
        with path.open("rb") as catalogue:
            self._catalogue = gettext.GNUTranslations(catalogue)
        self._catalogue.add_fallback(_Untranslated())

    def __call__(self, message: str, **values: object) -> str:
        text = self._catalogue.gettext(message)
        if self.language != "en":
            assert text != message, f"{message!r} is shown in English in {self.language}"
        return text % values if values else text

    def n(self, singular: str, plural: str, num: int, **values: object) -> str:
        return self._catalogue.ngettext(singular, plural, num) % {"num": num, **values}

    def bilingual(self, name_th: str, name_en: str) -> str:
        """A name stored in both languages, as the reader's language shows it."""
        return name_th if self.language == "th" or not name_en else name_en


@cache
def words(language: str) -> Words:
    return Words(language)


def unique(language: str) -> str:
    """A token that makes this run's titles and e-mail addresses its own."""
    return f"{language}-{uuid.uuid4().hex[:8]}"


def organisation_name(key: str, language: str) -> str:
    spec = next(each for each in ORGANISATIONS if each.key == key)
    return words(language).bilingual(spec.name_th, spec.name_en)


def first_category(language: str) -> str:
    name_th, name_en = CATEGORIES[0]
    return words(language).bilingual(name_th, name_en)


# -- What a person sees ----------------------------------------------------------------------

def expect_flash(page: Page, text: str) -> None:
    """The status message shown after an action."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def definitions(page: Page, list_selector: str) -> dict[str, str]:
    """A description list as the reader sees it: each term with its description."""
    return page.locator(list_selector).evaluate(
        """(list) => Object.fromEntries([...list.querySelectorAll('dt')].map(
            (term) => [term.innerText.trim(), term.nextElementSibling.innerText.trim()]))"""
    )


def number_in(text: str) -> int:
    """The first number in a phrase such as "1,234 entries" or "1234 รายการ"."""
    found = re.search(r"\d[\d,]*", text)
    assert found, f"no number in {text!r}"
    return int(found.group().replace(",", ""))


def log_head(page: Page) -> dict:
    """The log's head as /log/head.json gives it, fetched with the page's own cookies."""
    response = page.request.get("/log/head.json")
    assert response.ok, response.status
    return response.json()


# -- Steps through the pages -----------------------------------------------------------------

def register(page: Page, language: str, *, email: str, name: str, password: str,
             confirmation_link: Callable[[str], str]) -> None:
    """A visitor creates an account from the link in the header, agreeing to the privacy
    notice, opens the link the site mails to confirm the address (`confirmation_link(email)`),
    and logs in."""
    w = words(language)
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name=w("Register"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Register"))
    page.get_by_label(w("E-mail address"), exact=True).fill(email)
    page.get_by_label(w("Public display name"), exact=True).fill(name)
    page.get_by_label(w("Password"), exact=True).fill(password)
    page.get_by_label(w("Repeat the password"), exact=True).fill(password)
    page.get_by_label(w("Sector"), exact=True).select_option(label=w("Citizens"))
    # Privacy lane: the box that agrees to the notice in force (its label names its date).
    consent = w("I have read the privacy notice (version of %(date)s) and agree to it.")
    page.get_by_label(consent.split("%(date)s")[0]).check()
    page.get_by_role("button", name=w("Create my account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Check your e-mail"))
    page.goto(confirmation_link(email))
    expect(page.locator("#main")).to_contain_text(
        w("Thank you: %(email)s is confirmed. You can now take part.", email=email))
    page.get_by_role("main").get_by_role("link", name=w("Log in"), exact=True).click()
    page.get_by_label(w("E-mail address"), exact=True).fill(email)
    page.get_by_label(w("Password"), exact=True).fill(password)
    page.locator("#main form button[type=submit]").click()
    expect(page.get_by_role("banner")).to_contain_text(name)


def propose(page: Page, language: str, *, title: str, body: str) -> str:
    """A member drafts a proposal from the proposals list and submits it for comment.

    Returns the proposal's address, the link people share.
    """
    w = words(language)
    page.goto("/proposals")
    page.get_by_role("link", name=w("Make a proposal"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Make a proposal"))
    page.get_by_label(w("Title"), exact=True).fill(title)
    page.get_by_label(w("Proposal"), exact=True).fill(body)
    page.get_by_label(w("Category"), exact=True).select_option(label=first_category(language))
    page.get_by_role("button", name=w("Submit for comment"), exact=True).click()
    expect_flash(page, w("Your proposal is open for comment."))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".proposal .badge")).to_have_text(w("Open for comment"))
    return page.url


def open_ballot(page: Page, language: str, *, proposal_url: str, title: str,
                quorum: int) -> str:
    """The secretary puts the proposal under consideration and opens a ballot on it.

    Returns the ballot page's address.
    """
    w = words(language)
    page.goto(proposal_url)
    page.get_by_role("button", name=w("Put under consideration"), exact=True).click()
    expect_flash(page, w("The proposal is now under consideration by the working group."))
    expect(page.locator(".proposal .badge")).to_have_text(w("Under consideration"))
    page.get_by_role("link", name=w("Open a ballot"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Open a ballot"))
    # The closing time comes filled in: a week from now.
    expect(page.get_by_label(w("Voting closes at"), exact=True)).not_to_have_value("")
    page.get_by_label(w("Quorum (votes needed, abstentions included)"), exact=True).fill(
        str(quorum)
    )
    page.get_by_role("button", name=w("Open the ballot"), exact=True).click()
    expect_flash(page, w("The ballot is open. Voting members can now vote."))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        w("Ballot on %(title)s", title=title)
    )
    return page.url


def vote(page: Page, language: str, *, proposal_url: str, choice: str, reason: str = "") -> None:
    """A voting member votes in the ballot panel of the proposal page, with a reason if given.

    `choice` is the English label the ballot shows ("Yes", or "Agree" on a consent ballot).
    """
    w = words(language)
    page.goto(proposal_url)
    panel = page.locator(".ballot-panel")
    ballot = panel.get_by_role("group", name=w("Your vote"), exact=True)
    ballot.get_by_role("radio", name=w(choice), exact=True).check()
    if reason:
        panel.get_by_label(w("Reason"), exact=True).fill(reason)
    panel.get_by_role("button", name=w("Cast my vote"), exact=True).click()
    expect_flash(page, w(
        "Your vote is recorded: %(choice)s. You can change it until voting closes.",
        choice=w(choice),
    ))
    seat_vote = w("Your seat's vote:")
    expect(panel).to_contain_text(f"{seat_vote} {w(choice)}")


def comment_and_support(page: Page, language: str, *, proposal_url: str, comment: str,
                        stance: str, author: str) -> None:
    """A signed-in person comments with a stance, then supports the proposal."""
    w = words(language)
    page.goto(proposal_url)
    page.get_by_label(w("Your comment"), exact=True).fill(comment)
    page.get_by_role("group", name=w("Your stance"), exact=True).get_by_role(
        "radio", name=w(stance), exact=True
    ).check()
    page.get_by_role("button", name=w("Post comment"), exact=True).click()
    expect_flash(page, w("Your comment is posted."))
    posted = page.locator("article.comment").filter(has_text=comment)
    expect(posted).to_contain_text(author)
    expect(posted.locator(".badge")).to_have_text(w(stance))
    expect(page.locator("#comments-title")).to_have_text(
        w.n("%(num)d comment", "%(num)d comments", 1)
    )

    page.get_by_role("button", name=w("Support this proposal"), exact=True).click()
    expect_flash(page, w("Thank you: your support is counted."))
    support = page.locator("section.actions")
    expect(support).to_contain_text(
        w.n("%(num)d person supports this proposal.", "%(num)d people support this proposal.", 1)
    )
    expect(support).to_contain_text(w("You support this proposal."))


# -- The keyboard ----------------------------------------------------------------------------

FOCUS_RING = """() => {
    const style = getComputedStyle(document.activeElement);
    return {
        element: document.activeElement.outerHTML.slice(0, 120),
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth) || 0,
    };
}"""


def assert_focus_visible(page: Page) -> None:
    """The focused element shows the site's focus ring: an outline of 2px or more.

    A box shadow alone does not count: some elements wear one without focus.
    """
    focus = page.evaluate(FOCUS_RING)
    assert focus["outline"] != "none" and focus["width"] >= 2, f"focus is not visible on {focus}"


def is_focused(target: Locator) -> bool:
    return target.evaluate_all("(found) => found.includes(document.activeElement)")


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until the target has focus, checking the focus ring at each stop."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if is_focused(target):
            return
    raise AssertionError(f"{target} did not get focus within {limit} presses of {key}")
