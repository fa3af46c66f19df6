"""The public accountability log: the list, one entry, the head hash as JSON, the signed
checkpoints and the keys that sign them."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from participation.accountability import queries, signing
from participation.accountability.models import Checkpoint, LogEntry
from participation.accountability.permissions import can_publish_checkpoint
from participation.accountability.services import head, publish_checkpoint, saved_checkpoint
from participation.accountability.verbs import SUBJECT_TYPES, VERBS, verb_label
from participation.accounts.models import Sector, TwoFactorRole
from participation.answers.models import AnswerState
from participation.commitments.models import CommitmentStatus, Completion
from participation.core.errors import valid_id
from participation.core.i18n import format_date, format_datetime
from participation.core.models import utcnow
from participation.core.views import page_number, require, unit_of_work
from participation.environment.models import DataKind
from participation.evaluations.models import AssessmentKind, OpenedGovernment, ReviewKind
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.meetings.models import AttendanceStatus
from participation.moderation.models import ModerationReason
from participation.moderation.notices import hidden_notice
from participation.proposals.models import ProposalState
from participation.votes.models import BallotKind, BallotResult, ReasonRule

bp = Blueprint("accountability", __name__)

# Where each kind of subject is shown, most specific first; a ballot without a page of its
# own is shown on its proposal's page.
SUBJECT_ENDPOINTS: dict[str, tuple[str, ...]] = {
    "proposal": ("proposals.detail",),
    "ballot": ("votes.detail",),
    "decision": ("decisions.detail",),
    "commitment": ("commitments.detail",),
    "group": ("groups.detail",),
    "kpi": ("kpis.detail",),
    "meeting": ("meetings.detail",),
}


@bp.context_processor
def log_helpers() -> dict[str, Any]:
    return {"verb_label": verb_label}


@dataclass(frozen=True)
class SubjectView:
    """A log entry's subject as shown: its kind, its number, a title and a link if any."""

    kind: str
    number: int
    title: str | None
    url: str | None


def _url_for_id(endpoint: str, ident: int) -> str | None:
    """Build the URL of an endpoint that takes one id argument, if the endpoint exists."""
    if endpoint not in current_app.view_functions:
        return None
    for rule in current_app.url_map.iter_rules(endpoint):
        if len(rule.arguments) == 1:
            (argument,) = rule.arguments
            return url_for(endpoint, **{argument: ident})
    return None


def subject_view(entry: LogEntry, info: queries.SubjectInfo | None) -> SubjectView:
    kind = SUBJECT_TYPES.get(entry.subject_type)
    url = None
    for endpoint in SUBJECT_ENDPOINTS.get(entry.subject_type, ()):
        url = _url_for_id(endpoint, entry.subject_id)
        if url:
            break
    if url is None and entry.subject_type == "ballot" and info and info.proposal_id:
        url = _url_for_id(SUBJECT_ENDPOINTS["proposal"][0], info.proposal_id)
    if entry.subject_type == "comment" and info and info.proposal_id:
        # A comment is shown in its proposal's thread.
        url = url_for("comments.permalink", comment_id=entry.subject_id)
    title = info.title if info else None
    if info is not None and info.hidden_reason is not None:
        title = hidden_notice(info.hidden_reason)
    return SubjectView(
        kind=str(kind) if kind is not None else entry.subject_type,
        number=entry.subject_id,
        title=title,
        url=url,
    )


