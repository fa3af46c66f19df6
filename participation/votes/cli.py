"""Commands for ballots: close the ballots whose closing time has passed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import ngettext

from participation.core.models import utcnow
from participation.extensions import db
from participation.votes.services import close_due_ballots


@click.command("close-due-ballots")
@with_appcontext
def close_due_ballots_command() -> None:
    """Close every open ballot whose closing time has passed and record the decisions."""
    decisions = close_due_ballots(now=utcnow())
    db.session.commit()
    click.echo(ngettext("Closed %(num)d ballot.", "Closed %(num)d ballots.", len(decisions)))


commands = [close_due_ballots_command]
