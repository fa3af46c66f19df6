"""The notice readers see in place of a contribution a moderator hid."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from participation.moderation.models import ModerationReason

if TYPE_CHECKING:
    from participation.proposals.models import Proposal


def hidden_notice(reason: ModerationReason | str | None) -> str:
    """"Hidden by a moderator: <reason label>", in the reader's language. Accepts the enum
    member or its stored value (as kept in notification and log data); an unknown or missing
    reason reads as "another reason"."""
    try:
        member = ModerationReason(reason) if reason is not None else ModerationReason.OTHER
    except ValueError:
        member = ModerationReason.OTHER
    return _("Hidden by a moderator: %(reason)s", reason=member.label)


def shown_title(proposal: Proposal) -> str:
    """A proposal's title where a page or a list names it, or the notice once it is hidden."""
    if proposal.hidden_at is not None:
        return hidden_notice(proposal.hidden_reason)
    return proposal.title
