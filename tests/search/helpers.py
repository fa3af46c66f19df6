"""Content for the search tests: searches through the real query path, and meetings placed
directly (the meetings and minutes lanes test their own services)."""

from __future__ import annotations

from datetime import timedelta

from participation.core.models import utcnow
from participation.extensions import db
from participation.meetings.models import AgendaItem, Meeting, MinutesStatus
from participation.search import queries
from participation.search.models import DocumentKind, SearchDocument


def found(q: str, *kinds: DocumentKind) -> list[tuple[str, int]]:
    """(kind, object id) of every result of a search, best first."""
    request = queries.SearchRequest(q=q, kinds=frozenset(kinds))
    results = queries.search(request, per_page=100)
    return [(hit.document.kind.value, hit.document.object_id) for hit in results.page.items]


def document(kind: DocumentKind, object_id: int) -> SearchDocument | None:
    return db.session.scalars(
        db.select(SearchDocument).where(
            SearchDocument.kind == kind, SearchDocument.object_id == object_id
        )
    ).one_or_none()


def meeting(make, *, group=None, title="การประชุมคณะทำงาน ครั้งที่ 1/2569", place="ศาลากลางจังหวัดลำปาง",
            items=(), minutes_status=MinutesStatus.DRAFT) -> Meeting:
    """A meeting with agenda items given as (section, title, minutes, resolution)."""
    group = group or make.group()
    row = Meeting(
        group_id=group.id, title=title, starts_at=utcnow() - timedelta(days=3), place=place,
        created_by_id=make.user().id,
    )
    db.session.add(row)
    db.session.flush()
    positions: dict[int, int] = {}
    for section, item_title, minutes, resolution in items:
        positions[section] = positions.get(section, 0) + 1
        db.session.add(AgendaItem(
            meeting_id=row.id, section=section, position=positions[section], title=item_title,
            minutes=minutes, resolution=resolution,
        ))
    db.session.flush()
    if minutes_status != MinutesStatus.DRAFT:
        row.minutes_status = minutes_status
        db.session.flush()
    return row
