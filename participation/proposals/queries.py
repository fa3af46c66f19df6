"""Reads about proposals: the filtered list, one proposal with what its page shows, history."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from participation.accounts.models import Sector, User
from participation.accounts.sectors import count_by_sector
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.proposals.models import (
    Category,
    Proposal,
    ProposalRevision,
    ProposalState,
    Support,
)
from participation.proposals.permissions import UNFIT_MERGE_TARGET_STATES

SORTS = ("newest", "supported", "discussed")
# Drafts are private to their author, so the public list never shows them.
LISTED_STATES = tuple(state for state in ProposalState if state != ProposalState.DRAFT)


def visible_proposal() -> sa.ColumnElement[bool]:
    """A proposal no moderator has hidden. Every list, count, feed, dataset and choice of
    proposals keeps to these; a hidden one is reached only by its own page, which shows the
    moderator's notice instead of its text."""
    return Proposal.hidden_at.is_(None)


@dataclass(frozen=True)
class ListFilters:
    """The list's filters, each None when absent or not understood."""

    state: ProposalState | None = None
    category_id: int | None = None
    sector: Sector | None = None
    sort: str = "newest"

    @classmethod
    def from_args(cls, args, categories: list[Category]) -> ListFilters:
        """Read filters from query-string arguments, silently ignoring values that make no
        sense (an old bookmark or a hand-typed address should still show the list)."""
        state = args.get("state", "")
        sector = args.get("sector", "")
        sort = args.get("sort", "")
        try:
            category_id = int(args.get("category", ""))
        except ValueError:
            category_id = None
        return cls(
            state=ProposalState(state) if state in {s.value for s in LISTED_STATES} else None,
            category_id=category_id if category_id in {c.id for c in categories} else None,
            sector=Sector(sector) if sector in {s.value for s in Sector} else None,
            sort=sort if sort in SORTS else "newest",
        )


def _with_list_relations(statement: sa.Select) -> sa.Select:
    return statement.options(
        joinedload(Proposal.category),
        joinedload(Proposal.author),
        joinedload(Proposal.group),
        joinedload(Proposal.organisation),
    )


def list_statement(filters: ListFilters) -> sa.Select:
    """The public list of proposals, filtered and sorted, with what each row shows."""
    # "Not a draft" rather than "in LISTED_STATES" (the same rows): SQLite, with no statistics,
    # would take an IN over states for a selective filter and sort every row, where the sort's
    # index (models: ix_proposals_list_*) walks straight to the page.
    statement = sa.select(Proposal).where(
        Proposal.state != ProposalState.DRAFT, visible_proposal()
    )
    if filters.state is not None:
        statement = statement.where(Proposal.state == filters.state)
    if filters.category_id is not None:
        statement = statement.where(Proposal.category_id == filters.category_id)
    if filters.sector is not None:
        statement = statement.where(Proposal.sector == filters.sector)
    order = {
        "newest": (Proposal.created_at.desc(), Proposal.id.desc()),
        "supported": (Proposal.support_count.desc(), Proposal.created_at.desc(),
                      Proposal.id.desc()),
        "discussed": (Proposal.comment_count.desc(), Proposal.created_at.desc(),
                      Proposal.id.desc()),
    }[filters.sort]
    return _with_list_relations(statement.order_by(*order))


def drafts_of(user: User | None) -> list[Proposal]:
    """The signed-in person's own drafts, newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    statement = (
        sa.select(Proposal)
        .where(Proposal.author_id == user.id, Proposal.state == ProposalState.DRAFT)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    )
    return list(db.session.scalars(_with_list_relations(statement)))


def categories() -> list[Category]:
    return list(db.session.scalars(
        sa.select(Category).order_by(Category.position, Category.name_th, Category.id)
    ))


def groups() -> list[WorkingGroup]:
    return list(db.session.scalars(sa.select(WorkingGroup).order_by(WorkingGroup.id)))


def get_proposal_or_404(proposal_id: int) -> Proposal:
    """One proposal with its category, author, organisation, group and merge target."""
    proposal = db.session.scalar(
        _with_list_relations(sa.select(Proposal).where(Proposal.id == proposal_id))
        .options(joinedload(Proposal.merged_into), joinedload(Proposal.agency))
    )
    if proposal is None:
        abort(404)
    return proposal


def has_supported(user: User | None, proposal_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(
        sa.select(sa.func.count(Support.id))
        .where(Support.proposal_id == proposal_id, Support.user_id == user.id)
    ))


def supports_by_sector(proposal_id: int) -> dict[str, dict[str, int]]:
    """The proposal's supports by the supporter's sector, {sector: {"supports": n}}, in one
    grouped query."""
    rows = db.session.execute(
        sa.select(User.sector, sa.func.count(Support.id))
        .join(User, User.id == Support.user_id)
        .where(Support.proposal_id == proposal_id)
        .group_by(User.sector)
    )
    return count_by_sector((sector, "supports", number) for sector, number in rows)


def revisions(proposal_id: int) -> list[ProposalRevision]:
    """Every saved version of a proposal, newest first, with editor and category."""
    return list(db.session.scalars(
        sa.select(ProposalRevision)
        .where(ProposalRevision.proposal_id == proposal_id)
        .options(joinedload(ProposalRevision.editor), joinedload(ProposalRevision.category))
        .order_by(ProposalRevision.number.desc())
    ))


def revision_or_404(proposal_id: int, number: int) -> ProposalRevision:
    revision = db.session.scalar(
        sa.select(ProposalRevision)
        .where(ProposalRevision.proposal_id == proposal_id, ProposalRevision.number == number)
        .options(joinedload(ProposalRevision.editor), joinedload(ProposalRevision.category))
    )
    if revision is None:
        abort(404)
    return revision


def merge_candidates(proposal: Proposal) -> list[Proposal]:
    """The proposals of the same group that this one may be merged into (hidden ones are no
    place to send a proposal)."""
    return list(db.session.scalars(
        sa.select(Proposal)
        .where(
            Proposal.group_id == proposal.group_id,
            Proposal.id != proposal.id,
            Proposal.state.not_in(UNFIT_MERGE_TARGET_STATES),
            visible_proposal(),
        )
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    ))
