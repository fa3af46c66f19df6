"""Numbered pages: every page holds the rows LIMIT/OFFSET would give, in the same number of
queries however deep it is."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from participation.core.pagination import MAX_PAGE, paginate
from participation.extensions import db
from participation.proposals.models import Category, Proposal
from tests.querycount import count_queries, forget_loaded_rows


def categories_with_ties(count: int) -> sa.Select:
    """`count` categories whose positions repeat in threes, sorted by position then newest."""
    for n in range(count):
        db.session.add(Category(name_th=f"หน้า {n}", name_en=f"Paged {n}", position=n // 3))
    db.session.flush()
    return (
        sa.select(Category)
        .where(Category.name_en.like("Paged %"))
        .order_by(Category.position.desc(), Category.id.desc())
    )


def offset_page(statement: sa.Select, page: int, per_page: int) -> list[int]:
    return [c.id for c in db.session.scalars(
        statement.limit(per_page).offset((page - 1) * per_page)
    )]


def test_every_page_holds_the_rows_offset_would_give_in_the_same_order():
    statement = categories_with_ties(23)

    for page in range(1, 6):
        result = paginate(statement, page=page, per_page=5)
        assert [c.id for c in result.items] == offset_page(statement, page, 5)
        assert (result.total, result.pages) == (23, 5)
    last = paginate(statement, page=5, per_page=5)
    assert len(last.items) == 3 and last.has_prev and not last.has_next


def test_a_filter_applies_to_the_rows_and_to_the_count():
    statement = categories_with_ties(12).where(Category.position >= 2)

    result = paginate(statement, page=2, per_page=4)

    assert result.total == 6
    assert [c.id for c in result.items] == offset_page(statement, 2, 4)
    assert all(c.position >= 2 for c in result.items)


def test_a_page_past_the_end_is_empty_and_keeps_the_count():
    statement = categories_with_ties(7)

    result = paginate(statement, page=40, per_page=5)

    assert result.items == [] and result.total == 7 and result.pages == 2
    assert paginate(statement, page=MAX_PAGE * 10, per_page=5).page == MAX_PAGE
    assert paginate(statement, page=-3, per_page=5).page == 1


def test_a_deep_page_runs_the_queries_of_the_first_with_what_it_shows_loaded(make):
    group, category = make.group(), make.category()
    for _ in range(12):
        make.proposal(group=group, category=category)
    db.session.commit()
    statement = (
        sa.select(Proposal)
        .options(joinedload(Proposal.author), joinedload(Proposal.category))
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    )

    def shown(page: int) -> tuple[int, list[str]]:
        forget_loaded_rows()
        with count_queries() as queries:
            result = paginate(statement, page=page, per_page=5)
            # What a list shows of each row, loaded with it: no query per row.
            names = [f"{p.author.display_name} {p.category.name_en}" for p in result.items]
        return len(queries), names

    first, deep = shown(1), shown(3)
    assert first[0] == deep[0] == 2  # the count, and the page's rows with their relations
    assert len(first[1]) == 5 and len(deep[1]) == 2
