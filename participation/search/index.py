"""Keep the search index in step with the content, inside the transaction that changes it.

A session hook (`after_flush`) sees every proposal, comment, decision, commitment, meeting and
agenda item the flush wrote, rebuilds their search documents and upserts or deletes them with
the same connection, so a rolled-back change leaves no trace in the index and a committed one
is findable at once. SQLite's FTS5 table follows the rows through triggers; on PostgreSQL the
upsert writes the weighted tsvector itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from participation.comments.models import Comment
from participation.commitments.models import Commitment
from participation.core.models import UTCDateTime
from participation.decisions.models import Decision
from participation.meetings.models import AgendaItem, Meeting, MinutesStatus
from participation.proposals.models import Proposal, ProposalState
from participation.search import text
from participation.search.models import DocumentKind, SearchDocument

# Every document's body words end with a token for its kind: "\ue000comment". U+E000 is a
# private-use character, which the FTS5 tokenizer keeps inside a token (category Co) and a
# search never yields (text.WORD), so SQLite filters and counts by kind inside the FTS5 index
# instead of reading each matching row.
KIND_MARK = "\ue000"

# Minutes are public, and so searchable, once published (and still after approval).
PUBLIC_MINUTES = frozenset({MinutesStatus.PUBLISHED, MinutesStatus.APPROVED})
TITLE_LENGTH = SearchDocument.__table__.c.title.type.length

# The attributes whose change alters an object's search document; other changes (a support
# count, a timestamp) leave the index alone.
WATCHED: dict[type, tuple[str, ...]] = {
    Proposal: ("title", "body", "state", "group_id", "opened_at", "created_at", "hidden_at"),
    Comment: ("body", "deleted_at", "proposal_id", "created_at", "hidden_at"),
    Decision: ("resolution", "proposal_id", "group_id", "decided_at"),
    Commitment: ("title", "description", "group_id", "created_at"),
    Meeting: ("title", "place", "status", "cancel_reason", "starts_at", "group_id",
              "minutes_status"),
    AgendaItem: ("title", "description", "section", "position", "minutes", "resolution",
                 "meeting_id"),
}
# The document that goes with a deleted row.
DELETED_KINDS: dict[type, DocumentKind] = {
    Proposal: DocumentKind.PROPOSAL,
    Comment: DocumentKind.COMMENT,
    Decision: DocumentKind.DECISION,
    Commitment: DocumentKind.COMMITMENT,
    Meeting: DocumentKind.MEETING,
    AgendaItem: DocumentKind.MINUTES,
}
# Changes to a meeting that alter its minutes' documents too (visibility, group, date).
MEETING_FOR_MINUTES = ("minutes_status", "starts_at", "group_id")
# Changes to an agenda item that alter its meeting's document (which lists the agenda).
ITEM_FOR_MEETING = ("title", "description", "section", "position", "meeting_id")

_COLUMNS = "kind, object_id, parent_id, group_id, title, body, title_terms, body_terms, dated_at"
_UPDATES = ", ".join(
    f"{name} = excluded.{name}"
    for name in ("parent_id", "group_id", "title", "body", "title_terms", "body_terms", "dated_at")
)
_DATED_AT = sa.bindparam("dated_at", type_=UTCDateTime())
UPSERT = {
    "sqlite": sa.text(
        f"INSERT INTO search_documents ({_COLUMNS}) VALUES (:kind, :object_id, :parent_id, "
        ":group_id, :title, :body, :title_terms, :body_terms, :dated_at) "
        f"ON CONFLICT (kind, object_id) DO UPDATE SET {_UPDATES}"
    ).bindparams(_DATED_AT),
    # Title words weigh A and body words D, so ts_rank_cd puts a title match first.
    "postgresql": sa.text(
        f"INSERT INTO search_documents ({_COLUMNS}, tsv) VALUES (:kind, :object_id, :parent_id, "
        ":group_id, :title, :body, :title_terms, :body_terms, :dated_at, "
        "setweight(CAST(:title_positions AS tsvector), 'A') "
        "|| setweight(CAST(:body_positions AS tsvector), 'D')) "
        f"ON CONFLICT (kind, object_id) DO UPDATE SET {_UPDATES}, tsv = excluded.tsv"
    ).bindparams(_DATED_AT),
}
DELETE = sa.text("DELETE FROM search_documents WHERE kind = :kind AND object_id = :object_id")


@dataclass(frozen=True)
class Document:
    """What the index holds for one searchable thing, before its text is segmented."""

    kind: DocumentKind
    object_id: int
    parent_id: int | None
    group_id: int | None
    title: str
    body: str
    dated_at: datetime
    # The words of the title to index when they are not the shown title (minutes: no number).
    title_text: str | None = None

    def row(self, dialect: str) -> dict[str, Any]:
        """The parameters of the upsert: the text as written and as segmented words."""
        title_terms = text.index_terms(self.title if self.title_text is None else self.title_text)
        body_terms = with_kind(text.index_terms(self.body), self.kind)
        row = {
            "kind": self.kind.value,
            "object_id": self.object_id,
            "parent_id": self.parent_id,
            "group_id": self.group_id,
            "title": self.title[:TITLE_LENGTH],
            "body": self.body,
            "title_terms": title_terms,
            "body_terms": body_terms,
            "dated_at": self.dated_at,
        }
        if dialect == "postgresql":
            # Body positions follow the title's, so the two never share a position.
            row["title_positions"] = text.positions(title_terms)
            row["body_positions"] = text.positions(body_terms, first=len(title_terms.split()) + 1)
        return row


def kind_mark(kind: DocumentKind) -> str:
    """The token that marks a document's kind in its body words."""
    return KIND_MARK + kind.value


