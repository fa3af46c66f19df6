"""Resolution texts of decisions, with corrections kept in the accountability log."""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from participation.accountability.models import LogEntry
from participation.accountability.services import record
from participation.accounts.models import User
from participation.core.errors import DomainError, NotAllowed
from participation.decisions.models import Decision
from participation.extensions import db
from participation.groups.permissions import can_manage_group

RESOLUTION_VERBS = ("decision.resolution_recorded", "entry.corrected")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _last_resolution_entry(decision: Decision) -> LogEntry | None:
    entries = db.session.scalars(
        sa.select(LogEntry)
        .where(
            LogEntry.subject_type == "decision",
            LogEntry.subject_id == decision.id,
            LogEntry.verb.in_(RESOLUTION_VERBS),
        )
        .order_by(LogEntry.id.desc())
    )
    for entry in entries:
        if entry.verb == "decision.resolution_recorded" or entry.data.get("field") == "resolution":
            return entry
    return None


def write_resolution(
    *, decision: Decision, actor: User | None, text: str, now: datetime
) -> LogEntry | None:
    """Store the text and log it: the first time as recorded, later as a correction.
    The caller has checked the permission. Return the entry, or None if nothing changed."""
    text = text.strip()
    previous = _last_resolution_entry(decision)
    if previous is not None and text == decision.resolution:
        return None
    decision.resolution = text
    data = {"decision_id": decision.id, "length": len(text), "sha256": _digest(text)}
    if previous is None:
        return record(actor=actor, verb="decision.resolution_recorded", subject_type="decision",
                      subject_id=decision.id, data=data, now=now)
    data.update(field="resolution", previous_sha256=previous.data.get("sha256"))
    return record(actor=actor, verb="entry.corrected", subject_type="decision",
                  subject_id=decision.id, data=data, corrects=previous, now=now)


def record_resolution(*, decision: Decision, actor: User, text: str, now: datetime) -> None:
    """Set the resolution text of a decision (secretariat or chair); log it or its correction."""
    if not can_manage_group(actor, decision.group_id):
        raise NotAllowed(
            _("Only the secretariat or the chair of the group can record the resolution.")
        )
    if not text.strip():
        raise DomainError(_("Write the text of the resolution."), field="text")
    if len(text) > current_app.config["MAX_BODY_LENGTH"]:
        raise DomainError(_("The resolution is too long."), field="text")
    write_resolution(decision=decision, actor=actor, text=text, now=now)
