"""Command line: check that the stored accountability log is an unbroken hash chain."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from participation.accountability.services import verify_log

PROBLEMS = {
    "gap": "its number does not follow the entry before it (an entry is missing or inserted)",
    "prev_hash": "its previous-hash field does not match the hash of the entry before it",
    "hash": "its content does not match its hash (the entry was changed after it was written)",
}


@click.command("verify-log")
@with_appcontext
def verify_log_command() -> None:
    """Recompute the accountability log's hash chain and report the first broken entry."""
    result = verify_log()
    if result.ok:
        click.echo(f"The accountability log is intact: {result.entries} entries.")
        click.echo(f"Head hash: {result.head}")
        return
    reason = PROBLEMS.get(result.problem or "", result.problem or "unknown")
    click.echo(
        f"The accountability log is BROKEN at entry {result.first_bad_id}: {reason} "
        f"[{result.problem}].",
        err=True,
    )
    click.echo(
        f"The {result.entries} entries before it verify; the last good hash is {result.head}.",
        err=True,
    )
    raise SystemExit(1)


commands = [verify_log_command]
