"""Every main page, in Thai and English, on a desktop and on a phone.

Each page must pass axe-core (WCAG 2.2 AA), have the landmarks and labels a screen-reader user
relies on, fit a 360 px screen without sideways scrolling, load nothing from another origin, and
weigh less than 100 KB before images. With PARTICIPATION_SCREENSHOTS=1, screenshots of every
page land in test-artifacts/.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Response, expect

from participation.demo.content import PEOPLE
from tests.browser.audit import AXE_SCRIPT, axe_violations, describe, horizontal_overflow
from tests.browser.conftest import (
    BROWSER_LOCALES,
    DESKTOP,
    PHONE,
    Session,
    demo_email,
    policy_violation,
    screenshot,
    unsubscribe_path,
    verification_path,
)

LANGUAGES = ("th", "en")
WEIGHT_LIMIT = 100_000  # bytes of HTML, CSS and headers before any image
VOTING_MEMBER = "member.gistda"  # has a vote on the demo's open ballot
DEPUTY = "deputy.provincial"  # the deputy (ผู้แทน) of a seat whose holder has not voted
DEPUTY_NAME = next(person.display_name for person in PEOPLE if person.email == DEPUTY)
AGENCY_CONTACT = "agency.environment"  # the contact of the demo commitment's lead agency
REVIEWER = "citizen2"  # has not reviewed the demo's first progress report
FOLLOWER = "citizen1"  # follows the open-data proposal: has notifications, read and unread
COMPOUND_PART = "ป่า"  # forest: found inside ไฟป่า (forest fire) in the demo's texts
MODERATOR = "moderator"  # the demo's moderator: open reports wait in the queue


def submit_empty(page: Page) -> None:
    """Send the form with every field left empty, as a browser without validation would."""
    # The first form with fields to fill: not a one-button form such as Follow.
    form = page.locator("#main form[method=post]").filter(
        has=page.locator("input:not([type=hidden]), select, textarea")).first
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    assert page.locator("[aria-invalid=true]").count() > 0, "no field is marked as wrong"
    assert page.get_by_role("alert").count() == 1, "no summary of the errors"


def log_in_with_wrong_password(page: Page) -> None:
    """Try to log in with a password that is not right."""
    page.locator("input[name=email]").fill(demo_email("citizen1"))
    page.locator("input[name=password]").fill("not-the-password")
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert urlsplit(page.url).path == "/login"
    assert page.get_by_role("alert").count() == 1, "the refused login shows no error"


def open_seat_with_deputy(page: Page) -> None:
    """From the seats of the group, open the seat that has a deputy (ผู้แทน)."""
    row = page.locator("table.seats tbody tr").filter(has_text=DEPUTY_NAME)
    with page.expect_navigation():
        row.locator("a[href^='/admin/seats/']").click()


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str  # {placeholders} are filled with ids found in the demo data at run time
    viewer: str | None = None  # a demo login, or None for a visitor
    then: Callable[[Page], None] | None = None  # what the person does before the checks
    status: int = 200
    shows: tuple[str, ...] = ()  # what must be on the page for its audit to mean something


MAIN_PAGES = [
    MainPage("home", "/", shows=(  # what is being decided now, what was decided, is it done
        ".home-now .home-list li", ".home-votes a[href^='/ballots/']",
        ".home-decided a[href^='/decisions/']", ".home-done progress",
    )),
    MainPage("proposals", "/proposals", shows=(".proposal-item",)),
    MainPage("proposals-filtered", "/proposals?state=open&sort=supported",
             shows=(".proposal-item .badge-open",)),
    MainPage("proposal", "/proposals/{proposal}", shows=(".comment", ".ballot-panel .badge-open")),
    MainPage("proposal-history", "/proposals/{proposal}/history", shows=("table tbody tr",)),
    MainPage("comment-history", "/comments/{comment}/history", shows=(".timeline li",)),
    MainPage("proposal-new", "/proposals/new", viewer="member.environment"),
    MainPage("proposal-new-empty", "/proposals/new", viewer="member.environment",
             then=submit_empty),
    MainPage("ballot", "/ballots/{ballot}", viewer=VOTING_MEMBER,
             shows=("form[action$='/vote'] input[type=radio]",)),
    MainPage("decisions", "/decisions", shows=("table tbody tr",)),
    MainPage("decision", "/decisions/{decision}", shows=(
        "table[aria-labelledby=roll-call] tbody tr", "figure.chart svg[role=img]",
        "table#decision-sectors tbody tr",
        # The deputy who voted in the seat's name is named in the roll-call.
        f"table[aria-labelledby=roll-call] td:has-text('{DEPUTY_NAME}')",
    )),
    MainPage("commitments", "/commitments", shows=("table tbody tr progress",)),
    MainPage("commitment", "/commitments/{commitment}", shows=(
        "table[aria-labelledby=milestones] tbody tr", ".timeline li progress",
        ".kpi-list a[href^='/kpis/']",
    )),
    MainPage("kpis", "/kpis", shows=("table tbody tr a[href^='/kpis/']", ".badge")),
    MainPage("kpi", "/kpis/{kpi}", shows=(
        "figure.chart svg[role=img]", "table[aria-labelledby=measurements] tbody tr",
    )),
    MainPage("kpi-record", "/kpis/{manual_kpi}", viewer="agency.environment",
             shows=("form[action$='/measurements'] input[name=value]",)),
    MainPage("kpi-record-empty", "/kpis/{manual_kpi}", viewer="agency.environment",
             then=submit_empty),
    MainPage("kpi-new", "/kpis/new?group={group}", viewer="secretary",
             shows=("#main form select",)),
    MainPage("kpi-new-empty", "/kpis/new?group={group}", viewer="secretary",
             then=submit_empty),
    MainPage("kpi-edit", "/kpis/{kpi}/edit", viewer="secretary", shows=("#main form input",)),
    MainPage("air-quality", "/air-quality", shows=(
        "figure.chart svg[role=img]", "main table tbody tr", "a[href^='/kpis/']",
    )),
    MainPage("air-quality-station", "/air-quality?station=39t",
             shows=("figure.chart svg[role=img]",)),
    MainPage("data-import", "/data/import", viewer="secretary",
             shows=("input[type=file]", "table tbody tr")),
    MainPage("data-import-empty", "/data/import", viewer="secretary", then=submit_empty),
    MainPage("open-data", "/open-data", shows=("a[href$='.csv']", "a[href$='.json']")),
    MainPage("progress-form", "/commitments/{commitment}/progress/new",
             viewer="agency.environment", shows=("#main form textarea",)),
    MainPage("log", "/log", shows=("table.log tbody tr",)),
    MainPage("log-filtered", "/log?subject_type=commitment", shows=("table.log tbody tr",)),
    MainPage("log-entry", "/log/{entry}", shows=(".log-entry",)),
    MainPage("groups", "/groups", shows=("main h2 a[href^='/groups/']",)),
    MainPage("group", "/groups/{group}", shows=("table.seats tbody tr",)),
    MainPage("login", "/login"),
    MainPage("login-refused", "/login", then=log_in_with_wrong_password),
    MainPage("register", "/register"),
    # Privacy lane: the notice, and the consent page of a person who already agreed.
    MainPage("privacy", "/privacy", shows=(".prose h2", "a[aria-current=page]")),
    MainPage("privacy-consent", "/privacy/consent", viewer="member.environment",
             shows=("#main a[href='/privacy']",)),
    # E-mail lane: confirming the address, a forgotten password, a new address. (The form to
    # choose a new password needs a link signed with the person's password hash, which the
    # browser tests cannot read: its page is audited with an expired link.)
    MainPage("check-email", "/check-email?for=register"),
    MainPage("forgot-password", "/password/forgot", shows=("input[type=email]",)),
    MainPage("forgot-password-empty", "/password/forgot", then=submit_empty),
    MainPage("reset-password-expired", "/password/reset/expired-link", status=400,
             shows=("a[href='/password/forgot']",)),
    MainPage("verify-email", "{verify}", viewer="member.environment",
             shows=("a[href='/account']",)),
    MainPage("change-email", "/account/email", viewer="member.environment",
             shows=("input[type=email]", "input[type=password]")),
    MainPage("change-email-empty", "/account/email", viewer="member.environment",
             then=submit_empty),
    # Two-factor lane: the set-up page (the QR code as inline SVG, the key as text), sent
    # empty, and the administrators' requirement form. (The code page after the password needs
    # a demo person with two-factor authentication on; the demo has none, so it is not here.)
    MainPage("two-factor-setup", "/account/two-factor", viewer="member.environment",
             shows=("svg.qr-code[role=img]", "code.secret", "input[name=code]")),
    MainPage("two-factor-setup-empty", "/account/two-factor", viewer="member.environment",
             then=submit_empty),
    MainPage("admin-two-factor", "/admin/two-factor", viewer="admin",
             shows=("input[type=checkbox][name=roles]",)),
    MainPage("account", "/account", viewer="member.environment"),
    # Privacy lane B2: one's data and erasing one's account (a citizen: no seat to give up).
    MainPage("my-data", "/account/data", viewer="citizen3",
             shows=("a[href='/account/data.json']", "a[href='/account/delete']")),
    MainPage("account-delete", "/account/delete", viewer="citizen3",
             shows=("#main form input[name=password]", "#main form input[name=confirm]")),
    MainPage("account-delete-empty", "/account/delete", viewer="citizen3", then=submit_empty),
    MainPage("admin", "/admin", viewer="admin"),
    MainPage("admin-users", "/admin/users", viewer="admin"),
    MainPage("admin-groups", "/admin/groups", viewer="admin"),
    MainPage("not-found", "/no-such-page", status=404),
    # Issue 5: a voice for every sector, answers by a deadline, acting and evaluating together,
    # checkpoints anyone can keep.
    MainPage("decision-blocked", "/decisions/{blocked_decision}", shows=(
        "section.blocks .block-reason", "table#decision-sectors tbody tr",
        "table[aria-labelledby=roll-call] .vote-reason:not(:empty)",
    )),
    MainPage("ballot-as-deputy", "/ballots/{ballot}", viewer=DEPUTY, shows=(
        ".vote-reminders a[href^='/ballots/']", "form[action$='/vote'] input[type=radio]",
        "form[action$='/vote'] textarea[name=reason]",
    )),
    MainPage("proposal-overdue", "/proposals/{overdue_proposal}", shows=(
        "#answer .overdue", "#supports-by-sector tbody tr", "#stances-by-sector tbody tr",
    )),
    MainPage("proposal-answer-form", "/proposals/{waiting_proposal}", viewer="secretary",
             shows=("#answer .waiting", "form.answer-form input[type=radio]",
                    "form.agency-form select")),
    MainPage("group-responsiveness", "/groups/{group}/responsiveness", shows=(
        "dl.answer-figures", ".overdue-table tbody tr", ".agency-table tbody tr",
        "figure.chart svg[role=img]",
    )),
    MainPage("agency-responsiveness", "/organisations/{overdue_agency}/responsiveness",
             shows=("dl.answer-figures", ".overdue-table tbody tr")),
    MainPage("volunteer", "/volunteer", shows=("table tbody tr a[href^='/tasks/']",)),
    MainPage("task", "/tasks/{task}", shows=("dl.facts", "a[href^='/login']")),
    MainPage("task-organiser", "/tasks/{task}", viewer=AGENCY_CONTACT, shows=(
        "ol[aria-labelledby=signed-up] li", "ol[aria-labelledby=waiting] li",
    )),
    MainPage("task-new-empty", "/commitments/{commitment}/tasks/new", viewer=AGENCY_CONTACT,
             then=submit_empty),
    MainPage("commitment-lead-agency", "/commitments/{commitment}", viewer=AGENCY_CONTACT,
             shows=(
        "table.assessment-comparison tbody tr", ".review-list .badge-dispute",
        "form.answer-form textarea", "form.milestone-completion select", ".formula",
        "a[href^='/tasks/']",
    )),
    MainPage("commitment-reviewer", "/commitments/{commitment}", viewer=REVIEWER,
             shows=("details.review-form", ".review-list .badge-confirm")),
    MainPage("review-form", "/progress/{update}/review", viewer=REVIEWER,
             shows=("input[name=kind]", "#main form textarea[name=comment]")),
    MainPage("review-form-empty", "/progress/{update}/review", viewer=REVIEWER,
             then=submit_empty),
    MainPage("dispute-answer", "/reviews/{dispute}/answer", viewer=AGENCY_CONTACT,
             shows=(".badge-dispute", "#main form textarea")),
    MainPage("assessment-form", "/commitments/{commitment}/assessments/new",
             viewer=AGENCY_CONTACT, shows=("select[name=opened_government]",)),
    MainPage("assessment-form-empty", "/commitments/{commitment}/assessments/new",
             viewer=AGENCY_CONTACT, then=submit_empty),
    MainPage("weights", "/commitments/{commitment}/weights", viewer="secretary",
             shows=("input[name=shares]", "input[name^=weights-]")),
    MainPage("milestone-completion", "/milestones/{milestone}/completion",
             viewer=AGENCY_CONTACT, shows=("select[name=completion]",)),
    MainPage("checkpoints", "/log/checkpoints",
             shows=("table.log tbody tr a[href$='.json']",)),
    MainPage("signing-keys", "/about/keys", shows=("code.hash", "table.log tbody tr")),
    MainPage("admin-seat-deputy", "/admin/groups/{group}/seats", viewer="admin",
             then=open_seat_with_deputy,
             shows=("form[action$='/deputy'] input[type=email][value$='@demo.ruam.example']",)),
    # Issue 6: meetings and their minutes, following and notifications, one search box.
    MainPage("meetings", "/meetings", shows=(
        "table.meetings tbody tr a[href^='/meetings/']", "a[href^='/feeds/meetings.ics']",
    )),
    MainPage("group-meetings", "/groups/{group}/meetings", shows=("table.meetings tbody tr",)),
    MainPage("meeting-held", "/meetings/{held_meeting}", shows=(
        "#section-1", "#section-2", "#section-3", "#section-4",
        ".agenda-item .resolution a[href^='/decisions/']", ".quorum-met",
        f"table.attendance td:has-text('{DEPUTY_NAME}')", "a[href$='/minutes']",
    )),
    MainPage("meeting-planned", "/meetings/{planned_meeting}",
             shows=(".badge-planned", ".agenda-item a[href^='/proposals/']")),
    MainPage("meeting-planned-secretary", "/meetings/{planned_meeting}", viewer="secretary",
             shows=("#manage-title", ".item-actions a[href$='/edit']")),
    MainPage("minutes", "/meetings/{held_meeting}/minutes", shows=(
        ".minutes-head h1", "ol.minutes-people li", ".minutes-resolution a[href^='/decisions/']",
        ".minutes-corrections li", ".minutes-signature", ".minutes-status",
    )),
    MainPage("minutes-secretary", "/meetings/{published_meeting}/minutes", viewer="secretary",
             shows=(".minutes-tools a.button", ".minutes-text")),
    MainPage("meeting-schedule", "/groups/{group}/meetings/new", viewer="secretary",
             shows=("input[type=datetime-local]", "#main form textarea")),
    MainPage("meeting-schedule-empty", "/groups/{group}/meetings/new", viewer="secretary",
             then=submit_empty),
    MainPage("meeting-edit", "/meetings/{planned_meeting}/edit", viewer="secretary",
             shows=("input[name=title][value]",)),
    MainPage("agenda-item-new", "/meetings/{planned_meeting}/items/new", viewer="secretary",
             shows=("select[name=section]", "select[name=proposal] option + option")),
    MainPage("agenda-item-edit", "/agenda-items/{planned_item}/edit", viewer="secretary",
             shows=("textarea[name=resolution]",)),
    MainPage("attendance-form", "/meetings/{published_meeting}/attendance", viewer="secretary",
             shows=("fieldset.attendance-choice input[value=deputy]",
                    "fieldset.attendance-choice input[value=excused]:checked")),
    MainPage("minutes-edit", "/meetings/{published_meeting}/minutes/edit", viewer="secretary",
             shows=("select[name=minutes_taker]", "#main form textarea")),
    MainPage("minutes-approve", "/meetings/{published_meeting}/minutes/approve",
             viewer="secretary", shows=("select[name=at_meeting]",)),
    MainPage("minutes-correction",
             "/meetings/{held_meeting}/minutes/items/{corrected_item}/correction",
             viewer="secretary", shows=("#main form textarea[name=text]", "main ol .prose")),
    MainPage("notifications", "/notifications", viewer=FOLLOWER, shows=(
        "ol.notifications li.unread form[action$='/read'] button",
        "ol.notifications li:not(.unread) a",
    )),
    MainPage("following", "/notifications/following", viewer=FOLLOWER,
             shows=("table tbody tr form[action^='/unfollow/'] button",)),
    MainPage("email-settings", "/account/notifications", viewer=FOLLOWER,
             shows=("input[name=email_mode]:checked", "input[name=language]:checked")),
    MainPage("unsubscribe", "{unsubscribe}", shows=("form[action^='/unsubscribe/'] button",)),
    MainPage("search", "/search", shows=("#search-q", "input[name=type]")),
    MainPage("search-thai", f"/search?q={COMPOUND_PART}", shows=(
        ".search-result mark", ".search-kinds a[aria-current=page]",
        ".search-result a[href*='/minutes#item-']",
    )),
    MainPage("search-nothing", "/search?q=ไดโนเสาร์", shows=("main p.meta[role=status]",)),
    # Issue 7, moderation lane A2: the public moderation page and the moderators' blocks.
    MainPage("moderation", "/moderation", shows=(
        "tr#figures-reports td", "tr#reason-spam td", "tr#kind-comment td", "#how ~ dl.facts dt",
    )),
    MainPage("moderation-blocks", "/moderation/blocks", viewer="moderator", shows=("#main h1",)),
    # Moderation lane A1: reporting a comment, the moderator's queue and hidden contributions,
    # and a thread with a comment hidden as spam.
    MainPage("proposal-report-links", "/proposals/{proposal}", viewer=FOLLOWER,
             shows=(".comment .report-link", "a.report-link[href^='/report/proposal/']")),
    MainPage("report-form", "/report/comment/{comment}", viewer=FOLLOWER,
             shows=("input[type=radio][name=reason]", "#main form textarea[name=note]")),
    MainPage("moderation-queue", "/moderation/queue", viewer=MODERATOR, shows=(
        ".moderation-case form[action$='/hide'] select[name=reason]", ".report-notes q",
        ".moderation-case form[action$='/dismiss'] button",
    )),
    MainPage("moderation-hidden", "/moderation/queue?show=hidden", viewer=MODERATOR,
             shows=(".moderation-case .hidden-notice", "form[action$='/restore'] button")),
    MainPage("proposal-hidden-comment", "/proposals/{hidden_comment_proposal}",
             shows=(".comment .hidden-notice",)),
]


def _html(base_url: str, path: str) -> str:
    request = urllib.request.Request(base_url + path, headers={"Accept-Language": "en"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def _first(pattern: str, html: str, what: str) -> str:
    """The lowest id linked: the demo's own, not one made by a test that ran earlier."""
    found = re.findall(pattern, html)
    assert found, f"the demo has no {what}"
    return str(min(map(int, found)))


