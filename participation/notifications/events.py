"""The events that notify followers (or, for a few, the person concerned), with the translated
phrase each is shown as."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# i18n: each phrase names one event that a follower is told about; the subject's title is
# shown beside it ("New comment" — "Ban open burning in Mae Mo").
EVENTS = {
    "comment.posted": _l("New comment"),
    "proposal.state_changed": _l("Proposal moved to a new stage"),
    "ballot.opened": _l("Ballot opened"),
    "decision.recorded": _l("Ballot closed and decision recorded"),
    "commitment.created": _l("Commitment made"),
    "progress.posted": _l("Progress update"),
    "kpi.off_track": _l("KPI off track"),
    "meeting.scheduled": _l("Meeting scheduled"),
    "minutes.published": _l("Minutes published"),
    # Sent to the author of the contribution only, not to followers (moderation lane A1).
    "moderation.hidden": _l("A moderator hid your contribution"),
    "moderation.restored": _l("A moderator restored your contribution"),
}

# Events about the reader's own contribution rather than something they follow.
PERSONAL_EVENTS = frozenset({"moderation.hidden", "moderation.restored"})


def event_label(event: str) -> str:
    label = EVENTS.get(event)
    return str(label) if label is not None else event
