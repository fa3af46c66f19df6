"""Over every GET address of the security world: what a visitor reads may be kept by a CDN or
a reverse proxy (except the pages with a form), and nothing a signed-in person reads ever is
(participation/core/caching.py)."""

from __future__ import annotations

import pytest

from tests.security.addresses import every_get_address
from tests.security.world import ROLES, browse_as

# Pages a visitor reads that carry a CSRF token (or a secret of theirs): never kept.
FORM_PAGES = frozenset({"/login", "/register", "/password/forgot"})
# A load balancer asks the server itself.
NEVER_KEPT = frozenset({"/healthz"})


def is_static(address: str) -> bool:
    """Static files are the same for everyone and keep their own rule (core/static.py)."""
    return address.startswith("/static/")


def test_every_page_a_visitor_reads_is_shared_except_those_with_a_form(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # forms get tokens, as in production
    visitor = app.test_client(use_cookies=False)
    problems, shared = [], 0
    for address in every_get_address(app, world):
        if is_static(address):
            continue
        with visitor.get(address) as response:
            if response.status_code != 200:
                assert not response.cache_control.public, address
                continue
            expected = address not in FORM_PAGES | NEVER_KEPT
            if bool(response.cache_control.public) != expected:
                problems.append(f"{address}: {response.headers.get('Cache-Control')}")
            shared += expected
    assert not problems, "\n".join(problems)
    assert shared >= 40  # many pages were really read and shared


@pytest.mark.parametrize("role", [role for role in ROLES if role != "visitor"])
def test_nothing_a_signed_in_person_reads_is_ever_kept(role, world, app, client):
    browse_as(client, world.user(role))
    problems = []
    for address in every_get_address(app, world):
        if is_static(address):
            continue
        with client.get(address) as response:
            control = response.cache_control
            kept_for = (control.max_age, control.s_maxage)
            if control.public or not control.no_store or kept_for != (None, None):
                problems.append(f"{address} ({response.status_code}): "
                                f"{response.headers.get('Cache-Control')}")
    assert not problems, "\n".join(problems)