@pytest.fixture(scope="module")
def demo_ids(base_url: str, browsing: Session) -> dict[str, str]:
    """Ids of the demo's things as a visitor finds them by following links."""
    home = _html(base_url, "/")
    ballot = _first(r'href="/ballots/(\d+)"', home, "open ballot on the home page")
    ballot_page = _html(base_url, f"/ballots/{ballot}")
    proposal = _first(r'href="/proposals/(\d+)"', ballot_page, "proposal behind the open ballot")
    proposal_page = _html(base_url, f"/proposals/{proposal}")
    kpis = _html(base_url, "/kpis")
    group = _first(r'href="/groups/(\d+)"', _html(base_url, "/groups"), "working group")
    commitment = _first(r'href="/commitments/(\d+)"', _html(base_url, "/commitments"),
                        "commitment")
    commitment_page = _html(base_url, f"/commitments/{commitment}")
    overdue = _first(r'href="/proposals/(\d+)#answer"',
                     _html(base_url, f"/groups/{group}/responsiveness"), "overdue answer")
    held_meeting = _linked_page_showing(base_url, "/meetings", "/meetings/", "badge-approved",
                                        "meeting whose minutes are approved")
    planned_meeting = _linked_page_showing(base_url, "/meetings", "/meetings/", "badge-planned",
                                           "planned meeting")
    return {
        "held_meeting": held_meeting,
        "published_meeting": _linked_page_showing(
            base_url, "/meetings", "/meetings/", "badge-published",
            "meeting whose minutes are published, not yet approved"),
        "planned_meeting": planned_meeting,
        "planned_item": _first(r'id="item-(\d+)"', _html(base_url, f"/meetings/{planned_meeting}"),
                               "agenda item of the planned meeting"),
        "corrected_item": _first(r'id="item-(\d+)-corrections"',
                                 _html(base_url, f"/meetings/{held_meeting}/minutes"),
                                 "correction of approved minutes"),
        "unsubscribe": unsubscribe_path(browsing.user_id(FOLLOWER)),
        "verify": verification_path(browsing.user_id("member.environment"),
                                    demo_email("member.environment")),
        "ballot": ballot,
        "proposal": proposal,
        "comment": _first(r'id="comment-(\d+)"', proposal_page, "comment on that proposal"),
        "decision": _first(r'href="/decisions/(\d+)"', _html(base_url, "/decisions"), "decision"),
        "commitment": commitment,
        "entry": _first(r'href="/log/(\d+)"', _html(base_url, "/log"), "log entry"),
        "group": group,
        "kpi": _first(r'href="/kpis/(\d+)"', kpis, "KPI"),
        "manual_kpi": _first(r'href="/kpis/(\d+)"[^>]*>Dust-related datasets', kpis,
                             "KPI entered by hand"),
        "blocked_decision": _linked_page_showing(
            base_url, "/decisions", "/decisions/", 'id="blocks-title"',
            "decision with a block"),
        "overdue_proposal": overdue,
        "overdue_agency": _first(r'href="/organisations/(\d+)/responsiveness"',
                                 _html(base_url, f"/proposals/{overdue}"),
                                 "agency responsible for the overdue answer"),
        "waiting_proposal": _linked_page_showing(
            base_url, "/proposals", "/proposals/", 'class="waiting"',
            "proposal waiting for its answer"),
        "task": _first(r'(?s)href="/tasks/(\d+)"(?:(?!</tr>).)*(?:person|people) waiting',
                       _html(base_url, "/volunteer"), "volunteer task with a waiting list"),
        "update": _first(r'id="update-(\d+)"', commitment_page, "progress report"),
        "dispute": _first(r'id="review-(\d+)">\s*<p><span class="badge badge-dispute"',
                          commitment_page, "disputed progress report"),
        "milestone": _first(r'id="milestone-(\d+)"', commitment_page, "milestone"),
        "hidden_comment_proposal": _linked_page_showing(  # moderation lane A1
            base_url, "/proposals", "/proposals/", "hidden-notice",
            "proposal with a comment hidden by a moderator"),
    }


