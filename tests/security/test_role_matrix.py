"""Every state-changing route, posted by every role: the refused get 403 (a visitor may be sent
to log in instead) and change nothing; the allowed are let through and their valid request
does what it says."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.security.routes import (
    ADMIN,
    EVERYONE,
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
