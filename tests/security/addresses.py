"""An address for each GET route of the application in the security world: the headers test
visits every one, and the page matrix starts from them."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from werkzeug.routing import MapAdapter, Rule

from participation.privacy.notices import current_notice_version
from tests.security.world import World

# The value of each address parameter in the security world: every GET route is visited.
PARAMETERS: dict[str, Callable[[World], object]] = {
    "user_id": lambda w: w.users["participant"],
    "group_id": lambda w: w.group,
    "proposal_id": lambda w: w.proposals["open"],
    "number": lambda w: 1,
    "ballot_id": lambda w: w.open_ballot,
    "decision_id": lambda w: w.decisions["adopted"],
    "commitment_id": lambda w: w.commitment,
    "comment_id": lambda w: w.comments["participant"],
    "category_id": lambda w: w.category,
    "organisation_id": lambda w: w.lead_organisation,
    "seat_id": lambda w: w.seats["member"],
    "meeting_id": lambda w: w.meeting,
    "item_id": lambda w: next(iter(w.meeting_items.values())),
    "kpi_id": lambda w: w.kpi,
    "task_id": lambda w: w.task,
    "milestone_id": lambda w: w.milestone,
    "update_id": lambda w: w.progress_update,
    "review_id": lambda w: w.dispute,
    "notification_id": lambda w: w.notification,
    "checkpoint_id": lambda w: w.checkpoint,
    "entry_id": lambda w: 1,
    "token": lambda w: "not-a-valid-token",
    "dataset": lambda w: "proposals",
    "name": lambda w: "proposals",
    "fmt": lambda w: "csv",
    "filename": lambda w: "css/site.css",
    # Moderation and privacy: what is reported, and a version of the privacy notice.
    "kind": lambda w: "proposal",
    "content_id": lambda w: w.proposals["open"],
    "version": lambda w: current_notice_version(),
}


def get_rules(app: Flask) -> list[Rule]:
    """Every rule of the application that answers GET, in address order."""
    return [rule for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
            if "GET" in (rule.methods or ())]


def address_of(adapter: MapAdapter, rule: Rule, world: World) -> str:
    """The rule's address with the world's values of its parameters."""
    unknown = rule.arguments - PARAMETERS.keys()
    assert not unknown, f"{rule.rule}: add {sorted(unknown)} to PARAMETERS"
    values = {name: PARAMETERS[name](world) for name in rule.arguments}
    return adapter.build(rule.endpoint, values)


def every_get_address(app: Flask, world: World) -> list[str]:
    """One address for each GET route of the application, with the world's ids."""
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return [address_of(adapter, rule, world) for rule in get_rules(app)]
