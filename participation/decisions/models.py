"""Decision records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.models import Base, enum_type, utcnow
from participation.groups.models import WorkingGroup
from participation.proposals.models import Proposal
from participation.votes.models import Ballot, BallotResult


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballots.id"), unique=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"))
    result: Mapped[BallotResult] = mapped_column(enum_type(BallotResult))
    resolution: Mapped[str] = mapped_column(sa.Text, default="")
    yes_count: Mapped[int]
    no_count: Mapped[int]
    abstain_count: Mapped[int]
    block_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The count per sector when the ballot closed: {"government": {"yes": 2, ...}, ...}.
    tally_by_sector: Mapped[dict[str, Any]] = mapped_column(default=dict)
    quorum: Mapped[int]
    eligible_count: Mapped[int]
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    ballot: Mapped[Ballot] = relationship()
    proposal: Mapped[Proposal] = relationship()
    group: Mapped[WorkingGroup] = relationship()

    @property
    def votes_cast(self) -> int:
        return self.yes_count + self.no_count + self.abstain_count + self.block_count