def _linked_page_showing(base_url: str, listing: str, prefix: str, mark: str, what: str) -> str:
    """The lowest id of the pages `prefix<id>` linked from the listing that contain the mark."""
    ids = sorted(set(map(int, re.findall(f'href="{prefix}(\\d+)"', _html(base_url, listing)))))
    found = next((str(i) for i in ids if mark in _html(base_url, f"{prefix}{i}")), None)
    assert found, f"the demo has no {what}"
    return found


@dataclass
class Visit:
    """One browser tab and what it fetched since the last page load began."""

    page: Page
    requests: list[str] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # Content-Security-Policy violations

    def forget(self) -> None:
        self.requests.clear()
        self.responses.clear()
        self.blocked.clear()


@pytest.fixture(scope="module")
def tab(browsing: Session) -> Iterator[Callable[[str, str | None], Visit]]:
    """One tab per (language, viewer), reused for every page that person looks at."""
    tabs: dict[tuple, Visit] = {}
    contexts = []

    def open_tab(language: str, who: str | None) -> Visit:
        key = (language, who)
        if key not in tabs:
            context = browsing.browser.new_context(
                base_url=browsing.base_url, locale=BROWSER_LOCALES[language], viewport=DESKTOP,
                storage_state=browsing.login_state(who) if who else None,
            )
            contexts.append(context)
            context.add_init_script(AXE_SCRIPT)
            visit = Visit(context.new_page())
            # Every page is weighed as on a first visit: its stylesheet counts every time.
            context.new_cdp_session(visit.page).send(
                "Network.setCacheDisabled", {"cacheDisabled": True}
            )
            visit.page.on("request", lambda request: visit.requests.append(request.url))
            visit.page.on("response", lambda response: visit.responses.append(response))
            visit.page.on("console", lambda message: visit.blocked.extend(
                filter(None, [policy_violation(message)])))
            tabs[key] = visit
        return tabs[key]

    yield open_tab
    for context in contexts:
        context.close()


