"""People take a measure from proposal to tracked commitment in a real browser, in Thai and in
English: by mouse, by keyboard alone, on a phone, without JavaScript, and past a form's
errors."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.audit import horizontal_overflow
from tests.browser.conftest import DEMO_PASSWORD, PHONE, demo_email
from tests.browser.journeys import (
    DISPLAY_NAMES,
    VOTING_SEATS,
    assert_focus_visible,
    comment_and_support,
    definitions,
    expect_flash,
    is_focused,
    log_head,
    number_in,
    open_ballot,
    organisation_name,
    propose,
    register,
    tab_to,
    unique,
    vote,
    words,
)

LANGUAGES = pytest.mark.parametrize("language", ["th", "en"])
PROPOSER = "member.provincial"
VOTERS = {"member.agriculture": "Yes", "member.environment": "Yes", "member.disaster": "No"}
AGENCY_CONTACT = "agency.environment"
TITLES = {
    "th": "ประกาศค่าฝุ่น PM2.5 รายวันทุกอำเภอ (ภาษาไทย {token})",
    "en": "Publish daily PM2.5 readings for every district (English {token})",
}


@LANGUAGES
def test_a_measure_goes_from_a_citizens_support_to_a_public_record_of_progress(pages, language):
    w = words(language)
    token = unique(language)
    title = TITLES[language].format(token=token)
    citizen_name = f"สมหญิง ทดสอบ {token}"
    comment = f"The readings should come before 8 a.m. ({token})"
    resolution = f"The working group adopts the measure ({token})."
    note = f"Sensors installed in four districts ({token})."
    lead_agency = organisation_name("environment", language)
    agency_name = DISPLAY_NAMES[AGENCY_CONTACT]

    # A citizen registers.
    citizen = pages.open(language)
    register(citizen, language, email=f"citizen-{token}@example.org", name=citizen_name,
             password="several unrelated words", confirmation_link=pages.confirmation_link)
    expect(citizen.locator("html")).to_have_attribute("lang", language)

    # A voting member proposes a measure and submits it for comment.
    member = pages.open(language, who=PROPOSER)
    proposal_url = propose(member, language, title=title,
                           body="Every district **publishes** its PM2.5 reading each morning.")

    # The citizen comments, taking a stance, and supports it.
    comment_and_support(citizen, language, proposal_url=proposal_url, comment=comment,
                        stance="For", author=citizen_name)

    # The secretary puts it under consideration and opens a ballot.
    secretary = pages.open(language, who="secretary")
    open_ballot(secretary, language, proposal_url=proposal_url, title=title, quorum=3)

    # Three members vote: two yes, one no.
    for voter, choice in VOTERS.items():
        vote(pages.open(language, who=voter), language, proposal_url=proposal_url,
             choice=choice)

    # The secretary sees the turnout, closes the ballot with the resolution text.
    secretary.goto(proposal_url)
    panel = secretary.locator(".ballot-panel")
    expect(panel).to_contain_text(w.n(
        "%(num)d of %(total)d voting members has voted.",
        "%(num)d of %(total)d voting members have voted.", 3, total=VOTING_SEATS,
    ))
    panel.get_by_role("link", name=w("Close with a resolution text"), exact=True).click()
    secretary.get_by_label(w("Resolution (optional)"), exact=True).fill(resolution)
    secretary.get_by_role(
        "button", name=w("Close the ballot and record the decision"), exact=True
    ).click()
    expect_flash(secretary, w("The ballot is closed. Result: %(result)s.", result=w("Adopted")))
    expect(secretary.get_by_role("heading", level=1)).to_have_text(
        w("Decision on %(title)s", title=title)
    )
    expect(secretary.locator(".prose")).to_have_text(resolution)

    # The secretariat creates the commitment, led by the environment office.
    secretary.get_by_role("link", name=w("Create the commitment"), exact=True).click()
    expect(secretary.get_by_label(w("Title"), exact=True)).to_have_value(title)
    secretary.get_by_label(w("What it commits to"), exact=True).fill(
        "Install a sensor and publish its reading in every district."
    )
    secretary.get_by_label(w("Lead agency"), exact=True).select_option(label=lead_agency)
    secretary.get_by_label(w("Due date"), exact=True).first.fill("2027-03-31")
    secretary.get_by_role("button", name=w("Create the commitment"), exact=True).click()
    expect_flash(secretary, w("The commitment is created."))
    commitment_url = secretary.url
    assert definitions(secretary, "dl.facts")[w("Lead agency")] == lead_agency

    # The lead agency's contact reports progress.
    agency = pages.open(language, who=AGENCY_CONTACT)
    agency.goto(commitment_url)
    agency.get_by_role("link", name=w("Report progress"), exact=True).click()
    agency.get_by_label(w("Completion level"), exact=True).select_option(label=w("Limited"))
    agency.get_by_label(w("Percent complete"), exact=True).fill("40")
    agency.get_by_label(w("Status"), exact=True).select_option(label=w("On track"))
    agency.get_by_label(w("What was done"), exact=True).fill(note)
    agency.get_by_label(w("Evidence links"), exact=True).fill("https://example.org/pm25")
    agency.get_by_role("button", name=w("Publish the progress report"), exact=True).click()
    expect_flash(agency, w("The progress report is published."))

    # A visitor reads the decision, the roll-call, the timeline and the log.
    visitor = pages.open(language)
    visitor.goto("/")
    home_log = visitor.get_by_role("region", name=w("Accountability log"))
    home_count = number_in(home_log.locator("p").first.inner_text())
    expect(home_log).to_contain_text(
        w.n("%(num)s entry, chained by SHA-256.", "%(num)s entries, chained by SHA-256.",
            home_count)
    )
    home_hash = home_log.locator("code.hash").get_attribute("title")

    visitor.get_by_role("navigation", name=w("Main")).get_by_role(
        "link", name=w("Decisions"), exact=True
    ).click()
    visitor.get_by_role("link", name=title, exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        w("Decision on %(title)s", title=title)
    )
    expect(visitor.locator("main .meta .badge")).to_have_text(w("Adopted"))
    expect(visitor.locator(".prose")).to_have_text(resolution)
    tally = definitions(visitor, "dl.tally")
    assert {key: tally[w(key)] for key in ("Yes", "No", "Abstain", "Quorum")} == {
        "Yes": "2", "No": "1", "Abstain": "0", "Quorum": "3",
    }
    assert tally[w("Turnout")].startswith(
        w("%(cast)d of %(eligible)d voting seats", cast=3, eligible=VOTING_SEATS)
    )
    expect(visitor.get_by_role("heading", name=w("Roll-call"))).to_be_visible()
    vote_cell = f"td[data-label='{w('Vote')}']"
    for voter, choice in VOTERS.items():
        row = visitor.get_by_role("row").filter(has_text=DISPLAY_NAMES[voter])
        expect(row.locator(vote_cell)).to_have_text(w(choice))
    proposer_row = visitor.get_by_role("row").filter(has_text=DISPLAY_NAMES[PROPOSER])
    expect(proposer_row.locator(vote_cell)).to_have_text(w("Did not vote"))

    visitor.get_by_role("link", name=title, exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    assert definitions(visitor, "dl.facts")[w("Lead agency")] == lead_agency
    update = visitor.locator("ol.timeline li").filter(has_text=note)
    expect(update).to_contain_text(w("On track"))
    expect(update).to_contain_text(w("Limited"))
    expect(update).to_contain_text(w("%(percent)s%% complete", percent=40))
    reported_by = w("Reported by %(name)s on %(moment)s", name=agency_name, moment="")
    expect(update).to_contain_text(reported_by.strip())
    expect(update.get_by_role("link", name="https://example.org/pm25")).to_be_visible()

    visitor.get_by_role("contentinfo").get_by_role(
        "link", name=w("Accountability log"), exact=True
    ).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(w("Accountability log"))
    # Newest first: each event of the story, and who did it.
    ours = visitor.locator("table.log tbody tr").filter(has_text=title)
    events = list(zip(ours.locator(".log-verb").all_inner_texts(),
                      ours.locator("td:nth-child(5)").all_inner_texts(), strict=True))
    proposer, secretariat = DISPLAY_NAMES[PROPOSER], DISPLAY_NAMES["secretary"]
    assert events == [
        (w("Progress posted"), agency_name),
        (w("Commitment created"), secretariat),
        (w("Resolution text recorded"), secretariat),
        (w("Decision recorded"), secretariat),
        (w("Ballot closed"), secretariat),
        (w("Proposal adopted"), secretariat),
        (w("Ballot opened"), secretariat),
        (w("Proposal put under consideration"), secretariat),
        (w("Proposal opened for comment"), proposer),
        (w("Proposal drafted"), proposer),
    ]
    stats = definitions(visitor, "dl.log-stats")
    log_count = number_in(stats[w("Entries")])
    log_hash = visitor.locator("dl.log-stats code.hash").inner_text()
    assert (log_count, log_hash) == (home_count, home_hash)

    visitor.locator("dl.log-stats").get_by_role("link", name="JSON").click()
    assert json.loads(visitor.locator("pre").first.inner_text()) == {
        "entries": log_count, "head": log_hash,
    }


@LANGUAGES
def test_a_member_logs_in_and_votes_with_the_keyboard_alone(pages, language):
    w = words(language)
    token = unique(language)
    title = TITLES[language].format(token=f"keyboard {token}")
    proposal_url = propose(pages.open(language, who=PROPOSER), language, title=title,
                           body="A proposal to vote on with the keyboard.")
    open_ballot(pages.open(language, who="secretary"), language, proposal_url=proposal_url,
                title=title, quorum=3)
    voter = "member.gistda"

    page = pages.open(language)
    page.goto(proposal_url)
    keyboard = page.keyboard

    # The first Tab stop is the skip link; it takes focus to the main content.
    skip = page.get_by_role("link", name=w("Skip to content"), exact=True)
    keyboard.press("Tab")
    assert is_focused(skip)
    assert_focus_visible(page)
    expect(skip).to_be_in_viewport()
    keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    tab_to(page, page.get_by_role("link", name=w("Log in to support this proposal."),
                                  exact=True))
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Log in"))
    tab_to(page, page.get_by_label(w("E-mail address"), exact=True))
    keyboard.type(demo_email(voter))
    tab_to(page, page.get_by_label(w("Password"), exact=True))
    keyboard.type(DEMO_PASSWORD)
    tab_to(page, page.get_by_role("button", name=w("Log in"), exact=True))
    keyboard.press("Enter")
    expect_flash(page, w("Welcome, %(name)s.", name=DISPLAY_NAMES[voter]))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # From the proposal page to the ballot page, then the vote: arrow keys choose.
    tab_to(page, page.get_by_role("link", name=w("Ballot page"), exact=True))
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        w("Ballot on %(title)s", title=title)
    )
    options = page.get_by_role("group", name=w("Your vote"), exact=True)
    tab_to(page, options.get_by_role("radio", name=w("Yes"), exact=True))
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")
    assert_focus_visible(page)
    expect(options.get_by_role("radio", name=w("Abstain"), exact=True)).to_be_checked()
    tab_to(page, page.get_by_role("button", name=w("Cast my vote"), exact=True))
    keyboard.press("Enter")
    expect_flash(page, w(
        "Your vote is recorded: %(choice)s. You can change it until voting closes.",
        choice=w("Abstain"),
    ))
    seat_vote = w("Your seat's vote:")
    expect(page.get_by_role("main")).to_contain_text(f"{seat_vote} {w('Abstain')}")


@LANGUAGES
def test_comments_supports_and_votes_work_without_javascript(pages, language):
    w = words(language)
    token = unique(language)
    title = TITLES[language].format(token=f"no script {token}")
    proposal_url = propose(pages.open(language, who=PROPOSER, javascript=False), language,
                           title=title, body="A proposal for browsers without JavaScript.")
    open_ballot(pages.open(language, who="secretary", javascript=False), language,
                proposal_url=proposal_url, title=title, quorum=3)

    citizen = pages.open(language, who="citizen2", javascript=False)
    comment_and_support(citizen, language, proposal_url=proposal_url,
                        comment=f"Please include Ngao district ({token}).", stance="Against",
                        author=DISPLAY_NAMES["citizen2"])
    vote(pages.open(language, who="member.agriculture", javascript=False), language,
         proposal_url=proposal_url, choice="Yes")

    citizen.reload()
    expect(citizen.locator(".ballot-panel")).to_contain_text(w.n(
        "%(num)d of %(total)d voting members has voted.",
        "%(num)d of %(total)d voting members have voted.", 1, total=VOTING_SEATS,
    ))


@LANGUAGES
def test_an_empty_proposal_shows_translated_errors_tied_to_their_fields(pages, language):
    w = words(language)
    page = pages.open(language, who=PROPOSER)
    before = log_head(page)
    page.goto("/proposals")
    page.get_by_role("link", name=w("Make a proposal"), exact=True).click()
    page.get_by_role("button", name=w("Submit for comment"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(w("Make a proposal"))
    expect(page.get_by_role("alert")).to_contain_text(w("Please correct the errors below."))
    required = w("This field is required.")
    for label in ("Title", "Proposal"):
        field = page.get_by_label(w(label), exact=True)
        error = page.locator(".field").filter(has=field).locator(".error")
        expect(error).to_be_visible()
        expect(error).to_have_text(required)
        expect(field).to_have_attribute("aria-invalid", "true")
        assert error.get_attribute("id") in field.get_attribute("aria-describedby").split()
        expect(field).to_have_accessible_description(re.compile(re.escape(required)))
    assert log_head(page) == before, "the empty form created something"


@LANGUAGES
def test_a_citizen_on_a_phone_finds_a_proposal_through_the_menu_and_supports_it(pages, language):
    w = words(language)
    title = TITLES[language].format(token=f"phone {unique(language)}")
    propose(pages.open(language, who=PROPOSER), language, title=title,
            body="A proposal read and supported on a phone.")

    phone = pages.open(language, viewport=PHONE)
    phone.goto("/")
    main_nav = phone.get_by_role("navigation", name=w("Main"))
    expect(main_nav).to_be_hidden()  # folded into the menu on a small screen
    phone.get_by_text(w("Menu"), exact=True).click()
    main_nav.get_by_role("link", name=w("Proposals"), exact=True).click()
    phone.get_by_role("link", name=title, exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    assert horizontal_overflow(phone) == 0

    phone.get_by_role("link", name=w("Log in to support this proposal."), exact=True).click()
    phone.get_by_label(w("E-mail address"), exact=True).fill(demo_email("citizen3"))
    phone.get_by_label(w("Password"), exact=True).fill(DEMO_PASSWORD)
    phone.get_by_role("button", name=w("Log in"), exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    phone.get_by_role("button", name=w("Support this proposal"), exact=True).click()
    expect_flash(phone, w("Thank you: your support is counted."))
    expect(phone.locator("section.actions")).to_contain_text(w("You support this proposal."))
    assert horizontal_overflow(phone) == 0
