"""Command line: import PM2.5 and hotspot files, load district boundaries, write sample data."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from participation.core.errors import DomainError
from participation.core.models import utcnow
from participation.environment import services, synthetic
from participation.environment.geo import DEFAULT_DISTRICTS_FILE
from participation.extensions import db

# Rejected rows printed per file; the rest are counted.
SHOWN_REJECTIONS = 50
# Below this size a file imports in a blink; no progress bar.
PROGRESS_MIN_BYTES = 256 * 1024

language_option = click.option(
    "--lang", default="en", show_default=True,
    help="Language of the summary and of the reasons rows are rejected (th or en).",
)


def print_report(report: services.ImportReport) -> None:
    """Print the counts and the first rejected rows of one import."""
    click.echo(_("  new: %(n)d", n=report.new))
    click.echo(_("  duplicates: %(n)d", n=report.duplicates))
    if report.missing:
        click.echo(_("  missing values (no reading that hour): %(n)d", n=report.missing))
    if report.data_import.kind.value == "hotspots":
        click.echo(_("  outside every district (not stored): %(n)d", n=report.outside))
    click.echo(_("  rejected: %(n)d", n=report.rejected_count))
    for line, reason in report.rejected[:SHOWN_REJECTIONS]:
        click.echo(_("    line %(line)d: %(reason)s", line=line, reason=reason))
    if report.rejected_count > SHOWN_REJECTIONS:
        click.echo(_("    … and %(n)d more", n=report.rejected_count - SHOWN_REJECTIONS))


def run_imports(files: tuple[str, ...], service: Callable[..., services.ImportReport]) -> int:
    """Import each file in its own transaction; return how many were refused."""
    refused = 0
    for name in files:
        click.echo(_("%(file)s:", file=name))
        size = os.path.getsize(name)
        try:
            if size >= PROGRESS_MIN_BYTES:
                with click.progressbar(length=size, label=_("  reading"), file=None) as bar:
                    report = service(stream=name, actor=None, now=utcnow(), progress=bar.update)
            else:
                report = service(stream=name, actor=None, now=utcnow())
        except DomainError as error:
            db.session.rollback()
            refused += 1
            click.echo(_("  refused, nothing imported: %(reason)s", reason=error.message),
                       err=True)
            continue
        except Exception:
            db.session.rollback()
            raise
        db.session.commit()
        print_report(report)
    return refused


def _import_command(name: str, service: Callable[..., services.ImportReport], doc: str):
    @click.command(name, help=doc)
    @click.argument("files", nargs=-1, required=True,
                    type=click.Path(exists=True, dir_okay=False))
    @language_option
    @with_appcontext
    def command(files: tuple[str, ...], lang: str) -> None:
        with force_locale(lang):
            refused = run_imports(files, service)
        if refused:
            raise SystemExit(1)

    return command


import_air_command = _import_command(
    "import-air",
    # Looked up at run time, so that tests can replace the service.
    lambda **kwargs: services.import_air(**kwargs),
    "Import hourly PM2.5 readings: Air4Thai JSON or CSV (station_id,timestamp,pm25). "
    "Importing a file again adds nothing.",
)
import_hotspots_command = _import_command(
    "import-hotspots",
    lambda **kwargs: services.import_hotspots(**kwargs),
    "Import NASA FIRMS VIIRS or MODIS hotspot CSV files, placing each in a district. "
    "Importing a file again adds nothing.",
)


@click.command("load-districts")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def load_districts_command(file: str | None) -> None:
    """Create or update district boundaries from a GeoJSON file (default: the shipped,
    approximate boundaries of Lampang's 13 districts)."""
    result = services.load_districts(Path(file) if file else DEFAULT_DISTRICTS_FILE)
    db.session.commit()
    click.echo(f"Districts: {result.created} created, {result.updated} updated.")


@click.command("write-sample-data")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--seed", type=int, default=2026, show_default=True)
def write_sample_data_command(directory: str, start, end, seed: int) -> None:
    """Write SYNTHETIC PM2.5 (CSV) and VIIRS hotspot files for a date range."""
    first, last = start.date(), end.date()
    paths = synthetic.write_samples(Path(directory), first, last, seed=seed)
    for path in paths:
        click.echo(str(path))


commands = [
    import_air_command,
    import_hotspots_command,
    load_districts_command,
    write_sample_data_command,
]