def load(visit: Visit, main_page: MainPage, ids: dict[str, str]) -> None:
    """Go to the page at desktop width (and do what the person does there); fail on a wrong
    status."""
    visit.forget()
    visit.page.set_viewport_size(DESKTOP)
    response = visit.page.goto(main_page.path.format(**ids))
    assert response is not None and response.status == main_page.status, (
        f"{main_page.name}: {main_page.path.format(**ids)} answered "
        f"{response.status if response else 'nothing'}, not {main_page.status}"
    )
    if main_page.then:
        visit.responses.clear()  # weigh the page the person ends on
        main_page.then(visit.page)
    errors = [f"{r.status} {r.url}" for r in visit.responses if r.status >= 500]
    assert not errors, f"{main_page.name}: server errors {errors}"
    assert not visit.blocked, f"{main_page.name}: the Content-Security-Policy blocked {visit.blocked}"
    missing = [s for s in main_page.shows if not visit.page.locator(s).count()]
    assert not missing, f"{main_page.name}: nothing on the page matches {missing}"


def foreign_requests(visit: Visit, base_url: str) -> list[str]:
    own = urlsplit(base_url).netloc
    return [url for url in visit.requests if urlsplit(url).netloc != own]


def bytes_before_images(visit: Visit) -> int:
    total = 0
    for response in visit.responses:
        if response.request.resource_type == "image" or 300 <= response.status < 400:
            continue
        headers = sum(len(h["name"]) + len(h["value"]) + 4 for h in response.headers_array())
        total += len(response.body()) + headers
    return total


