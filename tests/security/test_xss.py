"""Cross-site scripting: every payload of the corpus is put into every user-writable field at
once, and every page that shows those fields is read back (HTML pages in both languages, the
Atom feeds, the calendars, the JSON API, the CSV and JSON downloads, the notification e-mail).
A real parser looks for anything the payload could have made executable: an element, an event
handler, a script URL, a style expression, a rendered template expression, a spreadsheet
formula or an injected calendar line. None may appear."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from html.parser import HTMLParser

import icalendar
import pytest
import sqlalchemy as sa
from flask import current_app

from participation.accountability.models import LogEntry
from participation.accounts.models import Organisation, User
from participation.answers import services as answers
from participation.answers.models import Answer, AnswerState
from participation.comments import services as comments
from participation.comments.models import Comment, CommentRevision
from participation.commitments.models import Commitment, Completion, Milestone, ProgressUpdate
from participation.core.models import utcnow
from participation.decisions.models import Decision
from participation.evaluations import services as evaluations
from participation.evaluations.models import Assessment, AssessmentKind, OpenedGovernment, Review
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.kpis import services as kpis
from participation.kpis.models import Kpi, Measurement
from participation.mail.models import MailKind, OutboxMail
from participation.mail.services import compose
from participation.meetings.models import AgendaItem, Attendance, Meeting, MeetingStatus
from participation.minutes import services as minutes
from participation.moderation.models import Report
from participation.notifications.models import Notification
from participation.opendata.datasets import DATASETS
from participation.proposals import services as proposals
from participation.proposals.models import Category, Proposal, ProposalRevision
from participation.search import index as search_index
from participation.volunteering.models import VolunteerTask
from participation.votes.models import Vote
from tests.security.routes import ROUTES
from tests.security.world import World, browse_as, fingerprint, tried, undone
from tests.security.xss_payloads import PAYLOADS, TEMPLATE_RESULTS

LANGUAGES = ("th", "en")

# Elements no user text may ever become; the application's own pages use none of them.
FORBIDDEN_ELEMENTS = frozenset({
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "template",
    "math", "isindex", "animate", "set", "noscript", "xmp", "plaintext",
})
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "background", "poster",
    "codebase", "lowsrc", "dynsrc", "ping", "cite", "values", "to", "from",
})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
# Browsers drop ASCII tabs and line breaks anywhere in a URL and leading spaces and controls.
URL_NOISE = re.compile(r"[\x00-\x20]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExecutableContexts(HTMLParser):
    """Collect what in a document could run script or pull in another document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            self._in_script = True
            source = attributes.get("src", "")
            if not source.startswith("/static/"):
                self.found.append(f"<script src={source!r}>")
        elif tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"<{tag}>")
        elif tag == "meta" and "http-equiv" in attributes:
            self.found.append(f"<meta http-equiv={attributes['http-equiv']!r}>")
        elif tag == "link" and not _same_site(attributes.get("href", "")):
            self.found.append(f"<link href={attributes.get('href')!r}>")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            elif name == "srcdoc":
                self.found.append(f"<{tag} srcdoc>")
            elif name in URL_ATTRIBUTES and _bad_url(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            elif name == "style" and _bad_style(value):
                self.found.append(f"<{tag} style={value!r}>")
            elif name == "attributename" and value.lower() in {"href", "xlink:href"}:
                self.found.append(f"<{tag} attributeName={value!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline script {data.strip()[:40]!r}")


def _same_site(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _bad_url(value: str) -> bool:
    return URL_NOISE.sub("", value).lower().startswith(BAD_SCHEMES)


def _bad_style(value: str) -> bool:
    squeezed = URL_NOISE.sub("", value).lower()
    return any(word in squeezed for word in ("expression(", "javascript:", "url(", "behavior:",
                                             "-moz-binding"))


def html_findings(text: str) -> list[str]:
    """What in an HTML document or fragment could execute."""
    parser = ExecutableContexts()
    parser.feed(text)
    parser.close()
    return parser.found


def template_findings(text: str) -> list[str]:
    """A template expression the application evaluated."""
    secret = current_app.config["SECRET_KEY"]
    found = [result for result in TEMPLATE_RESULTS if result in text]
    if secret in text or "&lt;Config " in text or "<Config " in text:
        found.append("the configuration was rendered")
    return found


def feed_findings(body: bytes) -> list[str]:
    """An Atom feed must stay well-formed XML, and its HTML parts safe HTML."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    found = []
    for element in root.iter():
        kind = element.get("type", "text")
        if kind == "html" and element.text:
            found += html_findings(element.text)
        elif kind == "xhtml":
            found += html_findings(ET.tostring(element, encoding="unicode"))
        if element.tag.endswith("}link") and _bad_url(element.get("href", "")):
            found.append(f"feed link {element.get('href')!r}")
    return found


def calendar_findings(body: bytes, expected_events: int) -> list[str]:
    """No user text may add an event or a property to a calendar."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except ValueError as error:
        return [f"not a valid calendar: {error}"]
    found = []
    events = calendar.walk("VEVENT")
    if len(events) != expected_events:
        found.append(f"{len(events)} events, expected {expected_events}")
    for component in calendar.walk():
        for name in component:
            if name in {"ATTENDEE", "X-RUAM"}:
                found.append(f"injected property {name}")
    return found


def csv_findings(body: bytes) -> list[str]:
    """A spreadsheet must not read any cell as a formula."""
    found = []
    for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")):
        for cell in row:
            if cell.startswith(FORMULA_START) and not _number(cell):
                found.append(f"formula cell {cell[:40]!r}")
    return found


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def json_findings(response) -> list[str]:
    if response.mimetype != "application/json":
        return [f"served as {response.mimetype}"]
    try:
        json.loads(response.get_data(as_text=True))
    except ValueError as error:
        return [f"not valid JSON: {error}"]
    return []


@dataclass
class Scene:
    """The world and what this module adds to it, so that every field has a page."""

    world: World
    cancelled_meeting: int
    ics_events: dict[str, int]


@dataclass(frozen=True)
class Page:
    label: str
    url: Callable[[Scene], str]
    viewer: str = "visitor"
    kind: str = "html"  # html, feed, calendar, csv, json


def _pages() -> list[Page]:
    pages = [
        Page("home", lambda s: "/"),
        Page("proposals", lambda s: "/proposals"),
        Page("proposal", lambda s: f"/proposals/{s.world.proposals['open']}"),
        Page("answered proposal", lambda s: f"/proposals/{s.world.proposals['answerable']}"),
        Page("proposal history", lambda s: f"/proposals/{s.world.proposals['open']}/history"),
        Page("proposal revision", lambda s: f"/proposals/{s.world.proposals['open']}/history/1"),
        Page("comment history", lambda s: f"/comments/{s.world.comments['participant']}/history"),
        Page("decisions", lambda s: "/decisions"),
        Page("decision", lambda s: f"/decisions/{s.world.decisions['adopted']}"),
        Page("commitments", lambda s: "/commitments"),
        Page("commitment", lambda s: f"/commitments/{s.world.commitment}"),
        Page("KPIs", lambda s: "/kpis"),
        Page("KPI", lambda s: f"/kpis/{s.world.kpi}"),
        Page("meetings", lambda s: "/meetings"),
        Page("meeting", lambda s: f"/meetings/{s.world.meeting}"),
        Page("cancelled meeting", lambda s: f"/meetings/{s.cancelled_meeting}"),
        Page("minutes", lambda s: f"/meetings/{s.world.minutes_meetings['published']}/minutes"),
        Page("approved minutes with a correction",
             lambda s: f"/meetings/{s.world.minutes_meetings['approved']}/minutes"),
        Page("log entry", lambda s: "/log/" + str(db.session.scalar(sa.func.max(LogEntry.id)))),
        Page("groups", lambda s: "/groups"),
        Page("group", lambda s: f"/groups/{s.world.group}"),
        Page("group meetings", lambda s: f"/groups/{s.world.group}/meetings"),
        Page("group responsiveness", lambda s: f"/groups/{s.world.group}/responsiveness"),
        Page("organisation responsiveness",
             lambda s: f"/organisations/{s.world.lead_organisation}/responsiveness"),
        Page("volunteer tasks", lambda s: "/volunteer"),
        Page("task", lambda s: f"/tasks/{s.world.task}"),
        Page("ballot", lambda s: f"/ballots/{s.world.open_ballot}", "voting_member"),
        Page("log", lambda s: "/log"),
        Page("search echo", lambda s: "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
        Page("search hits", lambda s: "/search?q=alert"),
        Page("search hits, Thai", lambda s: "/search?q=%E0%B8%9D%E0%B8%B8%E0%B9%88%E0%B8%99"),
        Page("open data", lambda s: "/open-data"),
        Page("notifications", lambda s: "/notifications", "participant"),
        Page("following", lambda s: "/notifications/following", "participant"),
        Page("account", lambda s: "/account", "participant"),
        Page("comment edit form", lambda s: f"/comments/{s.world.comments['participant']}/edit",
             "participant"),
        Page("review form", lambda s: f"/progress/{s.world.progress_update}/review", "author"),
        Page("proposal edit form", lambda s: f"/proposals/{s.world.proposals['open']}/edit",
             "author"),
        Page("merge form", lambda s: f"/proposals/{s.world.proposals['open']}/merge",
             "secretary"),
        Page("meeting edit form", lambda s: f"/meetings/{s.world.meeting}/edit", "secretary"),
        Page("agenda item form",
             lambda s: f"/agenda-items/{s.world.meeting_items['considered']}/edit", "secretary"),
        Page("attendance form", lambda s: f"/meetings/{s.world.meeting}/attendance",
             "secretary"),
        Page("minutes edit form",
             lambda s: f"/meetings/{s.world.minutes_meetings['draft']}/minutes/edit",
             "secretary"),
        Page("resolution form", lambda s: f"/decisions/{s.world.decisions['adopted']}/resolution",
             "secretary"),
        Page("progress form", lambda s: f"/commitments/{s.world.commitment}/progress/new",
             "secretary"),
        Page("task edit form", lambda s: f"/tasks/{s.world.task}/edit", "secretary"),
        Page("KPI edit form", lambda s: f"/kpis/{s.world.kpi}/edit", "secretary"),
        Page("admin", lambda s: "/admin", "admin"),
        Page("admin users", lambda s: "/admin/users", "admin"),
        Page("admin user", lambda s: f"/admin/users/{s.world.users['participant']}", "admin"),
        Page("admin organisations", lambda s: "/admin/organisations", "admin"),
        Page("admin organisation",
             lambda s: f"/admin/organisations/{s.world.other_organisation}", "admin"),
        Page("admin groups", lambda s: "/admin/groups", "admin"),
        Page("admin group form", lambda s: f"/admin/groups/{s.world.group}/edit", "admin"),
        Page("admin seats", lambda s: f"/admin/groups/{s.world.group}/seats", "admin"),
        Page("admin categories", lambda s: "/admin/categories", "admin"),
        Page("admin category form", lambda s: f"/admin/categories/{s.world.category}/edit",
             "admin"),
        # Moderators read reporters' notes and the reported text; blocks name the person.
        Page("moderation queue", lambda s: "/moderation/queue", "moderator"),
        Page("moderation hidden", lambda s: "/moderation/queue?show=hidden", "moderator"),
        Page("moderation blocks", lambda s: "/moderation/blocks", "moderator"),
        Page("block page", lambda s: f"/moderation/users/{s.world.troll}/block", "moderator"),
        Page("report form", lambda s: f"/report/comment/{s.world.comments['participant']}",
             "author"),
        Page("public moderation", lambda s: "/moderation"),
        Page("my data", lambda s: "/account/data", "participant"),
        Page("my data download", lambda s: "/account/data.json", "participant", kind="json"),
        Page("proposals feed", lambda s: "/feeds/proposals.atom", kind="feed"),
        Page("decisions feed", lambda s: "/feeds/decisions.atom", kind="feed"),
        Page("log feed", lambda s: "/feeds/log.atom", kind="feed"),
        Page("commitment feed", lambda s: f"/feeds/commitments/{s.world.commitment}.atom",
             kind="feed"),
        Page("meetings calendar", lambda s: "/feeds/meetings.ics", kind="calendar"),
        Page("ballots calendar", lambda s: "/feeds/ballots.ics", kind="calendar"),
    ]
    for name in DATASETS:
        pages.append(Page(f"{name}.csv", lambda s, n=name: f"/open-data/{n}.csv", kind="csv"))
        pages.append(Page(f"{name}.json", lambda s, n=name: f"/open-data/{n}.json", kind="json"))
        pages.append(Page(f"API {name}", lambda s, n=name: f"/api/v1/{n}", kind="json"))
    return pages


PAGES = _pages()


@pytest.fixture(scope="module")
def scene(world: World, app, module_connection) -> Scene:
    """Give the fields the world leaves empty a row to live in: an official answer, an answered
    dispute, an assessment, a measurement, a cancelled meeting and attendance notes."""
    from tests.security.conftest import session_on

    with app.app_context(), session_on(module_connection):
        now = utcnow()
        people = {role: db.session.get(User, user_id) for role, user_id in world.users.items()}
        answers.answer_proposal(
            proposal=db.session.get(Proposal, world.proposals["answerable"]),
            actor=people["agency_contact"], state=AnswerState.ACCEPTED, body="Accepted.",
            referred_to=None, merged_into=None, now=now,
        )
        evaluations.answer_dispute(review=db.session.get(Review, world.dispute),
                                   actor=people["agency_contact"], answer="Fixed.", now=now)
        evaluations.record_assessment(
            commitment=db.session.get(Commitment, world.commitment),
            author=people["agency_contact"], kind=AssessmentKind.SELF,
            assessed_on=now.date(), completion=Completion.LIMITED,
            opened_government=OpenedGovernment.MARGINAL, explanation="Some villages.", now=now,
        )
        kpis.record_measurement(kpi=db.session.get(Kpi, world.kpi),
                                actor=people["secretary"], period_start=date.today()
                                - timedelta(days=40), value=12.0, source="Report",
                                evidence_url="https://example.org/report", now=now)
        cancelled = Meeting(group_id=world.group, created_by_id=world.users["secretary"],
                            title="Cancelled meeting", starts_at=now + timedelta(days=3),
                            status=MeetingStatus.CANCELLED, cancel_reason="Called away.")
        db.session.add(cancelled)
        db.session.commit()
        scene = Scene(world=world, cancelled_meeting=cancelled.id, ics_events={})
        client = app.test_client()
        for page in PAGES:
            if page.kind == "calendar":
                body = client.get(page.url(scene)).get_data()
                scene.ics_events[page.label] = len(
                    icalendar.Calendar.from_ical(body).walk("VEVENT"))
        return scene


def put_everywhere(scene: Scene, payload: str) -> None:
    """Write the payload into every user-writable field, and go through the services once
    for what they derive from text (log entries, notifications, search documents)."""
    world = scene.world
    short = payload[:50]  # the KPI units are 50 characters long
    plain = {
        Proposal: ("title", "body"), ProposalRevision: ("title", "body"),
        Comment: ("body",), CommentRevision: ("body",), Decision: ("resolution",),
        Commitment: ("title", "description", "status_reason"), Milestone: ("title",),
        ProgressUpdate: ("note", "reason"), Answer: ("body",), Review: ("comment", "answer"),
        Assessment: ("explanation",), Kpi: ("name_en", "name_th", "description"),
        Measurement: ("source",),
        VolunteerTask: ("title", "description", "place"), Vote: ("reason",),
        User: ("display_name",), Report: ("note",),
    }
    for model, columns in plain.items():
        db.session.execute(sa.update(model).values({column: payload for column in columns}))
    db.session.execute(sa.update(Kpi).values(unit_th=short, unit_en=short))
    # Approved minutes cannot change (the database refuses): every other meeting takes it.
    approved = world.minutes_meetings["approved"]
    for model, meeting, columns in (
        (Meeting, Meeting.id, ("title", "place", "guests", "cancel_reason")),
        (AgendaItem, AgendaItem.meeting_id, ("title", "description", "minutes", "resolution")),
        (Attendance, Attendance.meeting_id, ("note",)),
    ):
        db.session.execute(sa.update(model).where(meeting != approved)
                           .values(dict.fromkeys(columns, payload)))
    db.session.execute(sa.update(ProgressUpdate).values(
        evidence=[f"https://example.org/{payload}"]))
    for model in (Review, Measurement):
        db.session.execute(sa.update(model).values(evidence_url=f"https://example.org/?{payload}"))
    db.session.execute(sa.update(Meeting).where(Meeting.id != approved)
                       .values(online_url=f"https://example.org/#{payload}"))
    # Names that must stay unique: one row each.
    for model, row_id in ((Organisation, world.other_organisation), (WorkingGroup, world.group),
                          (Category, world.category)):
        db.session.execute(sa.update(model).where(model.id == row_id).values(name_th=payload))
    for model, row_id in ((Organisation, world.lead_organisation),
                          (Category, world.category)):
        db.session.execute(sa.update(model).where(model.id == row_id).values(name_en=payload))
    db.session.execute(sa.update(WorkingGroup).values(name_en=payload, description=payload))
    db.session.execute(sa.update(Notification).values(
        data={"title": payload, "excerpt": payload, "author": payload}))
    db.session.expire_all()

    now = utcnow()
    author = db.session.get(User, world.users["author"])
    made = proposals.create_proposal(
        author=author, group=db.session.get(WorkingGroup, world.group), title=payload,
        body=payload, category=db.session.get(Category, world.category), submit=True, now=now,
    )
    comments.add_comment(proposal=db.session.get(Proposal, world.proposals["open"]),
                         author=author, body=payload, stance=None, now=now)
    minutes.record_correction(
        meeting=db.session.get(Meeting, approved), actor=db.session.get(User, world.users[
            "secretary"]), item=db.session.get(AgendaItem, world.minutes_items["approved"]),
        text=payload, now=now)
    search_index.rebuild(db.session)
    db.session.commit()
    assert made.id


def notification_mail(scene: Scene) -> EmailMessage:
    """The e-mail the participant gets about their notifications, as the mail service writes
    it."""
    participant = db.session.get(User, scene.world.users["participant"])
    notifications = list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == participant.id)
        .order_by(Notification.id)))
    mail = OutboxMail(user_id=participant.id, kind=MailKind.DIGEST, created_at=utcnow())
    db.session.add(mail)
    db.session.flush()
    return compose(mail, participant, notifications, utcnow())