def with_kind(body_terms: str, kind: DocumentKind) -> str:
    """Body words followed by the kind's mark."""
    return f"{body_terms} {kind_mark(kind)}" if body_terms else kind_mark(kind)


def proposal_document(proposal: Proposal) -> Document | None:
    """A proposal, unless it is a draft (only its author and the secretariat see those) or a
    moderator hid it (restoring it brings its document back)."""
    if proposal.state == ProposalState.DRAFT or proposal.is_hidden:
        return None
    return Document(
        kind=DocumentKind.PROPOSAL, object_id=proposal.id, parent_id=None,
        group_id=proposal.group_id, title=proposal.title, body=proposal.body,
        dated_at=proposal.opened_at or proposal.created_at,
    )


def comment_document(comment: Comment, proposal: Proposal | None) -> Document | None:
    """A comment, unless deleted, hidden, or on a proposal that is no search result itself (a
    draft, a hidden one); its proposal is shown as its title when found."""
    if comment.is_deleted or comment.is_hidden or proposal is None:
        return None
    if proposal.state == ProposalState.DRAFT or proposal.is_hidden:
        return None
    return Document(
        kind=DocumentKind.COMMENT, object_id=comment.id, parent_id=comment.proposal_id,
        group_id=proposal.group_id, title="", body=comment.body, dated_at=comment.created_at,
    )


def decision_document(decision: Decision, proposal: Proposal | None) -> Document | None:
    """A decision, titled by the proposal it decided, with its written resolution."""
    if proposal is None:
        return None
    return Document(
        kind=DocumentKind.DECISION, object_id=decision.id, parent_id=decision.proposal_id,
        group_id=decision.group_id, title=proposal.title, body=decision.resolution or "",
        dated_at=decision.decided_at,
    )


def commitment_document(commitment: Commitment) -> Document:
    """A commitment, with its description."""
    return Document(
        kind=DocumentKind.COMMITMENT, object_id=commitment.id, parent_id=commitment.decision_id,
        group_id=commitment.group_id, title=commitment.title, body=commitment.description or "",
        dated_at=commitment.created_at,
    )


def meeting_document(meeting: Meeting, items: Iterable[AgendaItem]) -> Document:
    """A meeting (cancelled ones too: the page says so), with its place and agenda."""
    agenda = [
        f"{item.number} {item.title}\n{item.description or ''}".strip()
        for item in sorted(items, key=lambda item: (item.section, item.position))
    ]
    body = "\n\n".join(part for part in (meeting.place, *agenda, meeting.cancel_reason) if part)
    return Document(
        kind=DocumentKind.MEETING, object_id=meeting.id, parent_id=None,
        group_id=meeting.group_id, title=meeting.title, body=body, dated_at=meeting.starts_at,
    )


def minutes_document(item: AgendaItem, meeting: Meeting | None) -> Document | None:
    """The minutes and resolution of one agenda item, once the meeting's minutes are public."""
    if meeting is None or meeting.minutes_status not in PUBLIC_MINUTES:
        return None
    body = "\n\n".join(part for part in (item.minutes, item.resolution) if part)
    if not body:
        return None
    return Document(
        kind=DocumentKind.MINUTES, object_id=item.id, parent_id=item.meeting_id,
        group_id=meeting.group_id, title=f"{item.number} {item.title}", body=body,
        dated_at=meeting.starts_at, title_text=item.title,
    )


