"""Meaningful participation in a real browser, in Thai and in English: a consent ballot that a
seat blocks, an official answer given on time, volunteers filling a task and its waiting list,
a disputed progress report answered by the lead agency, and a checkpoint of the log that a
visitor downloads and checks."""

from __future__ import annotations

import base64
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from playwright.sync_api import Locator, Page, expect

from participation.demo.content import COMMITMENT_TITLE
from tests.browser.audit import axe_violations, describe, horizontal_overflow
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.journeys import (
    DISPLAY_NAMES,
    Words,
    definitions,
    expect_flash,
    number_in,
    organisation_name,
    propose,
    unique,
    vote,
    words,
)

LANGUAGES = pytest.mark.parametrize("language", ["th", "en"])
PROPOSER = "member.provincial"
AGENCY_CONTACT = "agency.environment"  # the contact of the demo commitment's lead agency
BLOCKER = "member.private"  # the private-sector seat (Lampang Chamber of Commerce)
TITLES = {
    "th": "ห้ามเผาเศษวัสดุการเกษตรทุกอำเภอตลอดฤดูฝุ่น (ภาษาไทย {token})",
    "en": "Ban burning crop residue in every district all dust season (English {token})",
}


def phrase(w: Words, message: str) -> re.Pattern:
    """The translated message with each of its placeholders standing for any text."""
    return re.compile(re.sub(r"%\\\(\w+\\\)[sd]", ".+", re.escape(w(message))))


def sector_table(page: Page, name: str) -> dict[str, list[str]]:
    """A table of counts by sector as the reader sees it: each row's heading and its numbers."""
    table = page.get_by_role("table", name=name, exact=True)
    expect(table).to_be_visible()
    return table.evaluate(
        """(table) => Object.fromEntries([...table.querySelectorAll('tr')]
            .filter((row) => row.querySelector('th[scope=row]'))
            .map((row) => [row.querySelector('th').innerText.trim(),
                           [...row.querySelectorAll('td')].map((cell) => cell.innerText.trim())]))"""
    )


def expect_field_error(page: Page, field: Locator, message: str) -> None:
    """The error is shown beside the field and tied to it for screen readers."""
    error = page.locator(".field").filter(has=field).locator(".error")
    expect(error).to_be_visible()
    expect(error).to_have_text(message)
    expect(field).to_have_attribute("aria-invalid", "true")
    assert error.get_attribute("id") in (field.get_attribute("aria-describedby") or "").split()
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))


