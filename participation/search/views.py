"""The search page: one box across proposals, comments, decisions, commitments, meetings and
minutes, with filters by kind, ranked results and highlighted snippets."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from participation.core.views import page_number
from participation.search import index as indexer
from participation.search import queries
from participation.search.models import DocumentKind

bp = Blueprint("search", __name__)
# The app registers this blueprint once it is built: from then on every flush keeps the index.
indexer.install()

# The kind of one result, beside its title (the filters use the plural labels).
KIND_NAMES = {
    DocumentKind.PROPOSAL: _l("Proposal"),
    DocumentKind.COMMENT: _l("Comment"),
    DocumentKind.DECISION: _l("Decision"),
    DocumentKind.COMMITMENT: _l("Commitment"),
    DocumentKind.MEETING: _l("Meeting"),
    # i18n: the minutes of one agenda item, as the kind of a search result.
    DocumentKind.MINUTES: _l("Minutes"),
}


@bp.get("/search")
def index():
    wanted = queries.SearchRequest.from_args(request.args, page=page_number())
    error = None
    results = None
    if wanted.too_long:
        error = _(
            "Search for at most %(max)d characters; this search has %(length)d.",
            max=queries.MAX_QUERY_LENGTH, length=len(wanted.q),
        )
    elif wanted.q:
        results = queries.search(wanted, per_page=current_app.config["PER_PAGE"])
    return render_template(
        "search/index.html",
        wanted=wanted,
        error=error,
        results=results,
        kinds=list(DocumentKind),
        kind_names=KIND_NAMES,
        result_url=result_url,
        search_url=search_url,
        ranked_per_kind=queries.RANKED_PER_KIND,
    )


def search_url(wanted: queries.SearchRequest, *, kinds: Any = None, page: int = 1) -> str:
    """The address of this search with other kinds chosen or another page."""
    chosen = wanted.kinds if kinds is None else kinds
    return url_for(
        "search.index",
        q=wanted.q,
        type=sorted(kind.value for kind in chosen) or None,
        page=page if page > 1 else None,
    )


def result_url(hit: queries.Hit) -> str:
    """Where a result lives: its own page, or its place on its proposal's or meeting's page."""
    document = hit.document
    kind = document.kind
    if kind == DocumentKind.PROPOSAL:
        return url_for("proposals.detail", proposal_id=document.object_id)
    if kind == DocumentKind.COMMENT:
        return url_for("comments.permalink", comment_id=document.object_id)
    if kind == DocumentKind.DECISION:
        return url_for("decisions.detail", decision_id=document.object_id)
    if kind == DocumentKind.COMMITMENT:
        return url_for("commitments.detail", commitment_id=document.object_id)
    if kind == DocumentKind.MEETING:
        return url_for("meetings.detail", meeting_id=document.object_id)
    return url_for(
        "minutes.detail", meeting_id=document.parent_id, _anchor=f"item-{document.object_id}"
    )
