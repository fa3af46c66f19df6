"""Safety and privacy in a real browser, in Thai and in English: a moderator blocks a person
for a week and lifts the block early; a person downloads their data and deletes their account;
a visitor reads the public moderation figures and the privacy notice from the footer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from participation.demo.content import SPAM_COMMENT, SPAM_REPORTS
from participation.privacy.notices import current_notice_version
from tests.browser.audit import axe_violations, describe
from tests.browser.conftest import DEMO_PASSWORD, demo_email
from tests.browser.journeys import (
    DISPLAY_NAMES,
    definitions,
    expect_flash,
    number_in,
    unique,
    words,
)

LANGUAGES = pytest.mark.parametrize("language", ["th", "en"])
# One person per language, whom no other browser test logs in as, so that the two runs (and
# the other journeys on the same server) do not meet.
BLOCKED = {"th": "member.local", "en": "member.industry"}
ERASED = {"th": "volunteer", "en": "advertiser"}  # no seat in a working group: erasable
REPORTER = "researcher"  # a report filed changes nothing the other journeys look at
# Who reported the demo's comments: the public moderation page never names them.
DEMO_REPORTERS = ("citizen1", "citizen2", "citizen3", "researcher", "volunteer")
REASONS = (
    "Spam or advertising", "Insults, harassment or hate", "Someone's private information",
    "Deliberately false or misleading", "Off topic", "Illegal content", "Another reason",
)


def assert_accessible(page: Page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


def open_a_proposal(page: Page, not_by: str) -> str:
    """From the proposals open for comment, the first one someone else proposed; returns its
    address."""
    page.goto("/proposals?state=open")
    page.locator(".proposal-item").filter(has_not_text=not_by).first.locator(
        ".proposal-title a").click()
    expect(page.locator("form.comment-form")).to_be_visible()
    return page.url


def post_comment(page: Page, language: str, text: str) -> None:
    w = words(language)
    page.get_by_label(w("Your comment"), exact=True).fill(text)
    page.get_by_role("button", name=w("Post comment"), exact=True).click()


# -- 1. A week's block, lifted early ----------------------------------------------------------

@LANGUAGES
def test_a_moderator_blocks_the_author_of_a_reported_comment_then_lifts_the_block(
    pages, language
):
    w = words(language)
    token = unique(language)
    who = BLOCKED[language]
    name = DISPLAY_NAMES[who]
    insult = f"Whoever wrote this proposal is an idiot ({token})."
    abuse = w("Insults, harassment or hate")

    # The person insults a proposer under a proposal open for comment.
    person = pages.open(language, who=who)
    proposal_url = open_a_proposal(person, name)
    post_comment(person, language, insult)
    expect_flash(person, w("Your comment is posted."))
    comment_id = person.locator("article.comment").filter(has_text=insult).get_attribute("id")

    # Someone reports it as an insult.
    reporter = pages.open(language, who=REPORTER)
    reporter.goto(proposal_url)
    reporter.locator(f"#{comment_id}").get_by_role("link", name=w("Report"), exact=True).click()
    reporter.get_by_role("group", name=w("What is wrong with it?")).get_by_role(
        "radio", name=abuse, exact=True).check()
    reporter.get_by_role("button", name=w("Send the report"), exact=True).click()
    expect_flash(reporter, w("Thank you: a moderator will look at it."))

    # The moderator opens the author's page from the queue and blocks them for a week.
    moderator = pages.open(language, who="moderator")
    moderator.goto("/")
    moderator.get_by_role("banner").get_by_role("link", name=w("Moderation"), exact=True).click()
    case = moderator.locator(".moderation-case").filter(has_text=insult)
    case.get_by_role("link", name=re.compile("^" + re.escape(w("Block the author")))).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text(w("Block an account"))
    assert definitions(moderator, "dl.facts")[w("Name")] == name
    assert_accessible(moderator, f"{language}: the page that blocks an account")
    moderator.get_by_label(w("Reason"), exact=True).select_option(label=abuse)
    moderator.get_by_label(w("Number of days"), exact=True).fill("7")
    moderator.get_by_role("button", name=w("Block this account"), exact=True).click()
    in_force = definitions(moderator, "h2 + dl.facts")
    until = in_force[w("Blocked until")]
    assert in_force[w("Reason")] == abuse
    expect_flash(moderator, w("%(name)s is blocked until %(date)s.", name=name, date=until))

    # The person, still on the proposal page, tries to comment again: the site says why not,
    # and until when.
    post_comment(person, language, f"And I say it again ({token}).")
    expect(person.get_by_role("heading", level=1)).to_have_text(w("Your account is blocked"))
    assert definitions(person, "#main dl.facts") == {
        w("Blocked until"): until, w("Reason"): abuse,
    }
    assert_accessible(person, f"{language}: the page a blocked person gets")
    # Back on the proposal, the thread no longer offers the form, nor asks them to log in.
    person.goto(proposal_url)
    thread = person.locator("#comments")
    expect(thread.locator("form.comment-form")).to_have_count(0)
    expect(thread).not_to_contain_text(w("Log in to comment."))
    expect(thread.locator(".notice")).to_contain_text(
        w("Blocked until %(date)s.", date=until))
    expect(person.locator("section.actions")).not_to_contain_text(
        w("You are the author: supports come from other people."))

    # The moderator lifts the block from the list of blocks.
    moderator.get_by_role("link", name=w("Blocks"), exact=True).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text(w("Blocks"))
    assert_accessible(moderator, f"{language}: the list of blocks")
    row = moderator.get_by_role("row").filter(has_text=name)
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_text(w("In force"))
    expect(row).to_contain_text(abuse)
    row.get_by_role("button", name=w("Lift"), exact=True).click()
    expect_flash(moderator, w("The block on %(name)s is lifted.", name=name))
    history = moderator.get_by_role("table", name=w("Blocks of this account"), exact=True)
    expect(history.locator(".badge")).to_have_text([w("Lifted")])

    # The person takes part again.
    person.reload()
    post_comment(person, language, f"I take it back: sorry ({token}).")
    expect_flash(person, w("Your comment is posted."))


# -- 2. One's data, downloaded; one's account, deleted -----------------------------------------

@LANGUAGES
def test_a_person_downloads_their_data_then_deletes_their_account(pages, language):
    w = words(language)
    token = unique(language)
    who = ERASED[language]
    name = DISPLAY_NAMES[who]
    comment = f"Give every village a dust sensor ({token})."

    person = pages.open(language, who=who)
    proposal_url = open_a_proposal(person, name)
    post_comment(person, language, comment)
    expect_flash(person, w("Your comment is posted."))

    # From the account page to their data, downloaded as one JSON file.
    person.get_by_role("banner").get_by_role("link", name=name, exact=True).click()
    person.get_by_role("link", name=w("Your data and deleting your account"),
                       exact=True).click()
    expect(person.get_by_role("heading", level=1)).to_have_text(w("Your data"))
    assert_accessible(person, f"{language}: the page of one's data")
    with person.expect_download() as download:
        person.get_by_role("link", name=w("Download my data (JSON)"), exact=True).click()
    assert download.value.suggested_filename.endswith(".json")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    account = data["account"]
    assert (account["email"], account["display_name"]) == (demo_email(who), name)
    assert comment in [each["body"] for each in data["comments"]]
    former = w("Former participant #%(number)d", number=account["id"])

    # They delete the account, first forgetting the box.
    person.get_by_role("link", name=w("Delete my account"), exact=True).click()
    expect(person.get_by_role("heading", level=1)).to_have_text(w("Delete your account"))
    expect(person.locator("#main")).to_contain_text(former)
    assert_accessible(person, f"{language}: the page that deletes an account")
    password = person.get_by_label(w("Your password"), exact=True)
    password.fill(DEMO_PASSWORD)
    delete = person.get_by_role("button", name=w("Delete my account"), exact=True)
    delete.click()
    expect(person.locator("#main")).to_contain_text(
        w("Tick the box to confirm that you want to delete your account."))
    assert_accessible(person, f"{language}: the deletion refused without the box")
    person.get_by_label(w("Your password"), exact=True).fill(DEMO_PASSWORD)
    person.get_by_label(w("I understand that my account and my personal data are deleted for "
                          "good"), exact=True).check()
    delete.click()
    expect_flash(person, w("Your account has been deleted. What you contributed stays on the "
                           "site under the name “%(name)s”.", name=former))
    banner = person.get_by_role("banner")
    expect(banner.get_by_role("link", name=w("Log in"), exact=True)).to_be_visible()
    expect(banner).not_to_contain_text(name)

    # Their comment stays, under the pseudonym.
    person.goto(proposal_url)
    kept = person.locator("article.comment").filter(has_text=comment)
    expect(kept.locator(".meta strong")).to_have_text(former)
    expect(person.locator("#comments")).not_to_contain_text(name)

    # The old address no longer logs in: the same message as any wrong password.
    person.goto("/login")
    person.get_by_label(w("E-mail address"), exact=True).fill(demo_email(who))
    person.get_by_label(w("Password"), exact=True).fill(DEMO_PASSWORD)
    person.locator("#main form button[type=submit]").click()
    expect(person.get_by_role("alert")).to_contain_text(
        w("The e-mail address or the password is not right."))
    assert "/login" in person.url


# -- 3. Moderation in figures, and the privacy notice, from the footer -------------------------

@LANGUAGES
def test_a_visitor_reads_the_moderation_figures_and_the_privacy_notice_from_the_footer(
    pages, language
):
    w = words(language)
    visitor = pages.open(language)
    visitor.goto("/")
    visitor.get_by_role("contentinfo").get_by_role("link", name=w("Moderation"),
                                                   exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(w("Moderation"))
    assert_accessible(visitor, f"{language}: the public moderation page")

    # The counts: the demo's advert, hidden as spam, is among them.
    figures = visitor.get_by_role("table", name=w("In figures"), exact=True)
    hidden = figures.get_by_role("row").filter(has=visitor.get_by_role(
        "rowheader", name=w("Contributions hidden"), exact=True))
    assert number_in(hidden.get_by_role("cell").last.inner_text()) >= 1  # since the start
    by_reason = visitor.get_by_role("table", name=w("By reason"), exact=True)
    spam = by_reason.get_by_role("row").filter(has=visitor.get_by_role(
        "rowheader", name=w("Spam or advertising"), exact=True)).get_by_role("cell")
    assert number_in(spam.nth(0).inner_text()) >= len(SPAM_REPORTS)  # reports received
    assert number_in(spam.nth(1).inner_text()) >= 1  # contributions hidden
    # Every reason, with what it means.
    reasons = [w(reason) for reason in REASONS]
    expect(by_reason.get_by_role("rowheader")).to_have_text(reasons)
    meanings = definitions(visitor, "#how ~ dl.facts")
    assert list(meanings) == reasons and all(meanings.values())

    # Never who reported, what they wrote to the moderators, nor the hidden text.
    main = visitor.locator("#main")
    for reporter in DEMO_REPORTERS:
        expect(main).not_to_contain_text(DISPLAY_NAMES[reporter])
    for report in SPAM_REPORTS:
        if report.note:
            expect(main).not_to_contain_text(report.note)
    expect(main).not_to_contain_text(SPAM_COMMENT)
    expect(main.locator(".moderators")).to_contain_text(DISPLAY_NAMES["moderator"])

    # The privacy notice, in the version in force.
    visitor.get_by_role("contentinfo").get_by_role("link", name=w("Privacy"),
                                                   exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(w("Privacy notice"))
    version = visitor.get_by_role("list", name=w("Every version"), exact=True).locator(
        f"a[href='/privacy/{current_notice_version()}']")
    expect(version).to_have_attribute("aria-current", "page")
    expect(visitor.locator("#main > p.meta").first).to_have_text(
        w("Version of %(date)s, in force.", date=version.inner_text()))
    expect(visitor.locator("#main .prose h2").first).to_be_visible()
    assert_accessible(visitor, f"{language}: the privacy notice")
