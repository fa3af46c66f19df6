"""Command line: fill an empty database with the Lampang demo instance."""

from __future__ import annotations

import click
import flask_migrate
import sqlalchemy as sa
from flask.cli import with_appcontext

from participation.core.models import utcnow
from participation.demo.services import (
    DEMO_PASSWORD,
    DemoLogin,
    database_is_empty,
    existing_demo_logins,
    seed_demo,
)
from participation.extensions import db
from participation.mail.models import MailStatus, OutboxMail


@click.command("seed-demo")
@click.option("--force", is_flag=True,
              help="Drop EVERYTHING in the database, recreate the schema, then seed.")
@click.option("--if-empty", is_flag=True,
              help="Seed only an empty database; otherwise do nothing and succeed.")
@with_appcontext
def seed_demo_command(force: bool, if_empty: bool) -> None:
    """Fill the database with the Lampang PM2.5 demo: group, people, proposals, a decision."""
    ctx = click.get_current_context()
    if force and if_empty:
        raise click.UsageError("Use either --force or --if-empty, not both.")
    if not force:
        try:
            empty = database_is_empty()
        except sa.exc.DBAPIError:
            db.session.rollback()
            click.echo("The database has no schema yet. Run `flask --app participation db "
                       "upgrade` first.", err=True)
            ctx.exit(1)
        if not empty:
            if if_empty:
                logins = existing_demo_logins()
                if logins:
                    click.echo("The demo is already loaded.")
                    _print_logins(logins, DEMO_PASSWORD)
                return
            click.echo(
                "The database is not empty (it already has accounts or proposals), so the demo "
                "was not loaded.\nTo replace EVERYTHING in it with the demo, run "
                "`flask --app participation seed-demo --force`.",
                err=True,
            )
            ctx.exit(1)
    if force:
        # Release our connection first: dropping tables waits for every open transaction.
        db.session.remove()
        click.echo("Dropping every table and recreating the schema...")
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade()

    demo = seed_demo(now=utcnow())
    db.session.commit()

    click.echo(f"Demo loaded: {demo.group.name_en}.")
    _print_logins(demo.logins, demo.password)
    queued = db.session.scalar(
        sa.select(sa.func.count()).where(OutboxMail.status == MailStatus.PENDING)
    )
    # Seeding never sends mail: the e-mails wait until an SMTP server is set up.
    click.echo(
        f"{queued} notification e-mails to demo people are queued, not sent. With an SMTP "
        "server configured (PARTICIPATION_MAIL_SERVER, PARTICIPATION_MAIL_PORT), "
        "`flask --app participation send-notifications` sends them."
    )


def _print_logins(logins: list[DemoLogin], password: str) -> None:
    click.echo("Log in with any of these accounts:")
    width = max(len(login.role) for login in logins)
    for login in logins:
        click.echo(f"  {login.role.ljust(width)}  {login.email}")
    click.echo(f"Password for every demo account: {password}")


commands = [seed_demo_command]