def page_findings(client, scene: Scene, page: Page, language: str) -> list[str]:
    browse_as(client, scene.world.user(page.viewer))
    url = page.url(scene)
    url += ("&" if "?" in url else "?") + f"lang={language}"
    response = client.get(url)
    if response.status_code != 200:
        return [f"status {response.status_code}"]
    body = response.get_data()
    text = body.decode("utf-8", errors="replace")
    found = template_findings(text)
    if page.kind == "html":
        found += html_findings(text)
    elif page.kind == "feed":
        found += feed_findings(body)
    elif page.kind == "calendar":
        found += calendar_findings(body, scene.ics_events[page.label])
    elif page.kind == "csv":
        found += csv_findings(body)
    elif page.kind == "json":
        found += json_findings(response)
    return found


def languages_of(page: Page, turn: int | None = None) -> tuple[str, ...]:
    """HTML pages in both languages; for the corpus, alternately (payload by payload) to keep
    the run short: every page is still read in both languages, with half the payloads each."""
    if page.kind != "html":
        return ("en",)
    return LANGUAGES if turn is None else (LANGUAGES[turn % 2],)


def test_the_application_pages_themselves_have_no_executable_context(scene, client):
    """The checks must start clean: without a payload no page shows anything they flag (so a
    finding below is the payload's doing)."""
    problems = []
    with undone():
        for page in PAGES:
            for language in languages_of(page):
                for finding in page_findings(client, scene, page, language):
                    problems.append(f"{page.label} ({language}): {finding}")
    assert not problems, "\n".join(problems)
    assert len(PAGES) >= 60