def write(session: Session, documents: Iterable[Document],
          removed: Iterable[tuple[DocumentKind, int]] = ()) -> None:
    """Upsert the documents and delete the removed ones, on the session's connection."""
    connection = session.connection()
    dialect = connection.dialect.name
    gone = [{"kind": kind.value, "object_id": object_id} for kind, object_id in removed]
    if gone:
        connection.execute(DELETE, gone)
    rows = [document.row(dialect) for document in documents]
    if rows:
        connection.execute(UPSERT[dialect], rows)


# The hook --------------------------------------------------------------------------------


def _changed(obj: object, names: Iterable[str]) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


@dataclass
class _Pending:
    """What one flush asks of the index: keys to rebuild and keys to drop."""

    rebuild: set[tuple[DocumentKind, int]]
    drop: set[tuple[DocumentKind, int]]
    meetings_with_minutes: set[int]


def _collect(session: Session) -> _Pending:
    pending = _Pending(set(), set(), set())
    for obj in session.deleted:
        kind = DELETED_KINDS.get(type(obj))
        if kind is None:
            continue
        # The row is gone: read what the session still holds, never load it again.
        state = sa.inspect(obj)
        pending.drop.add((kind, state.identity[0]))
        if isinstance(obj, AgendaItem) and state.dict.get("meeting_id") is not None:
            pending.rebuild.add((DocumentKind.MEETING, state.dict["meeting_id"]))
    for obj in (*session.new, *session.dirty):
        watched = WATCHED.get(type(obj))
        if watched is None:
            continue
        is_new = obj in session.new
        if not is_new and not _changed(obj, watched):
            continue
        if isinstance(obj, Proposal):
            pending.rebuild.add((DocumentKind.PROPOSAL, obj.id))
            if not is_new and _changed(obj, ("hidden_at",)):
                # Its comments leave the results with it, and come back with it.
                pending.rebuild.update(
                    (DocumentKind.COMMENT, comment_id)
                    for comment_id in session.scalars(
                        sa.select(Comment.id).where(Comment.proposal_id == obj.id)
                    )
                )
            if not is_new and _changed(obj, ("title",)):
                pending.rebuild.update(
                    (DocumentKind.DECISION, decision_id)
                    for decision_id in session.scalars(
                        sa.select(Decision.id).where(Decision.proposal_id == obj.id)
                    )
                )
        elif isinstance(obj, Comment):
            pending.rebuild.add((DocumentKind.COMMENT, obj.id))
        elif isinstance(obj, Decision):
            pending.rebuild.add((DocumentKind.DECISION, obj.id))
        elif isinstance(obj, Commitment):
            pending.rebuild.add((DocumentKind.COMMITMENT, obj.id))
        elif isinstance(obj, Meeting):
            pending.rebuild.add((DocumentKind.MEETING, obj.id))
            if is_new or _changed(obj, MEETING_FOR_MINUTES):
                pending.meetings_with_minutes.add(obj.id)
        elif isinstance(obj, AgendaItem):
            pending.rebuild.add((DocumentKind.MINUTES, obj.id))
            if is_new or _changed(obj, ITEM_FOR_MEETING):
                pending.rebuild.add((DocumentKind.MEETING, obj.meeting_id))
                if not is_new:
                    # A moved item leaves the agenda of the meeting it was on.
                    old = sa.inspect(obj).attrs.meeting_id.history.deleted
                    pending.rebuild.update((DocumentKind.MEETING, m) for m in old if m)
    pending.rebuild -= pending.drop
    return pending


def _items_of(session: Session, meeting_ids: Iterable[int]) -> dict[int, list[AgendaItem]]:
    """The agenda items now in the database (this flush's included), by meeting."""
    by_meeting: dict[int, list[AgendaItem]] = {}
    ids = sorted(set(meeting_ids))
    if ids:
        for item in session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id.in_(ids))):
            by_meeting.setdefault(item.meeting_id, []).append(item)
    return by_meeting


def _build(session: Session, pending: _Pending) -> tuple[list[Document], set]:
    """Build the documents to rebuild; the keys whose document must go are returned too."""
    wanted = pending.rebuild
    meeting_ids = {object_id for kind, object_id in wanted if kind == DocumentKind.MEETING}
    meeting_ids |= pending.meetings_with_minutes
    items = _items_of(session, meeting_ids)
    for meeting_id in pending.meetings_with_minutes:
        wanted.update((DocumentKind.MINUTES, item.id) for item in items.get(meeting_id, []))
    documents, drop = [], set(pending.drop)
    for kind, object_id in sorted(wanted, key=lambda key: (key[0].value, key[1])):
        document = _document(session, kind, object_id, items)
        if document is None:
            drop.add((kind, object_id))
        else:
            documents.append(document)
    return documents, drop


