"""A working group ready to vote, and a query counter, shared by the vote, decision and
commitment tests."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import g

from participation.accounts.models import User
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole, WorkingGroup
from participation.proposals.models import Proposal, ProposalState


@dataclass
class Committee:
    group: WorkingGroup
    secretary: User
    chair: User
    members: list[User]
    outsider: User
    proposal: Proposal

    @property
    def voters(self) -> list[User]:
        """Everyone with a voting seat: the chair and the members (4 seats, quorum 3)."""
        return [self.chair, *self.members]


def committee(make, *, state: ProposalState = ProposalState.UNDER_CONSIDERATION) -> Committee:
    """A group with a non-voting secretary, a voting chair and three voting members, and a
    proposal in the given state; committed (inside the test's transaction)."""
    group = make.group()
    chair = make.member(group, role=SeatRole.CHAIR)
    members = [make.member(group) for _ in range(3)]
    secretary = make.member(group, role=SeatRole.SECRETARY)
    result = Committee(
        group=group,
        secretary=secretary,
        chair=chair,
        members=members,
        outsider=make.user(),
        proposal=make.proposal(group=group, state=state, title="Publish PM2.5 readings daily"),
    )
    # A view that rolls back after a refusal rolls back to the last commit; in the test
    # transaction a commit only releases a savepoint, so the rows stay for the test.
    db.session.commit()
    return result


def in_days(days: float):
    return utcnow() + timedelta(days=days)


@dataclass
class QueryCount:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries():
    """Count the SQL statements the session's connection runs inside the block."""
    counted = QueryCount()
    target = db.session.get_bind()

    def listener(_conn, _cursor, statement, *_args):
        # Savepoints come from the test's transaction, not from the page.
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            counted.statements.append(statement)

    sa.event.listen(target, "before_cursor_execute", listener)
    try:
        yield counted
    finally:
        sa.event.remove(target, "before_cursor_execute", listener)


def as_user(login, user):
    """Log the test client in as user. The test's app context (and so flask.g, where
    Flask-Login caches the current user) lasts across requests, so forget the cached one."""
    g.pop("_login_user", None)
    return login(user)


def as_visitor(client):
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session.pop("_user_id", None)
    return client