def _label(enum_class: type[Enum], code: Any) -> str:
    """The translated label of a stored code; the code itself when it is unknown."""
    try:
        return enum_class(code).label  # type: ignore[attr-defined]
    except ValueError:
        return str(code)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def summarise(entry: LogEntry) -> list[str]:
    """Short translated phrases for the codes and numbers an entry's data holds."""
    data = entry.data if isinstance(entry.data, dict) else {}
    parts: list[str] = []
    if "from" in data and "to" in data:
        parts.append(
            _(
                "%(old)s → %(new)s",
                old=_label(ProposalState, data["from"]),
                new=_label(ProposalState, data["to"]),
            )
        )
    if (target := _count(data.get("into"))) is not None:
        parts.append(_("into proposal #%(id)s", id=target))
    if (revision := _count(data.get("revision"))) is not None:
        parts.append(_("revision %(number)s", number=revision))
    if "result" in data:
        parts.append(_label(BallotResult, data["result"]))
    tally = data.get("tally")
    if isinstance(tally, dict):
        parts.append(
            _(
                "yes %(yes)s, no %(no)s, abstain %(abstain)s",
                yes=_count(tally.get("yes")) or 0,
                no=_count(tally.get("no")) or 0,
                abstain=_count(tally.get("abstain")) or 0,
            )
        )
    if isinstance(tally, dict) and (blocks := _count(tally.get("block"))):
        parts.append(ngettext("%(num)s block", "%(num)s blocks", blocks))
    if (quorum := _count(data.get("quorum"))) is not None:
        parts.append(_("quorum %(quorum)s", quorum=quorum))
    if (eligible := _count(data.get("eligible"))) is not None:
        parts.append(ngettext("%(num)s voting seat", "%(num)s voting seats", eligible))
    if (closes_at := _moment(data.get("closes_at"))) is not None:
        parts.append(_("closes %(when)s", when=format_datetime(closes_at)))
    if (percent := _count(data.get("percent"))) is not None:
        parts.append(_("%(percent)s%% complete", percent=percent))
    if "completion" in data:
        parts.append(_label(Completion, data["completion"]))
    if "status" in data and entry.subject_type == "commitment":
        parts.append(_label(CommitmentStatus, data["status"]))
    if (evidence := _count(data.get("evidence_count"))) is not None and evidence:
        parts.append(ngettext("%(num)s evidence link", "%(num)s evidence links", evidence))
    if isinstance(data.get("milestones"), list):
        count = len(data["milestones"])
        parts.append(ngettext("%(num)s milestone", "%(num)s milestones", count))
    if (due := _day(data.get("due_date"))) is not None:
        parts.append(_("due %(date)s", date=format_date(due)))
    if entry.verb == "data.imported":
        parts.append(_label(DataKind, data.get("kind")))
        parts.append(
            _(
                "%(new)s new, %(duplicates)s duplicate, %(rejected)s rejected",
                new=_count(data.get("new")) or 0,
                duplicates=_count(data.get("duplicates")) or 0,
                rejected=_count(data.get("rejected")) or 0,
            )
        )
    value, period = data.get("value"), _day(data.get("period_start"))
    if entry.verb == "kpi.measurement_recorded" and isinstance(value, int | float) and period:
        parts.append(
            _("value %(value)s for %(date)s", value=format_decimal(value), date=format_date(period))
        )
    if "role" in data:
        parts.append(_label(SeatRole, data["role"]))
    if "sector" in data:
        parts.append(_label(Sector, data["sector"]))
    for key, phrase in PARTICIPATION_PHRASES.items():
        if key in data and (text := phrase(entry, data[key])):
            parts.append(text)
    return parts


Phrase = Callable[[LogEntry, Any], str | None]

# What a "kind" code means depends on the event that stored it.
KINDS: dict[str, type[Enum]] = {
    "ballot.opened": BallotKind,
    "progress.confirmed": ReviewKind,
    "progress.disputed": ReviewKind,
    "assessment.recorded": AssessmentKind,
}


def _kind(entry: LogEntry, value: Any) -> str | None:
    enum_class = KINDS.get(entry.verb)
    return _label(enum_class, value) if enum_class is not None else None


def _organisation(entry: LogEntry, value: Any) -> str | None:
    """The agency that answers a proposal: an organisation, or the secretariat (None)."""
    if not entry.verb.startswith("proposal."):
        return None
    if value is None:
        return _("responsible: the secretariat")
    if (number := _count(value)) is not None:
        return _("responsible: organisation #%(id)s", id=number)
    return None


