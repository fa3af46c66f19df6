"""Meetings, notifications and search in a real browser, in Thai and in English: the secretary
runs a meeting from its schedule to its published minutes, which print as a Thai meeting
report; a follower hears of a new comment; a Thai word is found inside a compound; and the
unsubscribe link of an e-mail stops the e-mails."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import Locator, Page, expect

from participation.config import DEFAULTS
from participation.core.models import utcnow
from participation.meetings.models import Meeting
from tests.browser.conftest import demo_email, unsubscribe_path
from tests.browser.journeys import (
    DISPLAY_NAMES,
    Words,
    expect_flash,
    number_in,
    organisation_name,
    propose,
    unique,
    words,
)

LANGUAGES = pytest.mark.parametrize("language", ["th", "en"])
SITE_ZONE = ZoneInfo(DEFAULTS["TIMEZONE"])  # the zone in which meeting times are typed
PROPOSER = "member.provincial"
DEPUTY = "deputy.provincial"  # the deputy (ผู้แทน) of the Provincial Office seat
DEPUTY_NAME = DISPLAY_NAMES[DEPUTY]
SECRETARY_NAME = DISPLAY_NAMES["secretary"]
FOLLOWER = "citizen1"
COMMENTER = "citizen2"
# Forest (ป่า) is a word of its own, but the demo's texts mostly have it inside forest fire
# (ไฟป่า), which the tokenizer reads as one word.
COMPOUND_PART = "ป่า"
COMPOUND = "ไฟป่า"
# One person for each language: once unsubscribed, a person's link only says so.
UNSUBSCRIBERS = {"th": "citizen3", "en": "business"}
SECTIONS = {
    1: "Matters the chair announces to the meeting",
    2: "Matters for information",
    3: "Matters for consideration",
    4: "Other business",
}


def phrase(w: Words, message: str) -> re.Pattern:
    """The translated message with each of its placeholders standing for any text."""
    return re.compile(re.sub(r"%\\\(\w+\\\)[sd]", ".+", re.escape(w(message))))


def masked(email: str) -> str:
    """An address as the unsubscribe pages show it to whoever holds the link."""
    local, _at, domain = email.partition("@")
    return f"{local[:2]}…@{domain}"


# -- a. A meeting from its schedule to its printed minutes -------------------------------------

def site_time(moment: datetime) -> str:
    """The value a datetime-local field takes for a moment: the site's time, to the minute."""
    return moment.astimezone(SITE_ZONE).strftime("%Y-%m-%dT%H:%M")


def next_minute(*, at_least: timedelta = timedelta(seconds=15)) -> datetime:
    """The soonest whole minute still `at_least` away: meetings start on a whole minute, in
    the future."""
    soon = datetime.now(SITE_ZONE) + at_least
    return soon.replace(second=0, microsecond=0) + timedelta(minutes=1)


def time_passes_until_it_starts(database_url: str, title: str) -> None:
    """Let the clock reach the meeting's start instead of waiting up to a minute for it: its
    start moves to a minute ago, the end stays two hours after the original start."""
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            moved = connection.execute(
                sa.update(Meeting.__table__)
                .where(Meeting.__table__.c.title == title)
                .values(starts_at=utcnow() - timedelta(minutes=1))
            ).rowcount
        assert moved == 1
    finally:
        engine.dispose()


