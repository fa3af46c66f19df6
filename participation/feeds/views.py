"""Atom feeds of proposals, decisions, the accountability log and its signed checkpoints; an
iCalendar of ballots."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urljoin, urlsplit

import icalendar
import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from participation.accountability.models import LogEntry
from participation.accountability.queries import subjects_of
from participation.accountability.services import saved_checkpoint
from participation.accountability.signing import fingerprint
from participation.accountability.verbs import verb_label
from participation.accountability.views import subject_view, summarise
from participation.commitments.models import Commitment
from participation.core.i18n import current_language
from participation.extensions import db
from participation.feeds import atom, queries

bp = Blueprint("feeds", __name__)

CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"


def _feed_id(endpoint: str, **values: object) -> str:
    """A stable identifier: the address without the language, the same in every language."""
    return url_for(endpoint, _external=True, **values)


def _link(endpoint: str, **values: object) -> str:
    """An absolute link to a page in the feed's language."""
    return url_for(endpoint, _external=True, lang=current_language(), **values)


def _titled(title: str) -> str:
    """A feed's title as the pages' titles read: what, then the site."""
    return f"{title} · {current_app.config['SITE_NAME']}"


def _feed(endpoint: str, page_url: str, title: str, entries: list[atom.Entry],
          **values: object) -> atom.Feed:
    return atom.Feed(
        id=_feed_id(endpoint, **values),
        title=_titled(title),
        language=current_language(),
        self_url=_link(endpoint, **values),
        page_url=page_url,
        author=current_app.config["SITE_NAME"],
        entries=entries,
    )


def _respond(body: bytes, content_type: str) -> Response:
    """The document, answered with 304 Not Modified to a reader that already has it."""
    response = Response(body, content_type=content_type)
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/feeds/proposals.atom")
def proposals():
    language = current_language()
    entries = [
        atom.Entry(
            id=_feed_id("proposals.detail", proposal_id=item.proposal.id),
            title=atom.user_text(item.proposal.title, language),
            link=_link("proposals.detail", proposal_id=item.proposal.id),
            published=item.proposal.opened_at,
            updated=item.revised_at,
            author=item.proposal.author.display_name,
            summary=atom.user_text(atom.excerpt(item.proposal.body), language),
        )
        for item in queries.newest_proposals()
    ]
    feed = _feed("feeds.proposals", _link("proposals.index"), _("New proposals"), entries)
    return _respond(atom.render(feed), atom.MEDIA_TYPE)


@bp.get("/feeds/decisions.atom")
def decisions():
    language = current_language()
    entries = []
    for decision in queries.newest_decisions():
        summary = [
            decision.result.label,
            _(
                "yes %(yes)s, no %(no)s, abstain %(abstain)s",
                yes=decision.yes_count,
                no=decision.no_count,
                abstain=decision.abstain_count,
            ),
            _("quorum %(quorum)s", quorum=decision.quorum),
            ngettext("%(num)s voting seat", "%(num)s voting seats", decision.eligible_count),
        ]
        resolution = atom.excerpt(decision.resolution) if decision.resolution else ""
        entries.append(
            atom.Entry(
                id=_feed_id("decisions.detail", decision_id=decision.id),
                title=atom.Text(_("Decision on %(title)s", title=decision.proposal.title)),
                link=_link("decisions.detail", decision_id=decision.id),
                related=_link("proposals.detail", proposal_id=decision.proposal_id),
                published=decision.decided_at,
                updated=decision.decided_at,
                author=decision.group.name,
                summary=atom.Text(" · ".join(summary)),
                content=atom.user_text(resolution, language) if resolution else None,
            )
        )
    feed = _feed("feeds.decisions", _link("decisions.index"), _("Decisions"), entries)
    return _respond(atom.render(feed), atom.MEDIA_TYPE)