def _sector_quorum(_entry: LogEntry, value: Any) -> str | None:
    if not isinstance(value, dict) or not value:
        return None
    order = {sector.value: position for position, sector in enumerate(Sector)}
    seats = ", ".join(
        f"{_label(Sector, sector)} {count}"
        for sector, count in sorted(value.items(), key=lambda item: (
            order.get(item[0], len(order)), str(item[0])))
        if _count(count) is not None
    )
    return _("sector quorum: %(seats)s", seats=seats) if seats else None


def _weights(_entry: LogEntry, value: Any) -> str | None:
    if not isinstance(value, dict) or not value:
        return None
    # Milestone ids are JSON keys, so text: "10" comes after "9".
    ordered = sorted(value.items(), key=lambda item: (len(str(item[0])), str(item[0])))
    shares = ", ".join(f"#{key} {weight}" for key, weight in ordered)
    # i18n: milestone weights, e.g. "weights: #3 0.250, #4 0.750".
    return _("weights: %(shares)s", shares=shares)


def _on_time(entry: LogEntry, value: Any) -> str | None:
    if value is True:
        return _("answered on time")
    if value is False:
        return _("answered late")
    return None


def _opened_government(entry: LogEntry, value: Any) -> str | None:
    if entry.verb != "assessment.recorded":
        return None
    return _("did it open government? %(level)s", level=_label(OpenedGovernment, value))


def _labelled_for(enum_class: type[Enum], verb: str) -> Phrase:
    """The label of a code, when the given event stored it."""
    return lambda entry, value: _label(enum_class, value) if entry.verb == verb else None

# A phrase for each data key the participation events store, in the order they are shown;
# a phrase is None when the value is missing or not what the key holds.
PARTICIPATION_PHRASES: dict[str, Phrase] = {
    "kind": _kind,
    "state": _labelled_for(AnswerState, "proposal.answered"),
    "reasons": _labelled_for(ReasonRule, "ballot.opened"),
    "secret": lambda _entry, value: _("secret ballot") if value is True else None,
    "hide_results": lambda _entry, value: (
        _("results hidden until the ballot closes") if value is True else None
    ),
    "sector_quorum": _sector_quorum,
    "deputy_id": lambda _entry, value: (
        _("deputy: person #%(id)s", id=value) if _count(value) else None
    ),
    "organisation_id": _organisation,
    "referred_to_id": lambda _entry, value: (
        _("referred to organisation #%(id)s", id=value) if _count(value) else None
    ),
    "merged_into_id": lambda _entry, value: (
        _("merged into proposal #%(id)s", id=value) if _count(value) else None
    ),
    "two_factor_role": lambda _entry, value: _label(TwoFactorRole, value),
    "due_on": lambda _entry, value: (
        _("answer due %(date)s", date=format_date(day)) if (day := _day(value)) else None
    ),
    "answered_on": lambda _entry, value: (
        _("answered %(date)s", date=format_date(day)) if (day := _day(value)) else None
    ),
    "on_time": _on_time,
    "milestone_id": lambda _entry, value: (
        _("milestone #%(id)s", id=value) if _count(value) else None
    ),
    "weights": _weights,
    "weights_cleared": lambda _entry, value: (
        _("milestone weights cleared") if value is True else None
    ),
    "capacity": lambda _entry, value: (
        ngettext("%(num)s place", "%(num)s places", value) if _count(value) is not None else None
    ),
    "starts_at": lambda _entry, value: (
        _("starts %(when)s", when=format_datetime(moment))
        if (moment := _moment(value)) else None
    ),
    "update_id": lambda _entry, value: (
        _("progress update #%(id)s", id=value) if _count(value) else None
    ),
    "opened_government": _opened_government,
    "assessed_on": lambda _entry, value: (
        _("assessed %(date)s", date=format_date(day)) if (day := _day(value)) else None
    ),
}


# Which agenda item, who took the minutes, where they were approved.
def _minutes_only(phrase: Callable[[Any], str | None]) -> Phrase:
    return lambda entry, value: phrase(value) if entry.verb.startswith("minutes.") else None