def test_the_checks_catch_what_they_look_for():
    """Each check fails on the thing it guards against, so a pass means something."""
    assert html_findings('<p><img src=x onerror="alert(1)"></p>')
    assert html_findings('<a href="&#106;ava&#x09;script:alert(1)">x</a>')
    assert html_findings("<script>alert(1)</script>")
    assert html_findings('<iframe srcdoc="x"></iframe>')
    assert html_findings('<div style="width:expression(alert(1))">')
    assert html_findings('<svg><animate attributeName="href" values="javascript:alert(1)"/>')
    assert not html_findings('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>')
    assert not html_findings('<script src="/static/js/app.js"></script><a href="/x">x</a>')
    assert csv_findings(b'id,title\r\n1,"=HYPERLINK(""http://e"",""x"")"\r\n')
    assert not csv_findings(b"id,value\r\n1,-2.5\r\n2,'=1+1\r\n")
    assert feed_findings(b"<feed><title>x</feed>")
    assert feed_findings(b'<feed><content type="html">&lt;img src=x onerror=a()&gt;</content>'
                         b"</feed>")
    assert calendar_findings(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE:mailto:e@x\r\n"
                             b"END:VEVENT\r\nEND:VCALENDAR\r\n", 1)


def test_the_corpus_is_broad_and_fits_the_shortest_field():
    assert len(PAYLOADS) >= 40
    assert all(len(payload) <= 80 for payload in PAYLOADS.values())