def assert_accessible(page: Page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{what}:\n{describe(violations)}"


# -- a. A consent ballot that a seat blocks ---------------------------------------------------

def open_consent_ballot(page: Page, language: str, *, proposal_url: str, title: str) -> None:
    """The secretary puts the proposal under consideration and opens a consent ballot on it:
    every vote needs a reason, and at least one civil-society seat must vote."""
    w = words(language)
    page.goto(proposal_url)
    page.get_by_role("button", name=w("Put under consideration"), exact=True).click()
    expect_flash(page, w("The proposal is now under consideration by the working group."))
    page.get_by_role("link", name=w("Open a ballot"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Open a ballot"))
    assert_accessible(page, f"{language}: the form that opens a ballot")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0, "the form that opens a ballot scrolls sideways"
    assert_accessible(page, f"{language}: the form that opens a ballot, on a phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_label(w("Quorum (votes needed, abstentions included)"), exact=True).fill("3")
    page.get_by_role("group", name=w("Choices on the ballot"), exact=True).get_by_role(
        "radio", name=w("Consent: agree / abstain / disagree / block"), exact=True
    ).check()
    page.get_by_role("group", name=w("Reasons"), exact=True).get_by_role(
        "radio", name=w("Every vote needs a reason"), exact=True
    ).check()
    page.get_by_role("group", name=w("Minimum votes per sector (optional)"), exact=True
                     ).get_by_label(w("Civil society"), exact=True).fill("1")
    page.get_by_role("button", name=w("Open the ballot"), exact=True).click()
    expect_flash(page, w("The ballot is open. Voting members can now vote."))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        w("Ballot on %(title)s", title=title)
    )
    options = page.locator("ul.ballot-options")
    expect(options).to_contain_text(w("Consent: agree / abstain / disagree / block"))
    expect(options).to_contain_text(w("Every vote needs a reason"))
    expect(options).to_contain_text(w("A block always needs a written reason."))


@LANGUAGES
def test_a_seat_blocks_a_consent_ballot_and_the_decision_shows_its_reason_and_the_sectors(
    pages, language
):
    w = words(language)
    token = unique(language)
    title = TITLES[language].format(token=token)
    block_reason = f"Small farms need a season to change; offer balers first ({token})."
    resolution = f"The group asks the proposer to add support for small farms ({token})."
    proposal_url = propose(pages.open(language, who=PROPOSER), language, title=title,
                           body="No burning of crop residue from January to April.")
    secretary = pages.open(language, who="secretary")
    open_consent_ballot(secretary, language, proposal_url=proposal_url, title=title)

    # Two members agree, each with the reason the ballot asks for.
    vote(pages.open(language, who="member.agriculture"), language, proposal_url=proposal_url,
         choice="Agree", reason=f"Farmers were consulted ({token}).")
    vote(pages.open(language, who="member.civil-society"), language, proposal_url=proposal_url,
         choice="Agree", reason=f"Villages asked for it ({token}).")

    # The private-sector member blocks, first forgetting the reason.
    blocker = pages.open(language, who=BLOCKER)
    blocker.goto(proposal_url)
    panel = blocker.locator(".ballot-panel")
    panel.get_by_role("group", name=w("Your vote"), exact=True).get_by_role(
        "radio", name=w("Block"), exact=True
    ).check()
    panel.get_by_role("button", name=w("Cast my vote"), exact=True).click()
    # The ballot page shows the vote form again, the error beside the reason.
    reason = blocker.get_by_label(w("Reason"), exact=True)
    expect_field_error(blocker, reason,
                       w("A block needs a written reason: say what would have to change."))
    expect(blocker.locator("#main")).not_to_contain_text(w("Your seat's vote:"))
    vote(blocker, language, proposal_url=proposal_url, choice="Block", reason=block_reason)

    # The secretary closes the ballot with the resolution: a single block rejects it.
    secretary.goto(proposal_url)
    secretary.locator(".ballot-panel").get_by_role(
        "link", name=w("Close with a resolution text"), exact=True
    ).click()
    secretary.get_by_label(w("Resolution (optional)"), exact=True).fill(resolution)
    secretary.get_by_role(
        "button", name=w("Close the ballot and record the decision"), exact=True
    ).click()
    expect_flash(secretary, w("The ballot is closed. Result: %(result)s.", result=w("Rejected")))
    expect(secretary.get_by_role("heading", level=1)).to_have_text(
        w("Decision on %(title)s", title=title)
    )
    decision_url = secretary.url

    # A visitor reads the decision: the block comes first, with its seat and reason.
    visitor = pages.open(language)
    visitor.goto(decision_url)
    expect(visitor.locator("main .meta .badge")).to_have_text(w("Rejected"))
    blocks = visitor.get_by_role("region", name=w.n(
        "%(num)d seat blocked this proposal", "%(num)d seats blocked this proposal", 1
    ), exact=True)
    expect(blocks).to_be_visible()
    expect(visitor.locator("main h2").first).to_have_text(w.n(
        "%(num)d seat blocked this proposal", "%(num)d seats blocked this proposal", 1
    ))
    expect(blocks.locator("li")).to_have_count(1)
    expect(blocks.locator("li")).to_contain_text(organisation_name("chamber", language))
    expect(blocks.locator(".block-reason")).to_have_text(block_reason)
    expect(visitor.locator(".prose")).to_have_text(resolution)

    tally = definitions(visitor, "dl.tally")
    assert {key: tally[w(key)] for key in ("Agree", "Abstain", "Disagree", "Block", "Quorum")} \
        == {"Agree": "2", "Abstain": "0", "Disagree": "0", "Block": "1", "Quorum": "3"}
    by_sector = sector_table(visitor, w("Votes by sector"))
    # Columns: agree, abstain, disagree, block.
    assert by_sector[w("Government")] == ["1", "0", "0", "0"]
    assert by_sector[w("Civil society")] == ["1", "0", "0", "0"]
    assert by_sector[w("Private sector")] == ["0", "0", "0", "1"]
    assert by_sector[w("All sectors")] == ["2", "0", "0", "1"]
    expect(visitor.locator(".ballot-rule")).to_contain_text(w.n(
        "At least %(num)d seat of the sector %(sector)s must vote.",
        "At least %(num)d seats of the sector %(sector)s must vote.", 1,
        sector=w("Civil society"),
    ))
    blocked_row = visitor.get_by_role("row").filter(has_text=DISPLAY_NAMES[BLOCKER])
    expect(blocked_row.locator(".badge")).to_have_text(w("Block"))
    expect(blocked_row.locator(".vote-reason")).to_have_text(block_reason)

    # The proposal page points to the block and shows the votes by sector too.
    visitor.get_by_role("link", name=w("Read the proposal"), exact=True).click()
    expect(visitor.locator(".ballot-panel .blocks-note")).to_contain_text(w.n(
        "%(num)d seat blocked this proposal.", "%(num)d seats blocked this proposal.", 1
    ))
    assert sector_table(visitor, w("Votes by sector"))[w("Private sector")] == [
        "0", "0", "0", "1"
    ]


# -- b. An official answer given on time ------------------------------------------------------

def responsiveness(page: Page, agency: str) -> tuple[dict[str, int], list[int | None]]:
    """The headline figures of a responsiveness page, and the numbers in one agency's row:
    with a deadline, answered, on time, median days, overdue now, waiting."""
    figures = {term: number_in(value) for term, value in definitions(
        page, "dl.answer-figures").items() if re.search(r"\d", value)}
    row = page.locator(".agency-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=agency, exact=True))
    expect(row).to_have_count(1)
    return figures, [number_in(cell) if re.search(r"\d", cell) else None
                     for cell in row.get_by_role("cell").all_inner_texts()]


@LANGUAGES
def test_the_lead_agency_answers_a_proposal_on_time_and_the_group_counts_it(pages, language):
    w = words(language)
    token = unique(language)
    title = TITLES[language].format(token=f"answer {token}")
    answer_text = f"We accept it and will report in the next meeting ({token})."
    agency = organisation_name("environment", language)
    proposal_url = propose(pages.open(language, who=PROPOSER), language, title=title,
                           body="A proposal that the environment office should answer.")

    # The proposal waits for its answer, from the secretariat until an agency is named.
    secretary = pages.open(language, who="secretary")
    secretary.goto(proposal_url)
    answer = secretary.locator("#answer")
    assert definitions(secretary, "#answer dl.facts")[w("Responsible for the answer")] == w(
        "The secretariat of the working group")
    expect(answer.locator(".waiting")).to_have_text(w.n(
        "Waiting for an answer: %(num)d day", "Waiting for an answer: %(num)d days", 0))
    answer.get_by_label(w("Responsible agency"), exact=True).select_option(label=agency)
    answer.get_by_role("button", name=w("Save the responsible agency"), exact=True).click()
    expect_flash(secretary, w("%(agency)s is now responsible for answering this proposal.",
                              agency=agency))
    assert definitions(secretary, "#answer dl.facts")[w("Responsible for the answer")] == agency

    # What the group's responsiveness page counts before the answer.
    visitor = pages.open(language)
    visitor.goto(proposal_url)
    visitor.get_by_role("link", name=w("How responsive is this working group?"),
                        exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(w("Responsiveness"))
    before, agency_before = responsiveness(visitor, agency)

    # The agency's contact first sends an empty answer, then answers.
    contact = pages.open(language, who=AGENCY_CONTACT)
    contact.goto(proposal_url)
    form = contact.locator("form.answer-form")
    form.get_by_role("button", name=w("Publish the answer"), exact=True).click()
    expect(contact.get_by_role("alert").first).to_contain_text(
        w("Please correct the errors below."))
    expect_field_error(contact, contact.get_by_label(w("Text of the answer"), exact=True),
                       w("Write the answer."))
    expect(contact.locator("form.answer-form")).to_contain_text(w("Choose what the answer is."))
    form = contact.locator("form.answer-form")
    form.get_by_role("radio", name=w("Accepted for consideration"), exact=True).check()
    form.get_by_label(w("Text of the answer"), exact=True).fill(answer_text)
    form.get_by_role("button", name=w("Publish the answer"), exact=True).click()
    expect_flash(contact, w("The official answer is published."))

    # Everyone sees the answer, on time, and who gave it for which agency.
    visitor.goto(proposal_url)
    answer = visitor.locator("#answer")
    expect(answer.locator(".badge").first).to_have_text(w("Accepted for consideration"))
    expect(answer.locator(".badge-on_time")).to_have_text(w("On time"))
    expect(answer.locator(".prose")).to_have_text(answer_text)
    expect(answer).to_contain_text(phrase(w, "Answered by %(name)s for %(agency)s on %(day)s."))
    expect(answer).to_contain_text(agency)
    expect(answer.locator(".waiting, .overdue")).to_have_count(0)

    # The responsiveness page counts one more answer, on time, for that agency.
    answer.get_by_role("link", name=w("How responsive is this working group?"),
                       exact=True).click()
    after, agency_after = responsiveness(visitor, agency)
    for term, change in (("Proposals with an answer deadline", 0), ("Answered", 1),
                         ("Answered on time", 1), ("Waiting, not yet due", -1)):
        assert after[w(term)] == before[w(term)] + change, term
    deadline, answered, on_time, _median, overdue, waiting = agency_after
    assert (deadline, answered, on_time, overdue, waiting) == (
        agency_before[0], agency_before[1] + 1, agency_before[2] + 1, agency_before[4],
        agency_before[5] - 1,
    )

    # The agency's own page counts it too.
    visitor.get_by_role("link", name=agency, exact=True).click()
    expect(visitor.locator("p.lead")).to_have_text(agency)
    agency_figures = {term: number_in(value) for term, value in definitions(
        visitor, "dl.answer-figures").items() if re.search(r"\d", value)}
    assert agency_figures[w("Answered on time")] == on_time


# -- c. Volunteers fill a task and its waiting list -------------------------------------------

def task_facts(page: Page, language: str) -> tuple[str, str]:
    w = words(language)
    facts = definitions(page, "dl.facts")
    return facts[w("Places")], facts[w("Waiting list")]


def expect_task(page: Page, language: str, *, left: int, waiting: int) -> None:
    w = words(language)
    assert task_facts(page, language) == (
        w.n("%(num)d of %(total)d place left", "%(num)d of %(total)d places left", left,
            total=2),
        w.n("%(num)d person waiting", "%(num)d people waiting", waiting),
    )


def find_task(page: Page, language: str, title: str) -> None:
    """From the list of volunteer tasks in the main menu to the task's page."""
    w = words(language)
    page.goto("/")
    page.get_by_role("navigation", name=w("Main")).get_by_role(
        "link", name=w("Volunteer tasks"), exact=True
    ).click()
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


@LANGUAGES
def test_volunteers_fill_a_task_and_the_waiting_list_moves_up_when_one_withdraws(
    pages, language
):
    w = words(language)
    token = unique(language)
    title = {"th": f"เวรเฝ้าระวังไฟป่าดอยพระบาท ({token})",
             "en": f"Fire-watch shift on Doi Phra Bat ({token})"}[language]
    day = date.today() + timedelta(days={"th": 40, "en": 41}[language])

    # The lead agency offers a task with two places on its commitment.
    organiser = pages.open(language, who=AGENCY_CONTACT)
    organiser.goto("/commitments")
    organiser.get_by_role("link", name=COMMITMENT_TITLE, exact=True).click()
    organiser.get_by_role("link", name=w("Offer a volunteer task"), exact=True).click()
    organiser.get_by_label(w("Title"), exact=True).fill(title)
    organiser.get_by_label(w("Description"), exact=True).fill("Bring water and long sleeves.")
    organiser.get_by_label(w("Place"), exact=True).fill("Doi Phra Bat lookout, Mueang Lampang")
    organiser.get_by_label(w("Starts at"), exact=True).fill(f"{day.isoformat()}T06:00")
    organiser.get_by_label(w("Ends at"), exact=True).fill(f"{day.isoformat()}T12:00")
    organiser.get_by_label(w("Number of places"), exact=True).fill("2")
    organiser.get_by_role("button", name=w("Offer the task"), exact=True).click()
    expect_flash(organiser, w("The volunteer task is offered. People can now sign up."))
    expect_task(organiser, language, left=2, waiting=0)

    # The first citizen signs up: one place left.
    first = pages.open(language, who="citizen1")
    find_task(first, language, title)
    expect(first.locator("#main")).to_contain_text(w("A place is free for you."))
    first.get_by_role("button", name=w("Sign up"), exact=True).click()
    expect_flash(first, w("You are signed up. Thank you for volunteering!"))
    expect(first.get_by_role("region", name=w("Your place"))).to_contain_text(
        w("You are signed up."))
    expect_task(first, language, left=1, waiting=0)

    # The second fills the last place.
    second = pages.open(language, who="citizen2")
    find_task(second, language, title)
    second.get_by_role("button", name=w("Sign up"), exact=True).click()
    expect_flash(second, w("You are signed up. Thank you for volunteering!"))
    expect_task(second, language, left=0, waiting=0)

    # The third finds it full and joins the waiting list.
    third = pages.open(language, who="citizen3")
    find_task(third, language, title)
    expect(third.locator("#main")).to_contain_text(
        w("All places are taken; you can join the waiting list."))
    third.get_by_role("button", name=w("Join the waiting list"), exact=True).click()
    expect_flash(third, w("All places are taken, so you are on the waiting list. You will move "
                          "up automatically when a place becomes free."))
    expect(third.get_by_role("region", name=w("Your place"))).to_contain_text(
        w("You are on the waiting list, position %(position)d.", position=1))
    expect_task(third, language, left=0, waiting=1)

    # The first withdraws: the waiting person takes the place.
    first.reload()
    expect_task(first, language, left=0, waiting=1)
    first.get_by_role("button", name=w("Withdraw"), exact=True).click()
    expect_flash(first, w("You have withdrawn from this task. You can sign up again while it "
                          "has not started."))
    expect_task(first, language, left=0, waiting=0)
    expect(first.get_by_role("button", name=w("Join the waiting list"), exact=True)
           ).to_be_visible()

    third.reload()
    expect(third.get_by_role("region", name=w("Your place"))).to_contain_text(
        w("You are signed up."))
    expect(third.get_by_role("button", name=w("Withdraw"), exact=True)).to_be_visible()

    # The organiser sees who; the public sees only how many.
    organiser.reload()
    signed_up = organiser.locator("ol[aria-labelledby=signed-up] li")
    expect(signed_up).to_have_text([DISPLAY_NAMES["citizen2"],
                                     DISPLAY_NAMES["citizen3"]])
    expect(organiser.locator("ol[aria-labelledby=waiting]")).to_have_count(0)
    expect(organiser.locator("#main")).to_contain_text(w("Nobody is waiting."))

    visitor = pages.open(language)
    find_task(visitor, language, title)
    expect_task(visitor, language, left=0, waiting=0)
    for who in ("citizen1", "citizen2", "citizen3"):
        expect(visitor.locator("#main")).not_to_contain_text(
            DISPLAY_NAMES[who])
    expect(visitor.get_by_role("link", name=w("Log in to sign up"), exact=True)).to_be_visible()


# -- d. A disputed progress report, answered -------------------------------------------------

def report(page: Page, note: str) -> Locator:
    """The progress report with this note on the commitment page."""
    return page.locator("ol.timeline > li").filter(has_text=note)


@LANGUAGES
def test_a_citizen_disputes_a_progress_report_and_the_lead_agency_answers(pages, language):
    w = words(language)
    token = unique(language)
    note = f"Hotspot files for every district are published ({token})."
    comment = f"The Ngao district file is empty for March ({token})."
    evidence = f"https://example.org/ngao-march-{token}"
    answer_text = f"The March file was re-published with all days ({token})."
    agency_name = DISPLAY_NAMES[AGENCY_CONTACT]
    reviewer = "researcher"

    # The lead agency reports progress on its commitment.
    agency = pages.open(language, who=AGENCY_CONTACT)
    agency.goto("/commitments")
    agency.get_by_role("link", name=COMMITMENT_TITLE, exact=True).click()
    commitment_url = agency.url
    agency.get_by_role("link", name=w("Report progress"), exact=True).click()
    agency.get_by_label(w("Status"), exact=True).select_option(label=w("On track"))
    agency.get_by_label(w("What was done"), exact=True).fill(note)
    agency.get_by_role("button", name=w("Publish the progress report"), exact=True).click()
    expect_flash(agency, w("The progress report is published."))

    # A participant disputes it, with a comment and an evidence link.
    citizen = pages.open(language, who=reviewer)
    citizen.goto(commitment_url)
    update = report(citizen, note)
    update.get_by_text(w("Confirm or dispute this report"), exact=True).click()
    update.get_by_role("radio", name=w("Dispute: the report does not match what I know"),
                       exact=True).check()
    update.get_by_label(w("Comment"), exact=True).fill(comment)
    update.get_by_label(w("Evidence link (optional)"), exact=True).fill(evidence)
    update.get_by_role("button", name=w("Send the review"), exact=True).click()
    expect(citizen.get_by_role("status").filter(has_text=phrase(
        w, "Your dispute is recorded. The lead agency is asked to answer by %(date)s."
    ))).to_be_visible()
    update = report(citizen, note)
    dispute = update.locator(".review-list li").filter(has_text=comment)
    expect(dispute.locator(".badge")).to_have_text(w("Disputed"))
    expect(dispute.get_by_role("link", name=evidence, exact=True)).to_be_visible()
    expect(dispute.locator(".flag-open")).to_contain_text(phrase(
        w, "the lead agency is asked to answer by %(day)s."))
    expect(update.locator(".reviews .meta").first).to_contain_text(
        w.n("%(num)d disputed", "%(num)d disputed", 1))
    expect(citizen.locator(".flag-dispute")).to_be_visible()
    # A review is given once: the form is gone for this report.
    expect(update.locator("details.review-form")).to_have_count(0)

    # The lead agency answers the dispute on the commitment page.
    agency.goto(commitment_url)
    dispute = report(agency, note).locator(".review-list li").filter(has_text=comment)
    dispute.get_by_label(w("The lead agency's answer"), exact=True).fill(answer_text)
    dispute.get_by_role("button", name=w("Publish the answer"), exact=True).click()
    expect_flash(agency, w("Your answer to the dispute is published."))

    # Anyone sees the dispute answered, by whom, and no longer open.
    visitor = pages.open(language)
    visitor.goto(commitment_url)
    dispute = report(visitor, note).locator(".review-list li").filter(has_text=comment)
    answered = dispute.locator(".dispute-answered")
    expect(answered).to_contain_text(phrase(w, "Answered by %(name)s on %(day)s:"))
    expect(answered).to_contain_text(agency_name)
    expect(dispute.locator(".prose").last).to_have_text(answer_text)
    expect(dispute.locator(".flag-open, .flag-overdue")).to_have_count(0)
    expect(dispute.locator("form")).to_have_count(0)


# -- e. A checkpoint of the log, kept and checked ---------------------------------------------

@LANGUAGES
def test_a_visitor_downloads_a_signed_checkpoint_and_finds_its_key(pages, language):
    w = words(language)
    visitor = pages.open(language)
    visitor.goto("/")
    visitor.get_by_role("contentinfo").get_by_role(
        "link", name=w("Accountability log"), exact=True
    ).click()
    visitor.get_by_role("link", name=w("Signed checkpoints of the log, to keep and check later"),
                        exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(w("Log checkpoints"))

    row = visitor.locator("table.log tbody tr").first
    shown_entries = number_in(row.locator("td").nth(1).inner_text())
    shown_head = row.locator("code.hash").get_attribute("title")
    with visitor.expect_download() as download:
        row.get_by_role("link").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    checkpoint = json.loads(saved)
    assert {"entries", "head", "time", "public_key", "signature"} <= checkpoint.keys()
    assert checkpoint["entries"] == shown_entries > 0
    assert checkpoint["head"] == shown_head
    assert re.fullmatch(r"[0-9a-f]{64}", checkpoint["head"])
    # Anyone can check the signature with the public key: over the statement, canonical JSON.
    statement = json.dumps(
        {key: checkpoint[key] for key in ("format", "entries", "head", "time")},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    ).encode("utf-8")
    Ed25519PublicKey.from_public_bytes(base64.b64decode(checkpoint["public_key"])).verify(
        base64.b64decode(checkpoint["signature"]), statement
    )

    # The keys page lists the key that signed it as the current one.
    visitor.get_by_role("link", name=w("The signing key and how to check a checkpoint"),
                        exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(w("Signing keys"))
    current = visitor.get_by_role("region", name=w("The current public key"), exact=True)
    expect(current.locator("code.hash").filter(has_text=checkpoint["public_key"])
           ).to_have_count(1)
    used = visitor.locator("table.log tbody tr").filter(has_text=checkpoint["public_key"])
    expect(used).to_contain_text(w("(current key)"))
    expect(visitor.locator("#main")).to_contain_text("verify-log --checkpoint FILE")


# -- f. A comment reported, then hidden by the moderator (moderation lane A1) -----------------

@LANGUAGES
def test_a_participant_reports_an_advert_and_the_moderator_hides_it_as_spam(pages, language):
    w = words(language)
    token = unique(language)
    advert = f"Air purifiers at half price, today only ({token})"
    note = f"An advert, not an opinion ({token})"
    spam = w("Spam or advertising")
    proposal_url = propose(pages.open(language, who=PROPOSER), language,
                           title=TITLES[language].format(token=token),
                           body="No burning of crop residue from January to April.")

    # A shop posts an advert as a comment.
    shop = pages.open(language, who="business")
    shop.goto(proposal_url)
    shop.get_by_label(w("Your comment"), exact=True).fill(advert)
    shop.get_by_role("button", name=w("Post comment"), exact=True).click()
    expect_flash(shop, w("Your comment is posted."))
    comment_id = shop.locator("article.comment").filter(has_text=advert).get_attribute("id")
    expect(shop.locator(f"#{comment_id} .report-link")).to_have_count(0)  # not one's own

    # A citizen reports it from the thread, with a reason and a note for the moderators.
    citizen = pages.open(language, who="citizen3")
    citizen.goto(proposal_url)
    citizen.locator(f"#{comment_id}").get_by_role("link", name=w("Report"), exact=True).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(w("Report a comment"))
    expect(citizen.locator(".reported")).to_contain_text(advert)
    citizen.get_by_role("group", name=w("What is wrong with it?")).get_by_role(
        "radio", name=spam, exact=True).check()
    citizen.get_by_label(w("Anything the moderators should know (optional)")).fill(note)
    citizen.get_by_role("button", name=w("Send the report"), exact=True).click()
    expect_flash(citizen, w("Thank you: a moderator will look at it."))
    assert citizen.url.endswith(f"#{comment_id}")

    # The moderator finds it in the queue, from the header, and hides it as spam.
    moderator = pages.open(language, who="moderator")
    moderator.goto("/")
    moderator.get_by_role("banner").get_by_role("link", name=w("Moderation"), exact=True).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text(w("Moderation"))
    case = moderator.locator(".moderation-case").filter(has_text=advert)
    expect(case).to_contain_text(note)
    expect(case).not_to_contain_text(DISPLAY_NAMES["citizen3"])  # reporters are not named
    case.get_by_label(w("Reason shown to readers"), exact=True).select_option(label=spam)
    case.get_by_role("button", name=re.compile("^" + re.escape(w("Hide")))).click()
    expect_flash(moderator, w.n(
        "Hidden: readers now see the reason instead of the text; %(num)d report was closed.",
        "Hidden: readers now see the reason instead of the text; %(num)d reports were closed.",
        1))
    expect(moderator.locator(".moderation-case").filter(has_text=advert)).to_have_count(0)

    # Everyone reading the thread sees the reason instead of the advert.
    visitor = pages.open(language)
    visitor.goto(proposal_url)
    hidden = visitor.locator(f"#{comment_id}")
    expect(hidden).to_contain_text(w("Hidden by a moderator: %(reason)s", reason=spam))
    expect(hidden).not_to_contain_text(advert)
    assert_accessible(visitor, "a thread with a hidden comment")