STRUCTURE_PROBLEMS = """() => {
  const problems = [];
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const mains = document.querySelectorAll('main, [role=main]');
  if (mains.length !== 1) problems.push(`${mains.length} <main> elements`);
  const sectioning = 'article, aside, main, nav, section';
  const banners = [...document.querySelectorAll('header')].filter(h => !h.parentElement.closest(sectioning));
  if (banners.length !== 1) problems.push(`${banners.length} banner headers`);
  const footers = [...document.querySelectorAll('footer')].filter(f => !f.parentElement.closest(sectioning));
  if (footers.length !== 1) problems.push(`${footers.length} contentinfo footers`);
  const navs = [...document.querySelectorAll('nav')];
  if (!navs.some(n => n.getAttribute('aria-label') || n.getAttribute('aria-labelledby')))
    problems.push('no labelled <nav>');
  const skip = document.querySelector('body a[href]');
  if (!skip || skip.getAttribute('href') !== '#main' || !document.querySelector('main#main'))
    problems.push('the first link is not a skip link to <main id="main">');
  const fields = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), select, textarea');
  for (const el of fields) {
    if (!visible(el)) continue;
    const named = (el.labels && [...el.labels].some(l => l.textContent.trim()))
      || (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => {
           const t = id && document.getElementById(id); return t && t.textContent.trim(); });
    if (!named) problems.push(`unlabelled field ${el.outerHTML.slice(0, 120)}`);
  }
  for (const table of document.querySelectorAll('table')) {
    // Phones show tables as stacked blocks; WebKit then keeps their semantics only from ARIA roles.
    const roles = {TABLE: ['table'], THEAD: ['rowgroup'], TBODY: ['rowgroup'], TR: ['row'],
                   TD: ['cell'], TH: ['columnheader', 'rowheader']};
    for (const part of [table, ...table.querySelectorAll('thead, tbody, tr, th, td')])
      if (!roles[part.tagName].includes(part.getAttribute('role')))
        problems.push(`table part without its explicit role: ${part.outerHTML.slice(0, 120)}`);
    const heads = table.querySelectorAll('th');
    if (!heads.length) problems.push(`table without header cells: ${table.outerHTML.slice(0, 120)}`);
    for (const th of heads)
      if (!['col', 'row', 'colgroup', 'rowgroup'].includes(th.getAttribute('scope')))
        problems.push(`header cell without scope: ${th.outerHTML.slice(0, 120)}`);
  }
  for (const img of document.querySelectorAll('img:not([alt])'))
    problems.push(`image without alt: ${img.outerHTML.slice(0, 120)}`);
  return problems;
}"""