PARTICIPATION_PHRASES.update({
    "item_number": _minutes_only(lambda value: (
        # i18n: an agenda item's number, e.g. "item 2.1".
        _("item %(number)s", number=value) if isinstance(value, str) else None
    )),
    "minutes_taker_id": _minutes_only(lambda value: (
        _("minutes taker: person #%(id)s", id=value) if _count(value)
        else _("no minutes taker named")
    )),
    "items": _minutes_only(lambda value: (
        ngettext("%(num)s agenda item with minutes", "%(num)s agenda items with minutes", value)
        if _count(value) is not None else None
    )),
    "at_meeting_id": _minutes_only(lambda value: (
        _("approved at meeting #%(id)s", id=value) if _count(value) else None
    )),
})


# Which agenda item and what happened to it, the details changed, attendance.
def _meetings_only(phrase: Callable[[Any], str | None]) -> Phrase:
    return lambda entry, value: phrase(value) if entry.verb.startswith("meeting.") else None


AGENDA_ACTIONS = {
    "add": _l("item added"),
    "edit": _l("item changed"),
    "move": _l("item moved"),
    "remove": _l("item removed"),
}
# i18n: the details of a meeting that were changed, listed in the accountability log.
MEETING_FIELDS = {
    "title": _l("title"),
    "starts_at": _l("start"),
    "ends_at": _l("end"),
    "place": _l("place"),
    "online_url": _l("online link"),
    "guests": _l("guests"),
}