def _log_entries(entries: list[LogEntry]) -> list[atom.Entry]:
    """Feed entries for log entries: the event, its subject, who, and the chain's hashes."""
    subjects = subjects_of(entries)
    result = []
    for entry in entries:
        subject = subject_view(entry, subjects.get((entry.subject_type, entry.subject_id)))
        subject_text = f"{subject.kind} #{subject.number}"
        if subject.title:
            subject_text = f"{subject_text} {subject.title}"
        event = verb_label(entry.verb)
        summary = " · ".join(summarise(entry))
        actor = entry.actor.display_name if entry.actor is not None else None
        lines = [f"{_('Log entry #%(id)s', id=entry.id)}: {event}"]
        if summary:
            lines.append(f"{_('Summary')}: {summary}")
        lines.append(f"{_('Subject')}: {subject_text}")
        lines.append(f"{_('By')}: {actor or _('system')}")
        if entry.corrects_id is not None:
            lines.append(f"{_('Corrects')}: {_('corrects #%(id)s', id=entry.corrects_id)}")
        lines.append(f"{_('Previous hash')}: {entry.prev_hash}")
        lines.append(f"{_('Hash')}: {entry.hash}")
        result.append(
            atom.Entry(
                id=_feed_id("accountability.detail", entry_id=entry.id),
                title=atom.Text(f"{event} · {subject_text}"),
                link=_link("accountability.detail", entry_id=entry.id),
                related=urljoin(request.host_url, subject.url) if subject.url else None,
                published=entry.created_at,
                updated=entry.created_at,
                author=actor,
                summary=atom.Text(summary or event),
                content=atom.Text("\n".join(lines)),
            )
        )
    return result


@bp.get("/feeds/log.atom")
def log():
    entries = _log_entries(queries.newest_log_entries())
    feed = _feed("feeds.log", _link("accountability.index"), _("Accountability log"), entries)
    return _respond(atom.render(feed), atom.MEDIA_TYPE)


@bp.get("/feeds/checkpoints.atom")
def checkpoints():
    entries = []
    for checkpoint in queries.newest_checkpoints():
        saved = saved_checkpoint(checkpoint)
        summary = ngettext("%(num)s entry, head hash %(hash)s",
                           "%(num)s entries, head hash %(hash)s",
                           checkpoint.entry_count, hash=checkpoint.head_hash)
        lines = [
            summary,
            f"{_('Signed statement')}: {saved.statement.decode('utf-8')}",
            f"{_('Public key')}: {checkpoint.public_key}",
            f"{_('SHA-256 fingerprint')}: {fingerprint(checkpoint.public_key)}",
            f"{_('Signature')}: {checkpoint.signature}",
        ]
        file_url = _feed_id("accountability.checkpoint_file", checkpoint_id=checkpoint.id)
        entries.append(
            atom.Entry(
                id=file_url,
                title=atom.Text(_("Checkpoint #%(id)s", id=checkpoint.id)),
                link=_link("accountability.checkpoints") + f"#checkpoint-{checkpoint.id}",
                published=checkpoint.created_at,
                updated=checkpoint.created_at,
                summary=atom.Text(summary),
                content=atom.Text("\n".join(lines)),
                enclosure=file_url,
                enclosure_type="application/json",
            )
        )
    feed = _feed("feeds.checkpoints", _link("accountability.checkpoints"),
                 _("Log checkpoints"), entries)
    return _respond(atom.render(feed), atom.MEDIA_TYPE)


@bp.get("/feeds/commitments/<int:commitment_id>.atom")
def commitment_log(commitment_id: int):
    title = db.session.scalar(sa.select(Commitment.title).where(Commitment.id == commitment_id))
    if title is None:
        abort(404)
    entries = _log_entries(queries.commitment_entries(commitment_id))
    feed = _feed(
        "feeds.commitment_log",
        _link("commitments.detail", commitment_id=commitment_id),
        _("Accountability log of %(title)s", title=title),
        entries,
        commitment_id=commitment_id,
    )
    return _respond(atom.render(feed), atom.MEDIA_TYPE)


@bp.get("/feeds/ballots.ics")
def ballots_calendar():
    site = current_app.config["SITE_NAME"]
    host = urlsplit(request.host_url).hostname or "localhost"
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{site}//Ballots//{current_language().upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _titled(_("Ballot closing dates")))
    for ballot, title in queries.newest_ballots():
        event = icalendar.Event()
        event.add("uid", f"ballot-{ballot.id}@{host}")
        # When the ballot last changed, so the calendar reads the same until it does.
        event.add("dtstamp", (ballot.closed_at or ballot.opened_at).astimezone(UTC))
        event.add("dtstart", ballot.closes_at.astimezone(UTC))
        event.add("summary", _("Ballot closes: %(title)s", title=title))
        status = [ballot.status.label]
        if ballot.result is not None:
            status.append(ballot.result.label)
        event.add("description", " · ".join(str(part) for part in status))
        event.add("url", _link("proposals.detail", proposal_id=ballot.proposal_id))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return _respond(calendar.to_ical(), CALENDAR_MEDIA_TYPE)
