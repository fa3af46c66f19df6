"""Command line: verify the accountability log's hash chain, against a saved checkpoint too;
publish a signed checkpoint; create the signing key."""

from __future__ import annotations

import atexit
import gc
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext

from participation.accountability import signing
from participation.accountability.services import (
    CheckpointCheck,
    Verification,
    check_checkpoint,
    publish_checkpoint,
    saved_checkpoint,
    verify_log,
)
from participation.core.db import reading_only
from participation.core.models import utcnow
from participation.extensions import db

PROBLEMS = {
    "gap": "its number does not follow the entry before it (an entry is missing or inserted)",
    "prev_hash": "its previous-hash field does not match the hash of the entry before it",
    "hash": "its content does not match its hash (the entry was changed after it was written)",
}


def _report_broken_chain(result: Verification) -> None:
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


def _fail(message: str) -> NoReturn:
    click.echo(f"CHECKPOINT NOT VERIFIED: {message}", err=True)
    raise SystemExit(1)


@click.command("verify-log")
@click.option(
    "--checkpoint", "checkpoint_file", type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint file saved earlier: also prove the current log extends it.",
)
@click.option(
    "--processes", type=click.IntRange(min=1),
    help="How many processes share the work on a long log. [default: on SQLite the cores "
         "this process may use, up to 8; on PostgreSQL 1, as the server checks with its own "
         "parallel workers]",
)
@with_appcontext
def verify_log_command(checkpoint_file: Path | None, processes: int | None) -> None:
    """Recompute the accountability log's hash chain and report the first broken entry; with
    --checkpoint, also prove that the log still holds, unchanged, what the checkpoint signed."""
    # The process ends after the check: the collector's last passes over the app's objects at
    # exit would add a third to the command's start-up time, to free memory the system takes
    # back anyway (the command opens no file that waits for the collector to close it).
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    with reading_only():  # the site keeps writing while the check runs
        if checkpoint_file is not None:
            _verify_checkpoint(checkpoint_file, processes)
            return
        result = verify_log(processes=processes)
    if result.ok:
        click.echo(f"The accountability log is intact: {result.entries} entries.")
        click.echo(f"Head hash: {result.head}")
        return
    _report_broken_chain(result)
    raise SystemExit(1)


def _verify_checkpoint(path: Path, processes: int | None) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _fail(f"the checkpoint file {path} cannot be read ({error}).")
    try:
        saved = signing.parse_checkpoint_file(text)
    except signing.CheckpointFileInvalid as error:
        _fail(f"{path} is not a checkpoint file: {error}.")
    check = check_checkpoint(saved, processes=processes)
    if not check.ok:
        _report_failed_check(check, saved)
    click.echo(f"Checkpoint of {saved.time}, signed by this instance's key "
               f"{signing.fingerprint(saved.public_key)}.")
    click.echo(f"Entries then: {check.entries_then}; entries now: {check.entries_now}.")
    click.echo(f"Entry {saved.entries} still has the head hash {saved.head}; "
               "the whole chain is intact.")
    click.echo("OK: the current log extends the checkpoint (nothing before it was rewritten).")


def _report_failed_check(check: CheckpointCheck, saved: signing.SavedCheckpoint) -> NoReturn:
    if check.problem == "signature":
        _fail("the signature does not match the statement and public key in the file: "
              "the file was altered or forged.")
    if check.problem == "unknown_key":
        _fail(f"the checkpoint is signed by a key this instance never used "
              f"({signing.fingerprint(saved.public_key)}).")
    if check.problem == "chain" and check.chain is not None:
        _report_broken_chain(check.chain)
        _fail("the current log's hash chain is broken, so it cannot extend the checkpoint.")
    if check.problem == "shorter":
        _fail(f"the checkpoint has {check.entries_then} entries but the log now has only "
              f"{check.entries_now}: entries were removed.")
    _fail(f"the log was REWRITTEN: entry {saved.entries} now has the hash {check.found_head}, "
          f"but the checkpoint says {saved.head}. Entries then: {check.entries_then}; "
          f"entries now: {check.entries_now}.")


@click.command("publish-checkpoint")
@with_appcontext
def publish_checkpoint_command() -> None:
    """Sign and publish a checkpoint of the log (run it daily from cron)."""
    try:
        checkpoint = publish_checkpoint(now=utcnow())
    except signing.SigningKeyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    document = saved_checkpoint(checkpoint)
    click.echo(f"Published checkpoint {checkpoint.id}: {checkpoint.entry_count} entries.")
    click.echo(f"Signed statement: {document.statement.decode('utf-8')}")
    click.echo(f"Public key: {checkpoint.public_key}")
    click.echo(f"Signature: {checkpoint.signature}")


@click.command("generate-signing-key")
@with_appcontext
def generate_signing_key_command() -> None:
    """Create the instance's checkpoint-signing key; never replace an existing one."""
    path = signing.key_path()
    try:
        key = signing.create_key_file(path)
    except signing.SigningKeyError as error:
        raise click.ClickException(str(error)) from error
    public_key = signing.public_key_text(key.public_key())
    click.echo(f"Created the signing key {path} (readable by its owner only; keep a backup).")
    click.echo(f"Public key: {public_key}")
    click.echo(f"Fingerprint (SHA-256): {signing.fingerprint(public_key)}")


commands = [verify_log_command, publish_checkpoint_command, generate_signing_key_command]