def add_item(page: Page, language: str, *, section: int, title: str,
             proposal_title: str | None = None) -> None:
    """The secretary adds an item to the agenda from the meeting's page."""
    w = words(language)
    page.get_by_role("link", name=w("Add an agenda item"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w("Add an agenda item"))
    # The choice reads "3. Matters for consideration" in every language.
    page.get_by_label(w("Section of the agenda"), exact=True).select_option(
        label=f"{section}. {w(SECTIONS[section])}"
    )
    page.get_by_label(w("Title"), exact=True).fill(title)
    if proposal_title:
        proposals = page.get_by_label(w("Proposal to consider (optional)"), exact=True)
        option = proposals.locator("option").filter(has_text=proposal_title)
        proposals.select_option(option.get_attribute("value"))
    page.get_by_role("button", name=w("Add the item"), exact=True).click()


def computed_display(page: Page, selector: str) -> list[str]:
    """The computed `display` of every element the selector matches."""
    return page.locator(selector).evaluate_all(
        "(found) => found.map((element) => getComputedStyle(element).display)"
    )


def expect_printed_without_navigation(page: Page, what: str) -> None:
    """Printed, the page leaves out the site's header, menus, footer, buttons and forms, and
    keeps the report itself."""
    page.emulate_media(media="print")
    try:
        for selector in ("header.site-header", "footer.site-footer", "nav", "button",
                         "a.button", "form", ".no-print"):
            shown = computed_display(page, selector)
            assert all(display == "none" for display in shown), (
                f"{what}: printed, `{selector}` is shown ({shown})"
            )
        report = page.locator("article.minutes-report")
        expect(report).to_be_visible()
        assert computed_display(page, "article.minutes-report") != ["none"]
        expect(report.locator(".minutes-text").first).to_be_visible()
        # Set in the fonts of Thai official documents.
        font = report.evaluate("(element) => getComputedStyle(element).fontFamily")
        assert "Sarabun" in font, f"{what}: printed in {font}"
    finally:
        page.emulate_media(media="screen")


@LANGUAGES
def test_the_secretary_runs_a_meeting_and_its_minutes_print_as_a_thai_meeting_report(
    pages, server, language
):
    w = words(language)
    token = unique(language)
    meeting_title = f"การประชุมคณะทำงานฯ ครั้งทดสอบ ({token})"
    place = "ห้องประชุมศาลากลางจังหวัดลำปาง ชั้น 2"
    info_title = f"รายงานสถานการณ์ฝุ่นประจำสัปดาห์ ({token})"
    proposal_title = f"ติดตั้งเครื่องวัดฝุ่นในโรงเรียนทุกแห่ง ({token})"
    info_minutes = f"สำนักงานสิ่งแวดล้อมภาคที่ 2 รายงานค่าฝุ่นเฉลี่ย 38 มคก./ลบ.ม. ({token})"
    proposal_minutes = f"ที่ประชุมอภิปรายเรื่องงบประมาณและการดูแลเครื่องวัด ({token})"
    proposal_url = propose(pages.open(language, who=PROPOSER), language, title=proposal_title,
                           body="Every school gets a low-cost PM2.5 sensor.")

    # The secretary schedules the meeting from the list of meetings, to start in a moment.
    secretary = pages.open(language, who="secretary")
    secretary.goto("/")
    secretary.get_by_role("navigation", name=w("Main")).get_by_role(
        "link", name=w("Meetings"), exact=True
    ).click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(w("Meetings"))
    secretary.get_by_role("link", name=phrase(w, "Schedule a meeting of %(group)s")).click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(w("Schedule a meeting"))
    starts = next_minute()
    secretary.get_by_label(w("Title"), exact=True).fill(meeting_title)
    secretary.get_by_label(w("Starts at"), exact=True).fill(site_time(starts))
    secretary.get_by_label(w("Ends at (optional)"), exact=True).fill(
        site_time(starts + timedelta(hours=2)))
    secretary.get_by_label(w("Place"), exact=True).fill(place)
    secretary.get_by_role("button", name=w("Schedule the meeting"), exact=True).click()
    expect_flash(secretary, w("The meeting is scheduled. Add its agenda now."))
    expect(secretary.get_by_role("heading", level=1)).to_have_text(meeting_title)
    meeting_url = secretary.url

    # The agenda: a matter for information (2.1) and the proposal for consideration (3.1).
    add_item(secretary, language, section=2, title=info_title)
    expect_flash(secretary, w("Item %(number)s is on the agenda.", number="2.1"))
    add_item(secretary, language, section=3, title=proposal_title,
             proposal_title=proposal_title)
    expect_flash(secretary, w("Item %(number)s is on the agenda.", number="3.1"))
    agenda = secretary.locator(".agenda-section")
    expect(agenda.locator("h3")).to_have_text([
        f"{w('Item %(number)d', number=number)} {w(title)}"
        for number, title in SECTIONS.items()
    ])
    expect(agenda.locator(".agenda-item h4")).to_have_text(
        [f"2.1 {info_title}", f"3.1 {proposal_title}"])
    item_3_1 = secretary.locator(".agenda-item").filter(has_text=f"3.1 {proposal_title}")
    expect(item_3_1.get_by_role("link", name=proposal_title, exact=True)).to_have_attribute(
        "href", re.compile(re.escape(proposal_url.removeprefix(pages.base_url)) + "$"))

    # Once the meeting has started: the attendance, the deputy sitting for the Provincial Office.
    time_passes_until_it_starts(server.database_url, meeting_title)
    secretary.reload()
    secretary.get_by_role("link", name=w("Record the attendance"), exact=True).click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(w("Record the attendance"))
    deputy_seat = secretary.get_by_role("row").filter(has_text=DEPUTY_NAME)
    expect(deputy_seat).to_have_count(1)
    deputy_seat.get_by_role("radio", name=w("Represented by the deputy"), exact=True).check()
    secretary.get_by_role("button", name=w("Save the attendance"), exact=True).click()
    expect(secretary.get_by_role("status").filter(
        has_text=phrase(w, "The attendance is recorded: %(counts)s."))).to_be_visible()
    attended = secretary.locator("table.attendance tbody tr").filter(has_text=DEPUTY_NAME)
    expect(attended.locator(".badge")).to_have_text(w("Represented by the deputy"))
    expect(secretary.locator(".quorum")).to_have_class(re.compile(r"\bquorum-met\b"))

    # The meeting is marked as held; the secretary writes and publishes the minutes.
    secretary.get_by_role("button", name=w("Mark as held"), exact=True).click()
    expect_flash(secretary, w("The meeting is marked as held. Record its attendance and "
                              "resolutions."))
    expect(secretary.locator("h1 + p.meta .badge").first).to_have_text(w("Held"))
    secretary.get_by_role("link", name=w("Minutes (draft)"), exact=True).click()
    expect(secretary.locator(".minutes-draft-notice")).to_be_visible()
    secretary.get_by_role("link", name=w("Write the minutes"), exact=True).click()
    secretary.get_by_label(w("Minutes taken by"), exact=True).select_option(
        label=SECRETARY_NAME)
    secretary.get_by_label(w("Minutes of item %(number)s: %(title)s", number="2.1",
                             title=info_title), exact=True).fill(info_minutes)
    secretary.get_by_label(w("Minutes of item %(number)s: %(title)s", number="3.1",
                             title=proposal_title), exact=True).fill(proposal_minutes)
    secretary.get_by_role("button", name=w("Save the minutes"), exact=True).click()
    expect_flash(secretary, w("The minutes are saved."))
    secretary.get_by_role("button", name=w("Publish the minutes"), exact=True).click()
    expect_flash(secretary, w("The minutes are published. Everyone can read them, and the "
                              "group's followers are told."))
    expect_printed_without_navigation(secretary, f"{language}: the secretary's minutes page")

    # A visitor reads the minutes, laid out like a Thai meeting report.
    visitor = pages.open(language)
    visitor.goto(meeting_url)
    visitor.get_by_role("link", name=w("Read the minutes"), exact=True).click()
    report = visitor.locator("article.minutes-report")
    expect(report.get_by_role("heading", level=1)).to_have_text(
        phrase(w, "Minutes of the meeting of %(group)s"))
    expect(report.locator(".minutes-session")).to_have_text(meeting_title)
    expect(report.locator(".minutes-where")).to_have_text(w("at %(place)s", place=place))
    expect(report.get_by_role("heading", level=2, name=w("Members present"), exact=True)
           ).to_be_visible()
    present = report.locator("ol.minutes-people").first
    expect(present).to_contain_text(w(
        "%(name)s, deputy for %(seat)s", name=DEPUTY_NAME,
        seat=organisation_name("provincial", language)))
    expect(present).to_contain_text(DISPLAY_NAMES["chair"])
    expect(report.locator(".minutes-time").first).to_have_text(
        phrase(w, "The meeting started at %(time)s"))
    expect(report.locator(".minutes-section > h2")).to_have_text([
        w("Agenda item %(number)s: %(title)s", number=number, title=w(title))
        for number, title in SECTIONS.items()
    ])
    item = report.locator(".minutes-item").filter(has_text=info_title)
    expect(item.locator("h3")).to_have_text(f"2.1 {info_title}")
    expect(item.locator(".minutes-text")).to_have_text(info_minutes)
    expect(report.locator(".minutes-item").filter(has_text=proposal_title).locator(
        ".minutes-text")).to_have_text(proposal_minutes)
    expect(report.locator(".minutes-time").last).to_have_text(
        phrase(w, "The meeting closed at %(time)s"))
    expect(report.locator(".minutes-signature")).to_contain_text(SECRETARY_NAME)
    expect(report.locator(".minutes-signature")).to_contain_text(w("Minutes taker"))
    expect(report.locator(".minutes-status")).to_contain_text(
        phrase(w, "Published on %(date)s; not yet approved by a later meeting."))

    # Printed, the report stands alone: no menus, no buttons.
    expect_printed_without_navigation(visitor, f"{language}: the visitor's minutes page")


# -- b. A follower hears of a new comment ------------------------------------------------------

def unread_in_header(page: Page, language: str) -> int:
    """The unread count beside Notifications in the header (0 when none is shown)."""
    w = words(language)
    link = page.get_by_role("banner").get_by_role(
        "link", name=re.compile("^" + re.escape(w("Notifications"))))
    expect(link).to_have_count(1)
    text = link.inner_text()
    return number_in(text) if re.search(r"\d", text) else 0


def notification(page: Page, title: str) -> Locator:
    return page.locator("ol.notifications > li").filter(has_text=title)


@LANGUAGES
def test_a_follower_is_told_of_a_new_comment_and_opens_it_from_the_notifications(
    pages, language
):
    w = words(language)
    token = unique(language)
    title = f"เปิดศูนย์พักพิงอากาศสะอาดในทุกตำบล ({token})"
    comment = f"The clean-air rooms should open before the burning season ({token})."
    proposal_url = propose(pages.open(language, who=PROPOSER), language, title=title,
                           body="A room with an air purifier in every sub-district.")

    # A citizen follows the proposal.
    follower = pages.open(language, who=FOLLOWER)
    follower.goto(proposal_url)
    before = unread_in_header(follower, language)
    follow = follower.locator("#follow")
    expect(follow).to_contain_text(w.n("%(num)d follower", "%(num)d followers", 0))
    follow.get_by_role("button", name=w("Follow"), exact=True).click()
    expect_flash(follower, w("You are following this now. New events about it appear under "
                             "Notifications."))
    expect(follow.get_by_role("button", name=w("Following — unfollow"), exact=True)
           ).to_be_visible()
    expect(follow).to_contain_text(w.n("%(num)d follower", "%(num)d followers", 1))

    # Someone else comments on it.
    commenter = pages.open(language, who=COMMENTER)
    commenter.goto(proposal_url)
    commenter.get_by_label(w("Your comment"), exact=True).fill(comment)
    commenter.get_by_role("group", name=w("Your stance"), exact=True).get_by_role(
        "radio", name=w("For"), exact=True).check()
    commenter.get_by_role("button", name=w("Post comment"), exact=True).click()
    expect_flash(commenter, w("Your comment is posted."))

    # The follower sees one more unread notification in the header, and opens it.
    follower.reload()
    assert unread_in_header(follower, language) == before + 1
    follower.get_by_role("banner").get_by_role(
        "link", name=re.compile("^" + re.escape(w("Notifications")))).click()
    expect(follower.get_by_role("heading", level=1)).to_have_text(w("Notifications"))
    told = notification(follower, title)
    expect(told).to_have_count(1)
    expect(told).to_have_class(re.compile(r"\bunread\b"))
    expect(told).to_contain_text(w("New comment"))
    expect(told).to_contain_text(comment)
    expect(told).to_contain_text(DISPLAY_NAMES[COMMENTER])
    with follower.expect_navigation():
        told.get_by_role("button", name=title, exact=True).click()

    # It leads to the comment on the proposal, and counts as read.
    assert follower.url.startswith(proposal_url)
    anchor = re.fullmatch(r".*#(comment-\d+)", follower.url)
    assert anchor, f"{follower.url} does not lead to a comment"
    expect(follower.locator(f"#{anchor.group(1)}")).to_contain_text(comment)
    assert unread_in_header(follower, language) == before
    follower.goto("/notifications")
    expect(notification(follower, title)).not_to_have_class(re.compile(r"\bunread\b"))
    expect(notification(follower, title).get_by_role("link", name=title, exact=True)
           ).to_be_visible()


# -- c. A Thai word found inside a compound ----------------------------------------------------

@LANGUAGES
def test_a_visitor_finds_a_thai_word_inside_a_compound_and_narrows_to_the_minutes(
    pages, language
):
    w = words(language)
    visitor = pages.open(language)
    visitor.goto("/")
    box = visitor.get_by_role("banner").get_by_role("searchbox", name=w(
        "Search proposals, comments, decisions, commitments, meetings and minutes"))
    box.fill(COMPOUND_PART)
    with visitor.expect_navigation():
        box.press("Enter")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(w("Search"))
    expect(visitor.get_by_label(w("Words to find"), exact=True)).to_have_value(COMPOUND_PART)

    # The word is highlighted where it stands alone and where it is part of ไฟป่า.
    results = visitor.locator("ol.search-results > li")
    expect(results.first).to_be_visible()
    marks = visitor.locator(".search-result .snippet mark").all_inner_texts()
    assert marks and all(COMPOUND_PART in mark for mark in marks), marks
    assert COMPOUND in marks, f"{COMPOUND} is not highlighted among {marks}"
    total = number_in(visitor.locator("main p.meta[role=status]").inner_text())

    # Only the minutes.
    kinds = visitor.get_by_role("group", name=w("Look in"), exact=True)
    kinds.get_by_role("checkbox", name=w("Minutes"), exact=True).check()
    with visitor.expect_navigation():
        visitor.locator("main form.search-form").get_by_role(
            "button", name=w("Search"), exact=True).click()
    expect(visitor.get_by_role("group", name=w("Look in"), exact=True).get_by_role(
        "checkbox", name=w("Minutes"), exact=True)).to_be_checked()
    status = visitor.locator("main p.meta[role=status]")
    minutes_found = number_in(status.inner_text())
    assert 0 < minutes_found < total
    expect(results).to_have_count(minutes_found)
    for badge in results.locator(".badge-kind").all():
        expect(badge).to_have_text(w("Minutes"))

    # The first result opens the minutes at its agenda item.
    first = results.first.locator("h2 a")
    item_title = first.inner_text()
    with visitor.expect_navigation():
        first.click()
    anchor = re.fullmatch(r".*/meetings/\d+/minutes#(item-\d+)", visitor.url)
    assert anchor, f"{visitor.url} is not an agenda item of the minutes"
    item = visitor.locator(f"#{anchor.group(1)}")
    expect(item.locator("h3")).to_have_text(item_title)
    expect(item.locator(".minutes-text")).to_contain_text(COMPOUND_PART)


# -- d. Unsubscribing from the link in an e-mail ---------------------------------------------

@LANGUAGES
def test_the_unsubscribe_link_stops_the_emails_and_the_settings_say_so(pages, language):
    w = words(language)
    who = UNSUBSCRIBERS[language]
    address = masked(demo_email(who))
    link = unsubscribe_path(pages.user_id(who))

    # The link from an e-mail, opened without logging in: opening it changes nothing yet.
    reader = pages.open(language)
    reader.goto(link)
    expect(reader.get_by_role("heading", level=1)).to_have_text(w("Stop e-mails"))
    expect(reader.locator("#main")).to_contain_text(address)
    reader.get_by_role("button", name=w("Stop all e-mails"), exact=True).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(w("E-mails stopped"))
    expect(reader.locator("#main")).to_contain_text(
        w("We will send no more e-mails to %(address)s.", address=address))

    # Opened again, the link says so.
    reader.goto(link)
    expect(reader.locator("#main")).to_contain_text(
        w("We send no e-mails to %(address)s any more.", address=address))
    expect(reader.get_by_role("button", name=w("Stop all e-mails"), exact=True)
           ).to_have_count(0)

    # Logged in, the person finds e-mail off in the settings.
    person = pages.open(language, who=who)
    person.goto("/account")
    person.get_by_role("link", name=w("Change your e-mail settings"), exact=True).click()
    expect(person.get_by_role("heading", level=1)).to_have_text(w("E-mail settings"))
    choices = person.get_by_role("group", name=w("E-mail about what you follow"))
    expect(choices.get_by_role("radio", name=w("No e-mail"), exact=True)).to_be_checked()
    expect(choices.get_by_role("radio", name=w("Each one as it happens"), exact=True)
           ).not_to_be_checked()
