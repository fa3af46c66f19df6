"""Every GET route: where it is in the world and what each role gets back.

The page matrix reads this table (pages, forms, files, feeds, the API and downloads alike), and
a test fails when the application has a GET route the table does not know. A form's page is at
the address its POST route has in tests/security/routes.py unless the table says otherwise;
any other page is at the address tests/security/addresses.py builds from the world's ids."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Flask

from participation.accounts.models import User
from participation.accounts.tokens import verification_token
from participation.core.models import utcnow
from participation.extensions import db
from tests.security.addresses import address_of, get_rules
from tests.security.routes import (
    ADMIN,
    AUTHOR,
    COMMENTER,
    EVERYONE,
    MANAGERS,
    MODERATORS,
    ROUTES,
    SIGNED_IN,
)
from tests.security.world import ROLES, World


@dataclass(frozen=True)
class Answer:
    """A status, and for a redirect the path it sends to (its query is not compared; a `*`
    in it stands for any characters, such as an id the world chose)."""

    status: int
    location: str | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.location}" if self.location else str(self.status)


SHOWN = Answer(200)
REFUSED = Answer(403)  # a visitor may be sent to log in instead
MISSING = Answer(404)


def sent_to(path: str) -> Answer:
    return Answer(302, path)


def shown_to(roles: frozenset[str], otherwise: Answer = REFUSED) -> dict[str, Answer]:
    """The page for these roles, the other answer for everyone else."""
    return {role: SHOWN if role in roles else otherwise for role in ROLES}


@dataclass(frozen=True)
class Page:
    answers: Mapping[str, Answer]
    # None: the POST route's address for a form, else the address built from the world's ids.
    url: Callable[[World], str] | None = None


PUBLIC = shown_to(EVERYONE)
AGENCY = frozenset({"agency_contact"})
REPORTERS = MANAGERS | AGENCY  # who report a commitment's progress and offer tasks


def signed_in_sent_to(path: str) -> dict[str, Answer]:
    """A page for visitors only: a signed-in person is sent on."""
    return {role: SHOWN if role == "visitor" else sent_to(path) for role in ROLES}


def _verify_url(world: World) -> str:
    person = db.session.get(User, world.users["participant"])
    return f"/verify/{verification_token(person, now=utcnow())}"


def _unsubscribe_page_url(world: World) -> str:
    return ROUTES["mail.unsubscribe"].url(world)


PAGES: dict[str, Page] = {
    # The accountability log and its checkpoints: public.
    "accountability.index": Page(PUBLIC),
    "accountability.detail": Page(PUBLIC),
    "accountability.head_json": Page(PUBLIC),
    "accountability.checkpoints": Page(PUBLIC),
    "accountability.checkpoint_file": Page(PUBLIC),
    "accountability.keys": Page(PUBLIC),
    # Accounts: visitors log in and register (a signed-in person is sent on); the mailed links
    # are their own credential (the participant's address is already confirmed: opening the
    # link again changes nothing); the account pages need a session; the admin pages need an
    # administrator.
    "accounts.login": Page(signed_in_sent_to("/")),
    "accounts.register": Page(signed_in_sent_to("/account")),
    # Nobody has a log-in waiting for its code: visitors go back to the log-in form.
    "accounts.two_factor_login": Page({**signed_in_sent_to("/"), "visitor": sent_to("/login")}),
    "accounts.check_email": Page(PUBLIC),
    "accounts.verify_email": Page(PUBLIC, _verify_url),
    "accounts.forgot_password": Page(PUBLIC),
    "accounts.reset_password": Page(PUBLIC),
    "accounts.account": Page(shown_to(SIGNED_IN)),
    "accounts.change_email": Page(shown_to(SIGNED_IN)),
    "accounts.two_factor_setup": Page(shown_to(SIGNED_IN)),
    "accounts.admin_users": Page(shown_to(ADMIN)),
    "accounts.admin_user": Page(shown_to(ADMIN)),
    "accounts.admin_organisations": Page(shown_to(ADMIN)),
    "accounts.admin_organisation_new": Page(shown_to(ADMIN)),
    "accounts.admin_organisation_edit": Page(shown_to(ADMIN)),
    "accounts.admin_two_factor": Page(shown_to(ADMIN)),
    # Answers: who answers on time is public.
    "answers.group_responsiveness": Page(PUBLIC),
    "answers.organisation_responsiveness": Page(PUBLIC),
    # The API and open data: public.
    "api.index": Page(PUBLIC),
    "api.openapi": Page(PUBLIC),
    "api.items": Page(PUBLIC),
    "api.item": Page(PUBLIC, lambda w: f"/api/v1/proposals/{w.proposals['open']}"),
    "opendata.index": Page(PUBLIC),
    "opendata.datapackage": Page(PUBLIC),
    "opendata.download": Page(PUBLIC),
    # Comments: public history; only their author edits.
    "comments.history": Page(PUBLIC),
    # A comment's lasting address leads everyone to its place in its proposal's thread.
    "comments.permalink": Page({role: sent_to("/proposals/*") for role in ROLES}),
    "comments.edit": Page(shown_to(COMMENTER)),
    # Decisions, commitments and their progress: public pages; the group's chair and
    # secretariat (and, for progress, the lead agency's contact) use the forms.
    "decisions.index": Page(PUBLIC),
    "decisions.detail": Page(PUBLIC),
    "decisions.resolution": Page(shown_to(MANAGERS)),
    "commitments.index": Page(PUBLIC),
    "commitments.detail": Page(PUBLIC),
    "commitments.create": Page(shown_to(MANAGERS)),
    "commitments.add_milestone": Page(shown_to(MANAGERS)),
    "commitments.weights": Page(shown_to(MANAGERS)),
    "commitments.post_progress": Page(shown_to(REPORTERS)),
    "commitments.milestone_completion": Page(shown_to(REPORTERS)),
    # Evaluations: anyone signed in but the report's author reviews it; the lead agency's
    # contact answers disputes and assesses.
    "evaluations.review": Page(shown_to(SIGNED_IN - AGENCY)),
    "evaluations.answer": Page(shown_to(AGENCY)),
    "evaluations.assess": Page(shown_to(AGENCY)),
    # Air quality and its data: a public dashboard; the secretariat and administrators import.
    "environment.dashboard": Page(PUBLIC),
    "environment.upload": Page(shown_to(frozenset({"secretary"}) | ADMIN)),
    # Feeds and calendars: public.
    "feeds.proposals": Page(PUBLIC),
    "feeds.decisions": Page(PUBLIC),
    "feeds.log": Page(PUBLIC),
    "feeds.checkpoints": Page(PUBLIC),
    "feeds.commitment_log": Page(PUBLIC),
    "feeds.ballots_calendar": Page(PUBLIC),
    "meetings.calendar": Page(PUBLIC),
    # Working groups: public pages; administrators manage them and their seats.
    "groups.index": Page(PUBLIC),
    "groups.detail": Page(PUBLIC),
    "groups.admin_index": Page(shown_to(ADMIN)),
    "groups.admin_groups": Page(shown_to(ADMIN)),
    "groups.admin_group_new": Page(shown_to(ADMIN)),
    "groups.admin_group_edit": Page(shown_to(ADMIN)),
    "groups.admin_seats": Page(shown_to(ADMIN)),
    "groups.admin_seat_new": Page(shown_to(ADMIN)),
    "groups.admin_seat_edit": Page(shown_to(ADMIN)),
    # The site itself.
    "home.index": Page(PUBLIC),
    "healthz": Page(PUBLIC),
    "search.index": Page(PUBLIC),
    "static": Page(PUBLIC),
    # KPIs: public; the group's chair and secretariat and administrators define them.
    "kpis.index": Page(PUBLIC),
    "kpis.detail": Page(PUBLIC),
    "kpis.create": Page(shown_to(MANAGERS | ADMIN)),
    "kpis.edit": Page(shown_to(MANAGERS | ADMIN)),
    # E-mail: anyone signed in sets their e-mails; the unsubscribe link is its own credential.
    "mail.preferences": Page(shown_to(SIGNED_IN)),
    "mail.unsubscribe_page": Page(PUBLIC, _unsubscribe_page_url),
    # Meetings and minutes: public once published; the group's chair and secretariat run them.
    "meetings.index": Page(PUBLIC),
    "meetings.detail": Page(PUBLIC),
    "meetings.group_meetings": Page(PUBLIC),
    "meetings.schedule": Page(shown_to(MANAGERS)),
    "meetings.edit": Page(shown_to(MANAGERS)),
    "meetings.cancel": Page(shown_to(MANAGERS)),
    "meetings.add_item": Page(shown_to(MANAGERS)),
    "meetings.edit_item": Page(shown_to(MANAGERS)),
    "meetings.attendance": Page(shown_to(MANAGERS)),
    "minutes.detail": Page(
        PUBLIC, lambda w: f"/meetings/{w.minutes_meetings['published']}/minutes"),
    "minutes.edit": Page(shown_to(MANAGERS)),
    "minutes.approve": Page(shown_to(MANAGERS)),
    "minutes.correct": Page(shown_to(MANAGERS)),
    # Moderation: a public page of counts and reasons; anyone who takes part reports what
    # others wrote (the open proposal is the author's); moderators and administrators keep the
    # queue and the blocks.
    "moderation.public": Page(PUBLIC),
    "moderation.report": Page(shown_to(SIGNED_IN - AUTHOR)),
    "moderation.queue": Page(shown_to(MODERATORS)),
    "moderation.blocks": Page(shown_to(MODERATORS)),
    "moderation.block": Page(shown_to(MODERATORS)),
    # Notifications: one's own, signed in.
    "notifications.index": Page(shown_to(SIGNED_IN)),
    "notifications.following": Page(shown_to(SIGNED_IN)),
    # Privacy: the notice and its versions are public; one's consent, data and deletion are
    # for the signed-in person.
    "privacy.notice": Page(PUBLIC),
    "privacy.notice_version": Page(PUBLIC),
    "privacy.consent": Page(shown_to(SIGNED_IN)),
    "privacy.my_data": Page(shown_to(SIGNED_IN)),
    "privacy.export": Page(shown_to(SIGNED_IN)),
    "privacy.erase": Page(shown_to(SIGNED_IN)),
    # Proposals: public once submitted; anyone signed in proposes; the author edits; the
    # group's chair and secretariat merge and open ballots; administrators keep the categories.
    "proposals.index": Page(PUBLIC),
    "proposals.detail": Page(PUBLIC),
    "proposals.history": Page(PUBLIC),
    "proposals.revision": Page(PUBLIC),
    "proposals.new": Page(shown_to(SIGNED_IN)),
    "proposals.edit": Page(shown_to(AUTHOR)),
    "proposals.merge": Page(shown_to(MANAGERS)),
    "proposals.categories": Page(shown_to(ADMIN)),
    "proposals.category_new": Page(shown_to(ADMIN)),
    "proposals.category_edit": Page(shown_to(ADMIN)),
    "votes.detail": Page(PUBLIC),
    "votes.open_ballot": Page(shown_to(MANAGERS)),
    # Volunteering: public tasks; their organisers edit them.
    "volunteering.index": Page(PUBLIC),
    "volunteering.detail": Page(PUBLIC),
    "volunteering.create": Page(shown_to(REPORTERS)),
    "volunteering.edit": Page(shown_to(REPORTERS)),
}

# A draft is seen by its author, the group's chair and secretariat and administrators; for
# anyone else it does not exist (the answer does not even say that it does).
DRAFT_READERS = AUTHOR | MANAGERS | ADMIN

# More addresses of some routes, where a state changes who may read: (endpoint, page).
STATES: list[tuple[str, Page]] = [
    ("proposals.detail",
     Page(shown_to(DRAFT_READERS, MISSING), lambda w: f"/proposals/{w.proposals['draft']}")),
    ("proposals.history",
     Page(shown_to(DRAFT_READERS, MISSING),
          lambda w: f"/proposals/{w.proposals['draft']}/history")),
    ("proposals.revision",
     Page(shown_to(DRAFT_READERS, MISSING),
          lambda w: f"/proposals/{w.proposals['draft']}/history/1")),
    # The API publishes what the site shows everyone: no drafts.
    ("api.item",
     Page(dict.fromkeys(ROLES, MISSING),
          lambda w: f"/api/v1/proposals/{w.proposals['draft']}")),
    # A draft cannot be reported: its readers are told so, its author may not report their own
    # proposal, a visitor is sent to log in first, and for anyone else it does not exist.
    ("moderation.report",
     Page({**shown_to(DRAFT_READERS - AUTHOR, MISSING), "author": REFUSED, "visitor": REFUSED},
          lambda w: f"/report/proposal/{w.proposals['draft']}")),
    # A hidden comment keeps its place: its history still answers, with the notice.
    ("comments.history",
     Page(PUBLIC, lambda w: f"/comments/{w.moderated_comments['hidden']}/history")),
    # Draft minutes are for the group's chair and secretariat until published.
    ("minutes.detail",
     Page(shown_to(MANAGERS, MISSING),
          lambda w: f"/meetings/{w.minutes_meetings['draft']}/minutes")),
]


def page_addresses(app: Flask, world: World) -> list[tuple[str, str, Page]]:
    """Every page of the table and its states, as (endpoint, address, page)."""
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        rules = {rule.endpoint: rule for rule in get_rules(app)}

        def address(endpoint: str, page: Page) -> str:
            if page.url is not None:
                return page.url(world)
            if endpoint in ROUTES:
                return ROUTES[endpoint].url(world)
            return address_of(adapter, rules[endpoint], world)

        listed = [*PAGES.items(), *STATES]
        return [(endpoint, address(endpoint, page), page) for endpoint, page in listed
                if endpoint in rules]


def get_endpoints(app: Flask) -> set[str]:
    """Every endpoint of the application that answers GET."""
    return {rule.endpoint for rule in get_rules(app)}
