"""Command for cron: send the e-mail outbox (every minute), and the daily digests (--digest)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from participation.core.models import utcnow
from participation.mail.services import DEFAULT_BATCH, send_due


@click.command("send-notifications")
@click.option("--digest", is_flag=True,
              help="First gather each daily-digest reader's notifications into one e-mail.")
@click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_BATCH, show_default=True,
              help="Send at most this many e-mails in this run.")
@with_appcontext
def send_notifications(digest: bool, limit: int) -> None:
    """Send the e-mails that are due over SMTP; failed ones are retried later, none twice."""
    report = send_due(now=utcnow(), limit=limit, digest=digest)
    if digest:
        click.echo(f"Digests queued: {report.digests}.")
    click.echo(
        f"Sent: {report.sent}; to retry later: {report.retrying}; failed: {report.failed}; "
        f"skipped: {report.skipped}; uncertain: {report.uncertain}."
    )
    for error in report.errors:
        click.echo(error, err=True)
    if report.server_down:
        click.echo(f"The mail server could not be reached: {report.server_down}", err=True)
        raise SystemExit(1)


commands = [send_notifications]