# Every payload through every field reads 146 pages: about 5 s a payload. The suite runs one
# payload of each kind (and the data downloads only with the payloads aimed at them);
# PARTICIPATION_XSS_FULL=1 runs the whole corpus through every page.
FULL_CORPUS = os.environ.get("PARTICIPATION_XSS_FULL") == "1"
ONE_OF_EACH_KIND = (
    "script tag", "img onerror", "double quote then svg", "textarea end", "CDATA end",
    "markdown javascript link", "markdown image attribute break", "markdown reference link",
    "html entity-encoded scheme", "svg animate href", "iframe srcdoc", "style url javascript",
    "math mglyph style", "noscript title", "jinja config", "formula HYPERLINK",
    "formula plus DDE", "calendar line injection",
)
DATA_KINDS = ("csv", "json")
AIMED_AT_DATA = ("script tag", "formula HYPERLINK", "formula plus DDE")


def corpus_pages(name: str) -> list[Page]:
    if FULL_CORPUS or name in AIMED_AT_DATA:
        return PAGES
    return [page for page in PAGES if page.kind not in DATA_KINDS]


CORPUS = [(turn, name, payload) for turn, (name, payload) in enumerate(PAYLOADS.items())
          if FULL_CORPUS or name in ONE_OF_EACH_KIND]


