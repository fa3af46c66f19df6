"""Every route, used by every role. POST: the refused get 403 (a visitor may be sent to log in
instead) and change nothing; the allowed are let through and their valid request does what it
says, and an administrator's or moderator's action is written in the accountability log. GET:
each role gets what the page table says (the page, a refusal, a redirect or "not found"), and
reading changes nothing."""

from __future__ import annotations

from fnmatch import fnmatch
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accountability.verbs import VERBS
from participation.extensions import db
from tests.security.pages import (
    MISSING,
    PAGES,
    REFUSED,
    SHOWN,
    STATES,
    Answer,
    get_endpoints,
    page_addresses,
)
from tests.security.routes import (
    ADMIN,
    EVERYONE,
    MODERATORS,
    ROUTES,
    SIGNED_IN,
    state_changing_endpoints,
)
from tests.security.world import ROLES, browse_as, fingerprint, tried


def test_every_state_changing_route_is_in_the_role_table(app):
    """A new POST route must say who may use it here before the suite passes."""
    endpoints = state_changing_endpoints(app)
    assert endpoints - set(ROUTES) == set(), "routes missing from the role table"
    assert set(ROUTES) - endpoints == set(), "the role table names routes that do not exist"


def test_the_role_table_is_consistent():
    for endpoint, route in ROUTES.items():
        assert route.allowed <= EVERYONE, endpoint
        assert route.changers() <= route.allowed, endpoint


def refusal_problem(role: str, response) -> str | None:
    """None when the response is a proper refusal for this role."""
    if response.status_code == 403:
        return None
    if role == "visitor" and response.status_code == 302:
        location = urlsplit(response.headers["Location"])
        if location.path == "/login":
            return None
    return f"expected 403, got {response.status_code} {response.headers.get('Location', '')}"


def problem_of(route, role: str, response, changed: list[str]) -> str | None:
    if role not in route.allowed:
        problem = refusal_problem(role, response)
        if changed:
            problem = f"{problem or 'refused'}, but changed {changed}"
        return problem
    if response.status_code not in (200, 302):
        return f"allowed, but got {response.status_code}"
    if role in route.changers() and not changed:
        return f"allowed, but the valid request changed nothing ({response.status_code})"
    if role not in route.changers() and changed:
        return f"expected no change, but changed {changed}"
    return None


# One test per role, all on the module's one world; every request is undone after it.
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_post_only_where_the_table_allows(role, world, client):
    before = fingerprint()
    problems = []
    for endpoint, route in sorted(ROUTES.items()):
        url = route.url(world)
        with tried(before) as effect:
            browse_as(client, world.user(role))
            response = client.post(url, data=route.payload(world, role))
        problem = problem_of(route, role, response, effect.changed)
        if problem:
            problems.append(f"POST {url} ({endpoint}): {problem}")
    assert not problems, f"as {role}:\n" + "\n".join(problems)


def test_administrators_have_no_power_over_a_group_they_hold_no_seat_in():
    """Being an administrator is about the site, not about a group's decisions."""
    group_actions = {
        endpoint for endpoint, route in ROUTES.items()
        if endpoint.split(".")[0] in {"votes", "decisions", "commitments"}
        or endpoint in {"proposals.start_consideration", "proposals.merge"}
    }
    assert group_actions
    for endpoint in group_actions:
        assert "admin" not in ROUTES[endpoint].allowed, endpoint


