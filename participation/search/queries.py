"""Search: ranked matches of every query word (FTS5 on SQLite, tsquery on PostgreSQL), counts
per kind for the filters, and highlighted snippets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from participation.core.pagination import Page
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.meetings.models import Meeting
from participation.proposals.models import Proposal
from participation.search import index, text
from participation.search.models import DocumentKind, SearchDocument

# Longer searches are refused: nobody types more, and each word is one more condition.
MAX_QUERY_LENGTH = 200
# A snippet shows about this many characters, starting this far before the first match, its
# ends moved up to this far to fall between words.
SNIPPET_LENGTH = 220
SNIPPET_BEFORE = 60
SNIPPET_SLACK = 25
# Characters segmented around a place where a searched word's letters appear, how many such
# places are looked at, and how much of a text is segmented when case folding changes lengths.
SNIPPET_CHUNK = 120
MAX_SNIPPET_PLACES = 40
SNIPPET_SCAN = 2_000

SPACES = re.compile(r"\s+")

# Title words weigh ten times body words (SQLite's bm25 column weights; PostgreSQL's ts_rank_cd
# weighs A, the title, 1.0 and D, the body, 0.1 by default).
_FTS = sa.literal_column("search_fts")
_TSV = sa.literal_column("search_documents.tsv", type_=TSVECTOR)


@dataclass(frozen=True)
class SearchRequest:
    """What the reader asked: the text, the kinds chosen (empty: all) and the page."""

    q: str = ""
    kinds: frozenset[DocumentKind] = frozenset()
    page: int = 1

    @classmethod
    def from_args(cls, args: Any, *, page: int = 1) -> SearchRequest:
        """Read the query string; unknown kinds are ignored, as lists ignore unknown filters."""
        kinds = frozenset(
            DocumentKind(value) for value in args.getlist("type")
            if value in {kind.value for kind in DocumentKind}
        )
        return cls(q=(args.get("q") or "").strip(), kinds=kinds, page=page)

    @property
    def too_long(self) -> bool:
        return len(self.q) > MAX_QUERY_LENGTH


@dataclass
class Hit:
    """One result: its document, group, the page it belongs to (a comment's proposal, an item's
    meeting) and its snippet."""

    document: SearchDocument
    group: WorkingGroup | None
    snippet: Markup
    proposal: Proposal | None = None
    meeting: Meeting | None = None


@dataclass
class Results:
    words: list[str]
    counts: dict[DocumentKind, int] = field(default_factory=dict)
    page: Page = field(default_factory=lambda: Page(items=[], page=1, per_page=1, total=0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def fts_match(words: Iterable[str]) -> str:
    """An FTS5 query finding every word: a compound also as its parts side by side."""
    return " AND ".join(_alternatives(word, '"{}"'.format, " OR ", " ") for word in words)


def ts_query(words: Iterable[str]) -> str:
    """The same as a PostgreSQL tsquery: 'w1' & ('w2' | 'p1' <-> 'p2')."""
    return " & ".join(_alternatives(word, "'{}'".format, " | ", "' <-> '") for word in words)


def _alternatives(word: str, quote: Any, either: str, adjacent: str) -> str:
    # Words hold letters and digits only (text.WORD), so they need no escaping in either syntax.
    pieces = text.parts(word)
    if not pieces:
        return quote(word)
    return f"({quote(word)}{either}{quote(adjacent.join(pieces))})"


def search(request: SearchRequest, *, per_page: int) -> Results:
    """Find the documents holding every word of the search, best first, one page of them:
    two queries (the counts per kind, the page), and two more at most for what results show."""
    words = text.query_words(request.q)
    results = Results(words=words)
    if not words:
        return results
    chosen = request.kinds or frozenset(DocumentKind)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    results.counts = _pg_counts(words) if postgresql else _fts_counts(words)
    rows: list[Any] = []
    if any(results.counts.get(kind) for kind in chosen):
        page_of = _pg_page if postgresql else _fts_page
        offset = (request.page - 1) * per_page
        rows = list(db.session.execute(page_of(words, request.kinds, per_page, offset)))
    total = sum(count for kind, count in results.counts.items() if kind in chosen)
    results.page = Page(items=_hits(rows, words), page=request.page, per_page=per_page,
                        total=total)
    return results


# SQLite: everything but the page's own rows is answered by the FTS5 index, which is much
# faster than reading every matching row to learn its kind.
_FTS_TABLE = sa.table("search_fts", sa.column("rowid"))


def _fts_kinds(match: str, kinds: Iterable[DocumentKind]) -> str:
    marks = " OR ".join(f'"{index.kind_mark(kind)}"' for kind in kinds)
    return f"({match}) AND ({marks})"


def _fts_counts(words: list[str]) -> dict[DocumentKind, int]:
    match = fts_match(words)
    counts = [
        sa.select(sa.func.count())
        .select_from(_FTS_TABLE)
        .where(_FTS.op("MATCH")(_fts_kinds(match, [kind])))
        .scalar_subquery()
        for kind in DocumentKind
    ]
    row = db.session.execute(sa.select(*counts)).one()
    return {kind: count for kind, count in zip(DocumentKind, row, strict=True) if count}


def _fts_page(words: list[str], kinds: frozenset[DocumentKind], limit: int,
              offset: int) -> sa.Select:
    match = fts_match(words)
    if kinds:
        match = _fts_kinds(match, sorted(kinds, key=lambda kind: kind.value))
    score = sa.func.bm25(_FTS, 10.0, 1.0).label("score")
    best = (
        sa.select(_FTS_TABLE.c.rowid.label("id"), score)
        .where(_FTS.op("MATCH")(match))
        .order_by(score, _FTS_TABLE.c.rowid.desc())
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    return (
        sa.select(SearchDocument, WorkingGroup)
        .join(best, best.c.id == SearchDocument.id)
        .outerjoin(WorkingGroup, WorkingGroup.id == SearchDocument.group_id)
        .order_by(best.c.score, SearchDocument.id.desc())
    )


# PostgreSQL: the GIN index finds the rows (a scan does, for a word in a large share of
# them); ts_rank_cd weighs title (A) words 1.0 and body (D) words 0.1. Two separate queries
# beat one that counts and ranks together: each runs in parallel workers, while ranking under
# a GROUP BY happens in one process, after the wide rows are sorted.


def _tsquery(words: list[str]) -> Any:
    return sa.cast(sa.literal(ts_query(words)), TSQUERY)


def _pg_counts(words: list[str]) -> dict[DocumentKind, int]:
    counted = (
        sa.select(SearchDocument.kind, sa.func.count())
        .where(_TSV.op("@@")(_tsquery(words)))
        .group_by(SearchDocument.kind)
    )
    return {kind: count for kind, count in db.session.execute(counted)}


def _pg_page(words: list[str], kinds: frozenset[DocumentKind], limit: int,
             offset: int) -> sa.Select:
    query = _tsquery(words)
    statement = (
        sa.select(SearchDocument, WorkingGroup)
        .outerjoin(WorkingGroup, WorkingGroup.id == SearchDocument.group_id)
        .where(_TSV.op("@@")(query))
        .order_by(sa.func.ts_rank_cd(_TSV, query).desc(), SearchDocument.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if kinds:
        statement = statement.where(
            SearchDocument.kind.in_(sorted(kinds, key=lambda kind: kind.value))
        )
    return statement


def _hits(rows: list[Any], words: list[str]) -> list[Hit]:
    """The results with what their lines show: the proposal a comment is on, the meeting of a
    meeting or of minutes (two queries at most, whatever the page holds)."""
    documents = [document for document, _group in rows]
    proposal_ids = {d.parent_id for d in documents if d.kind == DocumentKind.COMMENT}
    meeting_ids = {d.object_id for d in documents if d.kind == DocumentKind.MEETING}
    meeting_ids |= {d.parent_id for d in documents if d.kind == DocumentKind.MINUTES}
    proposals = _by_id(Proposal, proposal_ids)
    meetings = _by_id(Meeting, meeting_ids)
    hits = []
    for document, group in rows:
        meeting_id = document.object_id if document.kind == DocumentKind.MEETING else None
        if document.kind == DocumentKind.MINUTES:
            meeting_id = document.parent_id
        hits.append(Hit(
            document=document,
            group=group,
            snippet=snippet(document.body, words),
            proposal=proposals.get(document.parent_id)
            if document.kind == DocumentKind.COMMENT else None,
            meeting=meetings.get(meeting_id),
        ))
    return hits


def _by_id(model: type, ids: set[int | None]) -> Mapping[int, Any]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return {row.id: row for row in db.session.scalars(sa.select(model).where(model.id.in_(wanted)))}


# Snippets --------------------------------------------------------------------------------


def _highlighted(word: str, words: frozenset[str]) -> bool:
    """A word of the text answers the search when it was searched, or is a compound one of
    whose parts was (ไฟป่า for ป่า)."""
    return word in words or any(part in words for part in text.parts(word))


def snippet(body: str, words: Iterable[str]) -> Markup:
    """About two lines of the text around its first match, the words found in <mark>, escaped.

    Segmenting a whole text would take milliseconds per result, so only the stretches of text
    where a searched word appears as letters are segmented, to tell whether it is a word there
    ("ตา" is in "ตาม" but is not a word there) and where that word begins and ends."""
    prepared = text.prepare(body)
    if not prepared.strip():
        return Markup("")
    wanted = frozenset(words)
    marks = _matches(prepared, wanted)
    anchor = marks[0][0] if marks else 0
    start, end = _window(prepared, anchor)
    pieces: list[Any] = ["… "] if prepared[:start].strip() else []
    cursor = start
    for mark_start, mark_end in marks:
        if mark_start < start or mark_end > end:
            continue
        pieces += [
            escape(SPACES.sub(" ", prepared[cursor:mark_start])),
            Markup("<mark>{}</mark>").format(prepared[mark_start:mark_end]),
        ]
        cursor = mark_end
    pieces.append(escape(SPACES.sub(" ", prepared[cursor:end].rstrip())))
    if prepared[end:].strip():
        pieces.append(" …")
    return Markup("").join(pieces)


def _matches(prepared: str, wanted: frozenset[str]) -> list[tuple[int, int]]:
    """Where the searched words are in the text, in order; adjacent ones joined."""
    # Case and Thai digits are folded as the index folds them (the same length: "ß" aside).
    folded = prepared.casefold().translate(text.THAI_DIGITS)
    if len(folded) != len(prepared):
        return _joined(_words_found(prepared, 0, min(len(prepared), SNIPPET_SCAN), wanted))
    # A searched compound may be written as its parts, with a space between: look for the
    # first part too.
    looked_for = wanted | {pieces[0] for pieces in map(text.parts, wanted) if pieces}
    places = sorted(
        at for word in looked_for for at in _occurrences(folded, word)
    )[:MAX_SNIPPET_PLACES]
    found: set[tuple[int, int]] = set()
    done_until = -1
    for at in places:
        if at < done_until:
            continue
        # The white-space-delimited stretch holding the letters and the next one (where the
        # rest of a compound written in parts would be), bounded for long Thai runs.
        low = max(_space_before(prepared, at), at - SNIPPET_CHUNK)
        high = min(_space_after(prepared, _space_after(prepared, at) + 1), at + SNIPPET_CHUNK)
        found.update(_words_found(prepared, low, high, wanted))
        done_until = high
    return _joined(sorted(found))


def _occurrences(folded: str, word: str) -> Iterator[int]:
    at = folded.find(word)
    while at >= 0:
        yield at
        at = folded.find(word, at + len(word))


def _words_found(
    prepared: str, low: int, high: int, wanted: frozenset[str]
) -> list[tuple[int, int]]:
    """The searched words between low and high: words, compounds holding one, and a searched
    compound's parts written side by side (หมอก ควัน for หมอกควัน)."""
    spans = text.spans(prepared[low:high])
    found = [
        (low + span.start, low + span.end) for span in spans if _highlighted(span.word, wanted)
    ]
    for pieces in filter(None, map(text.parts, wanted)):
        size = len(pieces)
        for number in range(len(spans) - size + 1):
            if tuple(span.word for span in spans[number:number + size]) == pieces:
                found.append((low + spans[number].start, low + spans[number + size - 1].end))
    return found