def test_the_suite_runs_one_payload_of_each_kind():
    assert set(ONE_OF_EACH_KIND) <= set(PAYLOADS)
    assert {page.kind for page in PAGES} - set(DATA_KINDS) <= {
        page.kind for page in corpus_pages("img onerror")}


@pytest.mark.parametrize(("turn", "name", "payload"), CORPUS, ids=[n for _, n, _ in CORPUS])
def test_a_payload_in_every_field_runs_nowhere(turn, name, payload, scene, client):
    problems = []
    with undone():
        put_everywhere(scene, payload)
        for page in corpus_pages(name):
            for language in languages_of(page, turn):
                for finding in page_findings(client, scene, page, language):
                    problems.append(f"{page.label} ({language}): {finding}")
        message = notification_mail(scene)
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        for finding in html_findings(html) + template_findings(html + text):
            problems.append(f"notification e-mail: {finding}")
    assert not problems, "\n".join(problems)


SCRIPT_URLS = (
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "javascript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
)
# The forms that take a link someone else will click, the field, and who posts it.
LINK_FIELDS = (
    ("commitments.post_progress", "evidence", "secretary"),
    ("evaluations.review", "evidence_url", "author"),
    ("kpis.record_measurement", "evidence_url", "secretary"),
    ("meetings.schedule", "online_url", "secretary"),
    ("meetings.edit", "online_url", "secretary"),
)


@pytest.mark.parametrize(("endpoint", "field", "role"), LINK_FIELDS,
                         ids=[endpoint for endpoint, _, _ in LINK_FIELDS])
def test_a_link_field_refuses_script_and_data_addresses(endpoint, field, role, world, client):
    """The pages render stored links as they are, so the forms must keep out every address
    that runs script when clicked."""
    route = ROUTES[endpoint]
    problems = []
    before = fingerprint()
    with tried(before) as effect:  # the form as it is meant to be used does change rows
        browse_as(client, world.user(role))
        client.post(route.url(world), data=route.payload(world, role))
    assert effect.changed, f"{endpoint}: the valid request changed nothing"
    for address in SCRIPT_URLS:
        payload = {**route.payload(world, role), field: address}
        with tried(before) as effect:
            browse_as(client, world.user(role))
            response = client.post(route.url(world), data=payload)
        if response.status_code >= 500 or effect.changed:
            problems.append(f"{address!r}: {response.status_code}, changed {effect.changed}")
    assert not problems, "\n".join(problems)