def test_only_administrators_use_the_admin_pages(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin") and rule.endpoint in ROUTES:
            assert ROUTES[rule.endpoint].allowed == ADMIN, rule.endpoint


def test_visitors_can_change_nothing_but_their_own_session():
    # Mail lane: whoever holds an e-mail's signed unsubscribe link may use it, signed in or not.
    token_is_the_credential = {"mail.unsubscribe"}
    for endpoint, route in ROUTES.items():
        if endpoint in token_is_the_credential:
            continue
        if "visitor" in route.allowed:
            assert route.allowed == EVERYONE, endpoint
            assert endpoint.startswith("accounts."), endpoint
        else:
            assert route.allowed <= SIGNED_IN


# Role-matrix lane: every GET route, read by every role.
def test_every_get_route_is_in_the_page_table(app):
    """A new page, file or download must say who may read it here before the suite passes."""
    endpoints = get_endpoints(app)
    assert endpoints - set(PAGES) == set(), "GET routes missing from the page table"
    assert set(PAGES) - endpoints == set(), "the page table names routes that do not exist"
    assert {endpoint for endpoint, _page in STATES} <= set(PAGES)


def test_the_page_table_answers_for_every_role_and_agrees_with_the_role_table():
    """A form is shown to those who may send it, or sends them on (a signed-in person asking
    for the log-in form); everyone else is refused, or told there is no such thing."""
    for endpoint, page in [*PAGES.items(), *STATES]:
        assert set(page.answers) == set(ROLES), endpoint
        if endpoint not in ROUTES or page.url is not None:  # not the POST route's address
            continue
        allowed = ROUTES[endpoint].allowed
        for role, answer in page.answers.items():
            if role in allowed:
                assert answer == SHOWN or answer.status == 302, (endpoint, role)
            else:
                assert answer in (REFUSED, MISSING), (endpoint, role)


def answer_problem(expected: Answer, role: str, response) -> str | None:
    """None when the response is the answer the table expects for this role."""
    if expected == REFUSED:
        return refusal_problem(role, response)
    location = response.headers.get("Location")
    got = Answer(response.status_code, urlsplit(location).path if location else None)
    if got == expected or (got.status == expected.status and got.location and expected.location
                           and fnmatch(got.location, expected.location)):
        return None
    return f"expected {expected}, got {got}"


# One test per role on the module's world, like the POST test; rows are compared only after a
# request that sent a write, so reading every page costs one fingerprint.
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_what_the_page_table_says_and_reading_changes_nothing(
    role, world, app, client
):
    pages = page_addresses(app, world)
    before = fingerprint()
    problems = []
    for endpoint, url, page in pages:
        with tried(before) as effect:
            browse_as(client, world.user(role))
            with client.get(url) as response:
                problem = answer_problem(page.answers[role], role, response)
        if effect.changed:
            problem = f"{problem or 'as expected'}, but changed {effect.changed}"
        if problem:
            problems.append(f"GET {url} ({endpoint}): {problem}")
    assert not problems, f"as {role}:\n" + "\n".join(problems)


# Administrative actions that need no entry of their own, and why.
UNLOGGED = {
    # A checkpoint is itself a public, signed statement of the log (/log/checkpoints).
    "accountability.publish",
}


def administrative(route) -> bool:
    """Used only by administrators and moderators: what they do, they answer for in public."""
    return bool(route.allowed) and route.allowed <= MODERATORS


def test_the_unlogged_administrative_actions_exist():
    for endpoint in UNLOGGED:
        assert administrative(ROUTES[endpoint]), endpoint


def test_every_administrative_action_writes_the_accountability_log(world, client):
    """An administrator's or moderator's valid request that changes rows appends at least one
    entry, in their name and with a known verb: no such action ships unlogged."""
    before = fingerprint()
    last = db.session.scalar(sa.select(sa.func.max(LogEntry.id)))
    actions = [(endpoint, route, role) for endpoint, route in sorted(ROUTES.items())
               if administrative(route) and endpoint not in UNLOGGED
               for role in sorted(route.changers())]
    assert len(actions) >= 20
    problems = []
    for endpoint, route, role in actions:
        with tried(before) as effect:
            browse_as(client, world.user(role))
            response = client.post(route.url(world), data=route.payload(world, role))
            entries = db.session.execute(
                sa.select(LogEntry.actor_id, LogEntry.verb).where(LogEntry.id > last)
            ).all()
        if not effect.changed:
            problems.append(f"{endpoint} as {role}: changed nothing ({response.status_code})")
        elif not entries:
            problems.append(f"{endpoint} as {role}: changed {effect.changed} but logged nothing")
        elif {actor for actor, _verb in entries} != {world.user(role)}:
            problems.append(f"{endpoint} as {role}: logged in another name: {entries}")
        problems += [f"{endpoint}: unknown verb {verb}" for _actor, verb in entries
                     if verb not in VERBS]
    assert not problems, "\n".join(problems)
