"""The proposal list: filters, sorts, pagination, junk values, drafts and its query count."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from participation.accounts.models import Sector
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals.models import ProposalState
from participation.proposals.queries import SORTS
from tests.querycount import page_queries

S = ProposalState


@pytest.fixture
def listed(make, cast, db):
    """Four proposals with distinct dates, counts, states, categories and sectors."""
    other_category = make.category()
    business = make.user(display_name="Mae Moh Stone Co", sector=Sector.PRIVATE)
    now = utcnow()
    rows = {
        "oldest": make.proposal(group=cast.group, author=cast.author, category=cast.category,
                                title="Dust catchers for stone cutters", state=S.OPEN),
        "middle": make.proposal(group=cast.group, author=business, category=other_category,
                                title="Tax relief on dust filters",
                                state=S.UNDER_CONSIDERATION),
        "newest": make.proposal(group=cast.group, author=cast.author, category=cast.category,
                                title="Daily dust app", state=S.ADOPTED),
        "draft": make.proposal(group=cast.group, author=cast.author, category=cast.category,
                               title="Secret draft idea", state=S.DRAFT),
    }
    for age, key in enumerate(["newest", "middle", "oldest"]):
        rows[key].created_at = now - timedelta(days=age)
    rows["draft"].created_at = now + timedelta(days=1)
    rows["oldest"].support_count, rows["oldest"].comment_count = 1, 9
    rows["middle"].support_count, rows["middle"].comment_count = 7, 2
    rows["newest"].support_count, rows["newest"].comment_count = 3, 0
    db.session.commit()
    rows["other_category"] = other_category
    return rows


def titles(html: str, *candidates: str) -> list[str]:
    """The candidate titles in the order the page shows them."""
    found = [(html.index(t), t) for t in candidates if t in html]
    return [t for _, t in sorted(found)]


ALL = ("Dust catchers for stone cutters", "Tax relief on dust filters", "Daily dust app")


def test_list_shows_each_proposal_with_its_facts_and_hides_drafts(client, listed):
    page = client.get("/proposals")

    assert page.status_code == 200
    assert titles(page.text, *ALL) == ["Daily dust app", "Tax relief on dust filters",
                                       "Dust catchers for stone cutters"]
    assert "Secret draft idea" not in page.text
    assert "Somchai Author (Civil society, " in page.text
    assert "Mae Moh Stone Co (Private sector)" in page.text
    assert "7 supports" in page.text and "9 comments" in page.text and "1 support" in page.text
    assert "Under consideration" in page.text and "Adopted" in page.text
    assert "3 proposals" in page.text


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("newest", ["Daily dust app", "Tax relief on dust filters",
                 "Dust catchers for stone cutters"]),
     ("supported", ["Tax relief on dust filters", "Daily dust app",
                    "Dust catchers for stone cutters"]),
     ("discussed", ["Dust catchers for stone cutters", "Tax relief on dust filters",
                    "Daily dust app"])],
)
def test_list_sorts(sort, expected, client, listed):
    assert titles(client.get(f"/proposals?sort={sort}").text, *ALL) == expected


def test_list_filters_by_state_category_and_sector(client, listed):
    by_state = client.get("/proposals?state=under_consideration").text
    assert titles(by_state, *ALL) == ["Tax relief on dust filters"]

    by_category = client.get(f"/proposals?category={listed['other_category'].id}").text
    assert titles(by_category, *ALL) == ["Tax relief on dust filters"]

    by_sector = client.get("/proposals?sector=civil_society").text
    assert titles(by_sector, *ALL) == ["Daily dust app", "Dust catchers for stone cutters"]

    combined = client.get("/proposals?sector=civil_society&state=adopted").text
    assert titles(combined, *ALL) == ["Daily dust app"]


@pytest.mark.parametrize(
    "query",
    ["state=nonsense", "state=draft", "category=abc", "category=999999", "category=-1",
     "sector=martians", "sort=random", "page=abc", "page=-4", "page=0",
     "page=99999999999999999999999", "state=&category=&sector=&sort=",
     "state=%00%ff", "category=1e9"],
)
def test_junk_filter_values_are_ignored(query, client, listed):
    page = client.get(f"/proposals?{query}")

    assert page.status_code == 200
    if not query.startswith("page=9"):
        assert titles(page.text, *ALL) == ["Daily dust app", "Tax relief on dust filters",
                                           "Dust catchers for stone cutters"]
    assert "Secret draft idea" not in page.text


def test_the_author_sees_their_drafts_above_the_list(client, listed, cast, login):
    page = login(cast.author).get("/proposals")

    assert "Your drafts" in page.text and "Secret draft idea" in page.text
    assert "Make a proposal" in page.text
    assert "Secret draft idea" not in login(cast.member).get("/proposals").text


def test_list_pages_by_per_page(app, client, make, cast, db):
    start = utcnow()
    for n in range(5):
        p = make.proposal(group=cast.group, category=cast.category, title=f"Measure number {n}")
        p.created_at = start + timedelta(minutes=n)
    db.session.commit()
    app.config["PER_PAGE"] = 2
    try:
        first = client.get("/proposals").text
        third = client.get("/proposals?page=3").text
        beyond = client.get("/proposals?page=9")
    finally:
        app.config["PER_PAGE"] = 20

    assert titles(first, *[f"Measure number {n}" for n in range(5)]) == [
        "Measure number 4", "Measure number 3"]
    assert "Page 1 of 3" in first and 'rel="next"' in first and "page=2" in first
    assert titles(third, *[f"Measure number {n}" for n in range(5)]) == ["Measure number 0"]
    assert 'rel="prev"' in third and 'rel="next"' not in third
    assert beyond.status_code == 200 and "No proposals match these filters." in beyond.text


def test_pagination_keeps_the_filters(app, client, make, cast, db):
    for _ in range(3):
        make.proposal(group=cast.group, category=cast.category, state=S.UNDER_CONSIDERATION)
    db.session.commit()
    app.config["PER_PAGE"] = 2
    try:
        page = client.get("/proposals?state=under_consideration&sort=supported").text
    finally:
        app.config["PER_PAGE"] = 20
    assert "state=under_consideration" in page and "sort=supported" in page


def list_queries(client, make, count: int) -> int:
    groups = [make.group() for _ in range(3)]
    categories = [make.category() for _ in range(3)]
    for n in range(count):
        organisation = make.organisation() if n % 2 else None
        author = make.user(organisation=organisation)
        make.proposal(group=groups[n % 3], category=categories[n % 3], author=author)
    db.session.commit()
    return page_queries(client, "/proposals")[0]


def test_list_runs_a_fixed_number_of_queries(app, client, make, login, cast):
    login(cast.author)
    app.config["PER_PAGE"] = 100  # every proposal on the one page
    try:
        thirty = list_queries(client, make, 30)
        sixty = list_queries(client, make, 30)  # 30 more: 60 on the page
    finally:
        app.config["PER_PAGE"] = 20

    # The person, the categories, their drafts, the count, the page of proposals, the
    # seats behind the reminder of ballots closing soon, the unread notifications, and the
    # two-factor requirements (two-factor lane).
    assert thirty == sixty
    assert thirty <= 8


# Deep pages (performance lane P5): the list finds a page's rows from an index of its sort, so
# a deep page must still show exactly the rows, in the order, that OFFSET over the sort would.

@pytest.fixture
def seven(make, cast, db):
    """Seven listed proposals whose counts and dates tie in places, and a draft."""
    now = utcnow()
    facts = [(5, 1, 3), (2, 8, 1), (5, 8, 1), (0, 0, 5), (9, 2, 1), (2, 1, 4), (5, 3, 3)]
    rows = []
    for n, (supports, comments, age) in enumerate(facts):
        proposal = make.proposal(group=cast.group, category=cast.category, title=f"Deep {n}")
        proposal.support_count, proposal.comment_count = supports, comments
        proposal.created_at = now - timedelta(days=age)
        rows.append(proposal)
    make.proposal(group=cast.group, category=cast.category, state=S.DRAFT)
    db.session.commit()
    return rows


SORT_KEYS = {
    "newest": lambda p: (p.created_at, p.id),
    "supported": lambda p: (p.support_count, p.created_at, p.id),
    "discussed": lambda p: (p.comment_count, p.created_at, p.id),
}


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="proposal-title"><a href="/proposals/(\d+)"', html)]


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


@pytest.mark.parametrize("sort", SORTS)
def test_each_page_of_each_sort_shows_the_rows_offset_would(sort, app, client, seven,
                                                             monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    expected = [p.id for p in sorted(seven, key=SORT_KEYS[sort], reverse=True)]

    for page in (1, 2, 3):
        html = client.get(f"/proposals?sort={sort}&page={page}").text
        assert listed_ids(html) == expected[(page - 1) * 3:page * 3]
        assert f"Page {page} of 3" in html and "7 proposals" in html


@pytest.mark.parametrize("sort", SORTS)
def test_next_and_previous_links_walk_the_whole_list_once(sort, app, client, seven,
                                                           monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    expected = [p.id for p in sorted(seven, key=SORT_KEYS[sort], reverse=True)]

    seen, address, pages = [], f"/proposals?sort={sort}", []
    while address is not None:
        html = client.get(address).text
        seen += listed_ids(html)
        pages.append(html)
        address = link(html, "next")
    assert seen == expected and len(pages) == 3
    assert f"sort={sort}" in link(pages[-1], "prev") and "page=2" in link(pages[-1], "prev")
    assert listed_ids(client.get(link(pages[-1], "prev")).text) == expected[3:6]


def test_a_filtered_deep_page_shows_the_rows_offset_would(app, client, make, cast, seven,
                                                          monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    other = make.category()
    for proposal in seven[::2]:
        proposal.category_id = other.id
    seven[2].state = S.UNDER_CONSIDERATION
    db.session.commit()
    in_other = sorted(seven[::2], key=SORT_KEYS["supported"], reverse=True)

    second = client.get(f"/proposals?category={other.id}&sort=supported&page=2").text
    by_state = client.get("/proposals?state=under_consideration&page=1").text

    assert listed_ids(second) == [p.id for p in in_other[2:4]]
    assert "Page 2 of 2" in second and "4 proposals" in second
    assert listed_ids(by_state) == [seven[2].id]


@pytest.mark.parametrize("query", ["sort=newest", "sort=supported", "sort=discussed",
                                   "sector=civil_society&sort=supported"])
def test_a_deep_page_runs_the_queries_of_the_first(query, app, client, make, cast,
                                                   monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 5)
    for n in range(40):
        proposal = make.proposal(group=cast.group, category=cast.category, author=cast.author)
        proposal.support_count, proposal.comment_count = n % 7, n % 5
    db.session.commit()

    first, first_html = page_queries(client, f"/proposals?{query}")
    deep, deep_html = page_queries(client, f"/proposals?{query}&page=8")

    assert first == deep
    assert len(listed_ids(first_html)) == len(listed_ids(deep_html)) == 5
    assert "Page 8 of 8" in deep_html