def _joined(marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One mark for words found side by side (หมอก + ควัน for หมอกควัน)."""
    joined: list[tuple[int, int]] = []
    for start, end in marks:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def _space_before(prepared: str, at: int) -> int:
    found = max(prepared.rfind(" ", 0, at), prepared.rfind("\n", 0, at))
    return found + 1


def _space_after(prepared: str, at: int) -> int:
    ends = [found for found in (prepared.find(" ", at), prepared.find("\n", at)) if found >= 0]
    return min(ends) if ends else len(prepared)


def _window(prepared: str, anchor: int) -> tuple[int, int]:
    """The stretch shown: from a little before the anchor, cut between words."""
    start = _cut(prepared, max(0, anchor - SNIPPET_BEFORE))
    return start, _cut(prepared, min(len(prepared), start + SNIPPET_LENGTH))


def _cut(prepared: str, at: int) -> int:
    """The nearest place to `at` between two words: white space close by, else a word boundary
    found by segmenting the text around it."""
    if at <= 0 or at >= len(prepared):
        return max(0, min(at, len(prepared)))
    before, after = _space_before(prepared, at), _space_after(prepared, at)
    if at - before <= SNIPPET_SLACK or after - at <= SNIPPET_SLACK:
        return before if at - before <= after - at else after
    low = max(before, at - SNIPPET_SLACK)
    boundaries = [low + span.start for span in text.spans(prepared[low:at + SNIPPET_SLACK])]
    return min(boundaries, key=lambda boundary: abs(boundary - at), default=at)