def _attendance(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    counts = []
    for status in AttendanceStatus:
        if count := _count(value.get(status.value)):
            # i18n: an attendance status and its number of seats, e.g. "Present: 5".
            counts.append(_("%(status)s: %(num)s", status=status.label, num=count))
    return ", ".join(counts) or None


def _meeting_fields(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return None
    names = ", ".join(str(MEETING_FIELDS.get(name, name)) for name in value)
    return _("changed: %(fields)s", fields=names)


PARTICIPATION_PHRASES.update({
    "agenda_action": _meetings_only(lambda value: (
        str(AGENDA_ACTIONS[value]) if value in AGENDA_ACTIONS else None
    )),
    "agenda_item": _meetings_only(lambda value: (
        # i18n: an agenda item's number, e.g. "item 2.1".
        _("item %(number)s", number=value) if isinstance(value, str) else None
    )),
    "meeting_fields": _meetings_only(_meeting_fields),
    "attendance": _meetings_only(_attendance),
})


# Moderation lane A1: why a contribution was hidden, and how many reports were closed.
def _moderation_only(phrase: Callable[[Any], str | None]) -> Phrase:
    # Moderation lane A2: a block (user.blocked) has a reason too.
    return lambda entry, value: (
        phrase(value) if entry.verb.startswith("moderation.") or entry.verb == "user.blocked"
        else None
    )


PARTICIPATION_PHRASES.update({
    "reason": _moderation_only(lambda value: (
        _label(ModerationReason, value) if value in set(ModerationReason) else None
    )),
    "reports": _moderation_only(lambda value: (
        ngettext("%(num)s report", "%(num)s reports", value)
        if _count(value) is not None else None
    )),
})
# Moderation lane A2: when a block ends.
PARTICIPATION_PHRASES["until"] = lambda entry, value: (
    _("until %(when)s", when=format_datetime(moment))
    if entry.verb == "user.blocked" and (moment := _moment(value)) is not None else None
)


def _moment(value: Any) -> datetime | None:
    """An aware datetime from stored ISO text, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _filter_from_request() -> queries.LogFilter:
    """Read the filters from the query string, ignoring values that cannot be right."""
    subject_type = request.args.get("subject_type")
    if subject_type not in SUBJECT_TYPES:
        subject_type = None
    subject_id = valid_id(request.args.get("subject_id", type=int))
    verb = request.args.get("verb")
    if verb not in VERBS:
        verb = None
    return queries.LogFilter(
        subject_type=subject_type,
        subject_id=subject_id if subject_type else None,
        verb=verb,
    )


@bp.get("/log")
def index():
    log_filter = _filter_from_request()
    count, head_hash = head()
    page = queries.entries_page(
        log_filter,
        page=page_number(),
        per_page=current_app.config["PER_PAGE"],
        entry_count=count,
    )
    subjects = queries.subjects_of(page.items)
    rows = [
        (entry, subject_view(entry, subjects.get((entry.subject_type, entry.subject_id))),
         summarise(entry))
        for entry in page.items
    ]
    return render_template(
        "accountability/index.html",
        page=page,
        rows=rows,
        log_filter=log_filter,
        entry_count=count,
        head_hash=head_hash,
        verbs=[(code, verb_label(code)) for code in VERBS],
        subject_types=[(code, str(label)) for code, label in SUBJECT_TYPES.items()],
    )


@bp.get("/log/head.json")
def head_json():
    count, head_hash = head()
    return jsonify(entries=count, head=head_hash)


@bp.get("/log/<int:entry_id>")
def detail(entry_id: int):
    if valid_id(entry_id) is None:
        abort(404)
    entry = db.get_or_404(LogEntry, entry_id)
    info = queries.subjects_of([entry]).get((entry.subject_type, entry.subject_id))
    before, after = queries.neighbours(entry.id)
    return render_template(
        "accountability/detail.html",
        entry=entry,
        subject=subject_view(entry, info),
        summary=summarise(entry),
        data_json=json.dumps(entry.data, ensure_ascii=False, indent=2, sort_keys=True),
        corrections=queries.corrections_of(entry.id),
        before=before,
        after=after,
    )


@bp.get("/log/checkpoints")
def checkpoints():
    page = queries.checkpoints_page(page=page_number(), per_page=current_app.config["PER_PAGE"])
    return render_template(
        "accountability/checkpoints.html",
        page=page,
        can_publish=can_publish_checkpoint(current_user),
    )


@bp.post("/log/checkpoints")
def publish():
    require(can_publish_checkpoint(current_user))
    try:
        with unit_of_work():
            checkpoint = publish_checkpoint(now=utcnow())
    except signing.SigningKeyError as error:
        db.session.rollback()
        # The message names the key file, never the key.
        current_app.logger.error("No checkpoint published: %s", error)
        flash(_("The checkpoint could not be signed: the instance's signing key file cannot "
                "be used. The error is in the server's log."), "error")
        return redirect(url_for("accountability.checkpoints"))
    flash(ngettext("Checkpoint published: %(num)s entry signed.",
                   "Checkpoint published: %(num)s entries signed.", checkpoint.entry_count))
    return redirect(url_for("accountability.checkpoints"))


@bp.get("/log/checkpoints/<int:checkpoint_id>.json")
def checkpoint_file(checkpoint_id: int):
    checkpoint = db.get_or_404(Checkpoint, checkpoint_id)
    document = saved_checkpoint(checkpoint).document()
    response = current_app.response_class(
        json.dumps(document, indent=2, sort_keys=True) + "\n", mimetype="application/json"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="log-checkpoint-{checkpoint.id}.json"'
    )
    return response


@dataclass(frozen=True)
class KeyView:
    """A public key as the keys page shows it."""

    public_key: str
    fingerprint: str
    pem: str


def key_view(public_key: str) -> KeyView:
    return KeyView(public_key, signing.fingerprint(public_key), signing.public_key_pem(public_key))


@bp.get("/about/keys")
def keys():
    try:
        current = signing.current_public_key()
    except signing.SigningKeyError as error:
        current_app.logger.error("The signing key cannot be shown: %s", error)
        current = None
    used = queries.signing_keys()
    return render_template(
        "accountability/keys.html",
        current=key_view(current) if current else None,
        used=[(key, signing.fingerprint(key.public_key)) for key in used],
        current_key=current,
    )
