"""Ballots and votes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, enum_type, utcnow
from participation.groups.models import Seat, WorkingGroup


class BallotStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"


class BallotResult(LabelledEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_QUORUM = "no_quorum"


class BallotKind(LabelledEnum):
    """The options a ballot offers, chosen when it opens."""

    STANDARD = "standard"  # yes / no / abstain
    CONSENT = "consent"  # agree / abstain / disagree / block


class ReasonRule(LabelledEnum):
    """Whether a vote carries a written reason. A block always needs one."""

    OPTIONAL = "optional"
    REQUIRED = "required"


class VoteChoice(LabelledEnum):
    # On a consent ballot yes reads "agree" and no reads "disagree".
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    BLOCK = "block"


set_labels(
    {
        BallotStatus.OPEN: _l("Voting open"),
        BallotStatus.CLOSED: _l("Closed"),
        BallotResult.ADOPTED: _l("Adopted"),
        BallotResult.REJECTED: _l("Rejected"),
        BallotResult.NO_QUORUM: _l("No quorum"),
        VoteChoice.YES: _l("Yes"),
        VoteChoice.NO: _l("No"),
        VoteChoice.ABSTAIN: _l("Abstain"),
        VoteChoice.BLOCK: _l("Block"),
        BallotKind.STANDARD: _l("Yes / no / abstain"),
        BallotKind.CONSENT: _l("Consent: agree / abstain / disagree / block"),
        ReasonRule.OPTIONAL: _l("A reason is optional"),
        ReasonRule.REQUIRED: _l("Every vote needs a reason"),
    }
)


# On a consent ballot yes reads "agree" and no reads "disagree".
_CONSENT_LABELS = {
    # i18n: a choice on a consent ballot (agree / abstain / disagree / block), not "yes".
    VoteChoice.YES: _l("Agree"),
    # i18n: a choice on a consent ballot; weaker than a block, which rejects the proposal.
    VoteChoice.NO: _l("Disagree"),
}
# The choices of each kind of ballot, in the order they are offered.
KIND_CHOICES = {
    BallotKind.STANDARD: (VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN),
    BallotKind.CONSENT: (VoteChoice.YES, VoteChoice.ABSTAIN, VoteChoice.NO, VoteChoice.BLOCK),
}


def choice_label(kind: BallotKind | str, choice: VoteChoice | str) -> str:
    """The label of a choice on a ballot of this kind ("Agree" for yes on a consent ballot)."""
    choice = VoteChoice(choice)
    if BallotKind(kind) == BallotKind.CONSENT and choice in _CONSENT_LABELS:
        return str(_CONSENT_LABELS[choice])
    return choice.label


class Ballot(Base):
    __tablename__ = "ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"))
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closes_at: Mapped[datetime]
    quorum: Mapped[int]
    kind: Mapped[BallotKind] = mapped_column(
        enum_type(BallotKind), default=BallotKind.STANDARD, server_default="standard"
    )
    reasons: Mapped[ReasonRule] = mapped_column(
        enum_type(ReasonRule), default=ReasonRule.OPTIONAL, server_default="optional"
    )
    # The count and the roll-call stay hidden until the ballot closes.
    hide_results: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A secret ballot never shows how each seat voted, only that it voted.
    secret: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Optional minimum number of votes per sector, {"civil_society": 1, ...}; unmet is no quorum.
    sector_quorum: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[BallotStatus] = mapped_column(enum_type(BallotStatus), default=BallotStatus.OPEN)
    result: Mapped[BallotResult | None] = mapped_column(enum_type(BallotResult))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Opened from a meeting's matter for consideration: its decision is that item's resolution.
    # (use_alter: ballots, decisions and agenda items refer to each other in a circle.)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_items.id", use_alter=True)
    )

    group: Mapped[WorkingGroup] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])

    __table_args__ = (
        # At most one open ballot per proposal, whatever the race.
        sa.Index(
            "uq_ballots_open_proposal",
            "proposal_id",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
        sa.CheckConstraint("quorum >= 1", name="quorum_positive"),
        sa.CheckConstraint("(status = 'closed') = (result IS NOT NULL)", name="closed_has_result"),
    )


class Vote(Base):
    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballots.id"))
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id"))
    voter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    choice: Mapped[VoteChoice] = mapped_column(enum_type(VoteChoice))
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    seat: Mapped[Seat] = relationship()
    voter: Mapped[User] = relationship()

    # One vote per seat per ballot; a member holds one seat per group. voter_id is who actually
    # voted: the holder, or the seat's deputy.
    __table_args__ = (
        sa.UniqueConstraint("ballot_id", "seat_id"),
        sa.CheckConstraint("choice <> 'block' OR reason <> ''", name="block_has_reason"),
    )
