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

# Of each kind, at most this many matches, the newest, are counted and ranked.
RANKED_PER_KIND = 1_000
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
    # Matches per kind, at most RANKED_PER_KIND; `more` holds the kinds that have more, and
    # `capped` says whether one of the kinds shown is among them.
    counts: dict[DocumentKind, int] = field(default_factory=dict)
    more: set[DocumentKind] = field(default_factory=set)
    capped: bool = False
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
    two queries (the counts per kind, the page), and two more at most for what results show.

    Of each kind, the newest RANKED_PER_KIND matches are counted and ranked: a word found in
    tens of thousands of comments would otherwise make every search read and rank them all
    (seconds on PostgreSQL over 200,000 comments); the page then says there are more."""
    words = text.query_words(request.q)
    results = Results(words=words)
    if not words:
        return results
    chosen = sorted(request.kinds or DocumentKind, key=lambda kind: kind.value)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    counted = (_pg_counts if postgresql else _fts_counts)(words)
    results.counts = {kind: min(count, RANKED_PER_KIND) for kind, count in counted.items()}
    results.more = {kind for kind, count in counted.items() if count > RANKED_PER_KIND}
    rows: list[Any] = []
    kinds = [kind for kind in chosen if results.counts.get(kind)]
    if kinds:
        page_of = _pg_page if postgresql else _fts_page
        offset = (request.page - 1) * per_page
        rows = list(db.session.execute(page_of(words, kinds, per_page, offset)))
    total = sum(results.counts[kind] for kind in kinds)
    results.capped = any(kind in results.more for kind in kinds)
    results.page = Page(items=_hits(rows, words), page=request.page, per_page=per_page,
                        total=total)
    return results


def _union(selects: Iterable[sa.Select]) -> sa.Subquery:
    """The ids of several limited selects together (each one a subquery: SQLite allows no
    LIMIT on the members of a UNION)."""
    members = []
    for select in selects:
        inner = select.subquery()
        members.append(sa.select(inner.c[0]))
    return sa.union_all(*members).subquery()


# SQLite: the FTS5 index answers everything but the page's own rows (reading every matching
# row to learn its kind would be far slower).
_FTS_TABLE = sa.table("search_fts", sa.column("rowid"))


def _fts_of_kind(words: list[str], kind: DocumentKind) -> Any:
    return _FTS.op("MATCH")(f'({fts_match(words)}) AND "{index.kind_mark(kind)}"')


def _fts_counts(words: list[str]) -> dict[DocumentKind, int]:
    counts = [
        sa.select(sa.func.count())
        .select_from(
            sa.select(_FTS_TABLE.c.rowid).where(_fts_of_kind(words, kind))
            .limit(RANKED_PER_KIND + 1).subquery()
        )
        .scalar_subquery()
        for kind in DocumentKind
    ]
    row = db.session.execute(sa.select(*counts)).one()
    return {kind: count for kind, count in zip(DocumentKind, row, strict=True) if count}


def _fts_page(words: list[str], kinds: list[DocumentKind], limit: int,
              offset: int) -> sa.Select:
    # The newest matches of a kind are those at or above the rowid of its RANKED_PER_KIND-th
    # newest: a rowid range FTS5 applies while matching (a list of rowids would make it match
    # the whole query once per rowid).
    members = []
    for kind in kinds:
        match = _fts_of_kind(words, kind)
        oldest_ranked = (
            sa.select(_FTS_TABLE.c.rowid).where(match)
            .order_by(_FTS_TABLE.c.rowid.desc()).limit(1).offset(RANKED_PER_KIND - 1)
            .correlate(None).scalar_subquery()
        )
        members.append(
            sa.select(
                _FTS_TABLE.c.rowid.label("id"), sa.func.bm25(_FTS, 10.0, 1.0).label("score")
            ).where(match, _FTS_TABLE.c.rowid >= sa.func.coalesce(oldest_ranked, 0))
        )
    ranked = (sa.union_all(*members) if len(members) > 1 else members[0]).subquery()
    best = (
        sa.select(ranked.c.id, ranked.c.score)
        .order_by(ranked.c.score, ranked.c.id.desc())
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


# PostgreSQL: the GIN index finds the rows of a rare word; for a common one, walking the
# primary key backwards stops at the newest matches. ts_rank_cd weighs title (A) words 1.0
# and body (D) words 0.1.


def _tsquery(words: list[str]) -> Any:
    return sa.cast(sa.literal(ts_query(words)), TSQUERY)


def _pg_of_kind(words: list[str], kind: DocumentKind) -> sa.Select:
    return sa.select(SearchDocument.id).where(
        SearchDocument.kind == kind, _TSV.op("@@")(_tsquery(words))
    )


def _pg_counts(words: list[str]) -> dict[DocumentKind, int]:
    counts = [
        sa.select(sa.func.count())
        .select_from(_pg_of_kind(words, kind).limit(RANKED_PER_KIND + 1).subquery())
        .scalar_subquery()
        for kind in DocumentKind
    ]
    row = db.session.execute(sa.select(*counts)).one()
    return {kind: count for kind, count in zip(DocumentKind, row, strict=True) if count}


def _pg_page(words: list[str], kinds: list[DocumentKind], limit: int,
             offset: int) -> sa.Select:
    newest = _union(
        _pg_of_kind(words, kind).order_by(SearchDocument.id.desc()).limit(RANKED_PER_KIND)
        for kind in kinds
    )
    return (
        sa.select(SearchDocument, WorkingGroup)
        .outerjoin(WorkingGroup, WorkingGroup.id == SearchDocument.group_id)
        .where(SearchDocument.id.in_(sa.select(newest)))
        .order_by(sa.func.ts_rank_cd(_TSV, _tsquery(words)).desc(), SearchDocument.id.desc())
        .limit(limit)
        .offset(offset)
    )


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
