"""Commands for deadlines: log every official answer and every answer to a dispute whose
deadline has passed (for cron, once a day)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import click
from flask.cli import with_appcontext
from flask_babel import ngettext

from participation.answers.services import record_overdue_answers
from participation.core.models import utcnow
from participation.evaluations.services import record_overdue_disputes
from participation.extensions import db


@dataclass(frozen=True)
class DeadlineCheck:
    """One kind of deadline: `run` logs what is newly overdue and returns how many, `report`
    says so in a line for the person or the cron mail."""

    run: Callable[[datetime], int]
    report: Callable[[int], str]


# Each kind of deadline the command checks, in the order it reports them. Another kind is one
# more DeadlineCheck here.
DEADLINE_CHECKS: list[DeadlineCheck] = [
    DeadlineCheck(
        run=record_overdue_answers,
        report=lambda count: ngettext(
            "%(num)d proposal's official answer is newly overdue.",
            "%(num)d proposals' official answers are newly overdue.",
            count,
        ),
    ),
    DeadlineCheck(
        run=record_overdue_disputes,
        report=lambda count: ngettext(
            "%(num)d dispute of a progress update is newly overdue.",
            "%(num)d disputes of progress updates are newly overdue.",
            count,
        ),
    ),
]


def check_deadlines(now: datetime) -> list[str]:
    """Run every deadline check in one transaction (not committed); one report line each."""
    return [check.report(check.run(now)) for check in DEADLINE_CHECKS]


@click.command("check-deadlines")
@with_appcontext
def check_deadlines_command() -> None:
    """Log the official answers and the answers to disputes that have become overdue."""
    lines = check_deadlines(utcnow())
    db.session.commit()
    for line in lines:
        click.echo(line)


commands = [check_deadlines_command]