# WCAG 3.1.2: Thai text on an English page must say it is Thai, so a screen reader switches voice.
THAI_TEXT_WITHOUT_LANG = """() => {
  const letters = (text, pattern) => (text.match(pattern) || []).length;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: node => node.parentElement.closest('script, style, code')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  let checked = 0;
  const unmarked = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element.getClientRects().length || getComputedStyle(element).visibility === 'hidden')
      continue;
    const thai = letters(node.data, /[\u0e00-\u0e7f]/g);
    if (thai < 3 || thai <= letters(node.data, /[A-Za-z]/g)) continue;
    checked += 1;
    const marked = element.closest('[lang]');
    if (!marked || !marked.getAttribute('lang').toLowerCase().startsWith('th'))
      unmarked.push(node.data.trim().slice(0, 60));
  }
  return {checked, unmarked};
}"""


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_main_page_is_accessible_self_contained_light_and_fits_a_phone(
    main_page: MainPage, language: str, tab, demo_ids: dict[str, str], base_url: str,
) -> None:
    name = f"{language}/{main_page.name}"

    desktop = tab(language, main_page.viewer)
    load(desktop, main_page, demo_ids)
    page = desktop.page
    screenshot(page, f"{name}-1280")
    assert page.locator("html").get_attribute("lang") == language, f"{name}: wrong <html lang>"
    problems = page.evaluate(STRUCTURE_PROBLEMS)
    assert not problems, f"{name}:\n" + "\n".join(problems)
    violations = axe_violations(page)
    assert not violations, f"{name} at 1280 px:\n{describe(violations)}"
    if language == "en":
        thai = page.evaluate(THAI_TEXT_WITHOUT_LANG)
        assert not thai["unmarked"], (
            f"{name}: Thai text without lang=\"th\":\n" + "\n".join(thai["unmarked"])
        )
    assert not foreign_requests(desktop, base_url), (
        f"{name} fetched from another origin: {foreign_requests(desktop, base_url)}"
    )
    weight = bytes_before_images(desktop)
    assert weight < WEIGHT_LIMIT, f"{name} weighs {weight} bytes before images"

    # The same page on a phone: the layout follows the width, what was sent stays the same.
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-360")
    overflow = horizontal_overflow(page)
    assert overflow == 0, f"{name} scrolls {overflow} px sideways at 360 px"
    violations = axe_violations(page)
    assert not violations, f"{name} at 360 px:\n{describe(violations)}"
    assert not foreign_requests(desktop, base_url), (
        f"{name} fetched from another origin on a phone: {foreign_requests(desktop, base_url)}"
    )
    assert not desktop.blocked, f"{name}: the Content-Security-Policy blocked {desktop.blocked}"


