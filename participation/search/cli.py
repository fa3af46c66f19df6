"""Commands for the search index: rebuild it from the content (after an upgrade or a restore)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from flask_babel import ngettext

from participation.extensions import db
from participation.search import index

search_index = AppGroup("search-index", help="Maintain the search index.")


@search_index.command("rebuild")
def rebuild_command() -> None:
    """Index every proposal, comment, decision, commitment, meeting and minutes again."""
    started = time.perf_counter()
    count = index.rebuild(db.session)
    db.session.commit()
    click.echo(ngettext(
        "Indexed %(num)d document in %(seconds).1f s.",
        "Indexed %(num)d documents in %(seconds).1f s.",
        count, seconds=time.perf_counter() - started,
    ))


commands = [search_index]