def _live(session: Session, model: type, object_id: int | None) -> Any:
    """The object from the session (or the database), None if missing or being deleted."""
    if object_id is None:
        return None
    obj = session.get(model, object_id)
    return None if obj is None or obj in session.deleted else obj


def _document(session: Session, kind: DocumentKind, object_id: int,
              items: dict[int, list[AgendaItem]]) -> Document | None:
    if kind == DocumentKind.PROPOSAL:
        proposal = _live(session, Proposal, object_id)
        return proposal and proposal_document(proposal)
    if kind == DocumentKind.COMMENT:
        comment = _live(session, Comment, object_id)
        return comment and comment_document(comment, _live(session, Proposal, comment.proposal_id))
    if kind == DocumentKind.DECISION:
        decision = _live(session, Decision, object_id)
        return decision and decision_document(
            decision, _live(session, Proposal, decision.proposal_id)
        )
    if kind == DocumentKind.COMMITMENT:
        commitment = _live(session, Commitment, object_id)
        return commitment and commitment_document(commitment)
    if kind == DocumentKind.MEETING:
        meeting = _live(session, Meeting, object_id)
        if meeting is None:
            return None
        agenda = [item for item in items.get(object_id, []) if item not in session.deleted]
        return meeting_document(meeting, agenda)
    item = _live(session, AgendaItem, object_id)
    return item and minutes_document(item, _live(session, Meeting, item.meeting_id))


def after_flush(session: Session, _flush_context: Any) -> None:
    """Bring the search documents of what this flush wrote up to date, in its transaction."""
    with session.no_autoflush:
        pending = _collect(session)
        if not pending.rebuild and not pending.drop and not pending.meetings_with_minutes:
            return
        documents, drop = _build(session, pending)
        write(session, documents, drop)


def install() -> None:
    """Listen to every session's flushes (once, however often it is called)."""
    if not sa.event.contains(Session, "after_flush", after_flush):
        sa.event.listen(Session, "after_flush", after_flush)


# The whole index ------------------------------------------------------------------------


def all_documents(session: Session, batch: int = 500) -> Iterator[Document]:
    """Every document the content calls for, built from the database in batches."""
    # In creation order: a document's id then follows its object's age, and searches rank the
    # newest matches of each kind first (queries.RANKED_PER_KIND).
    proposals = {p.id: p for p in session.scalars(sa.select(Proposal).order_by(Proposal.id))}
    for proposal in proposals.values():
        document = proposal_document(proposal)
        if document is not None:
            yield document
    for comment in session.scalars(
        sa.select(Comment).where(Comment.deleted_at.is_(None)).order_by(Comment.id)
        .execution_options(yield_per=batch)
    ):
        document = comment_document(comment, proposals.get(comment.proposal_id))
        if document is not None:
            yield document
    for decision in session.scalars(sa.select(Decision).order_by(Decision.id)):
        document = decision_document(decision, proposals.get(decision.proposal_id))
        if document is not None:
            yield document
    for commitment in session.scalars(sa.select(Commitment).order_by(Commitment.id)):
        yield commitment_document(commitment)
    meetings = list(session.scalars(sa.select(Meeting).order_by(Meeting.id)))
    items = _items_of(session, [meeting.id for meeting in meetings])
    for meeting in meetings:
        yield meeting_document(meeting, items.get(meeting.id, []))
        for item in items.get(meeting.id, []):
            document = minutes_document(item, meeting)
            if document is not None:
                yield document


def rebuild(session: Session, batch: int = 500) -> int:
    """Empty the index and fill it again from the content; return how many documents it holds.

    Nothing is committed: the caller commits, so readers see the old index until then."""
    connection = session.connection()
    connection.execute(sa.text("DELETE FROM search_documents"))
    count = 0
    chunk: list[Document] = []
    for document in all_documents(session, batch):
        chunk.append(document)
        if len(chunk) >= batch:
            write(session, chunk)
            count += len(chunk)
            chunk = []
    write(session, chunk)
    if connection.dialect.name == "sqlite":
        # The triggers kept FTS5 in step; rebuilding it from the rows also mends an index that
        # had drifted (rows written while the triggers were missing, say).
        connection.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    return count + len(chunk)