FOCUS_OBSCURED = """() => {
  const focused = document.activeElement;
  const box = focused.getClientRects()[0];  // a wrapped link: its first line
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return top && (focused === top || focused.contains(top)) ? null : focused.outerHTML.slice(0, 120);
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_phone_menu_opened_is_accessible_and_never_covers_the_focus(language: str, tab):
    page = tab(language, "member.environment").page
    page.set_viewport_size(PHONE)
    page.goto("/proposals")  # something to focus right at the top of the page
    menu = page.locator("details.menu")
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("navigation")).to_be_visible()
    expect(menu.get_by_role("searchbox")).to_be_visible()
    expect(menu.locator("form[action$='/logout'] button")).to_be_visible()  # log out
    screenshot(page, f"{language}/menu-open-360")
    violations = axe_violations(page)
    assert not violations, f"{language} phone menu:\n{describe(violations)}"
    assert horizontal_overflow(page) == 0
    # Tab through the open menu and on into the page: every focused thing stays in sight.
    presses = menu.locator("a[href], button, input:not([type=hidden])").count() + 1
    for _ in range(presses):
        page.keyboard.press("Tab")
        covered = page.evaluate(FOCUS_OBSCURED)
        assert covered is None, f"{language}: the open menu covers the focused {covered}"
    assert page.evaluate("() => !!document.activeElement.closest('main')"), (
        f"{language}: {presses} Tabs from the menu button did not reach the page"
    )
