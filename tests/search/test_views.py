"""The search page and the header's search box, through the client."""

from __future__ import annotations

import re

import pytest

from participation.comments import services as comments
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.meetings.models import MinutesStatus
from participation.proposals.models import Proposal
from participation.search import queries
from participation.search.queries import MAX_QUERY_LENGTH
from tests.querycount import page_queries
from tests.search.helpers import meeting


def result_links(html: str) -> list[str]:
    return re.findall(r'<h2 class="search-title"><a href="([^"]+)"', html)


def test_every_page_has_a_search_box_in_its_header(client):
    html = client.get("/proposals").text
    assert re.search(r'<form class="site-search" method="get" action="/search" role="search"', html)
    assert 'for="site-search-q"' in html and 'id="site-search-q" name="q"' in html


def test_an_empty_search_shows_the_box_and_what_can_be_found(client):
    response = client.get("/search")
    assert response.status_code == 200
    assert "What you can find" in response.text
    assert "search-results" not in response.text and "search-kinds" not in response.text


def test_results_link_to_where_each_thing_lives(client, make):
    proposal = make.proposal(title="แผนรับมือไฟป่า", body="รายละเอียด")
    remark = comments.add_comment(proposal=proposal, author=make.user(), body="สนับสนุนแผนไฟป่า",
                                  stance=None, now=utcnow())
    decision = make.decision(title="มติเรื่องไฟป่า")
    held = meeting(make, title="ประชุมเรื่องไฟป่า", items=[(3, "ไฟป่า", "อภิปรายเรื่องไฟป่า", "")],
                   minutes_status=MinutesStatus.PUBLISHED)
    db.session.commit()

    html = client.get("/search?q=ไฟป่า").text

    assert set(result_links(html)) == {
        f"/proposals/{proposal.id}",
        f"/comments/{remark.id}",
        f"/proposals/{decision.proposal_id}",
        f"/decisions/{decision.id}",
        f"/meetings/{held.id}",
        f"/meetings/{held.id}/minutes#item-{held.items[0].id}",
    }
    assert "<mark>ไฟป่า</mark>" in html
    assert "Comment on" in html and "Minutes of" in html


def test_the_kind_filters_show_counts_and_keep_the_search(client, make):
    proposal = make.proposal(title="ลดหมอกควัน", body="ข้อเสนอ")
    comments.add_comment(proposal=proposal, author=make.user(), body="หมอกควันหนามาก",
                         stance=None, now=utcnow())
    db.session.commit()

    html = client.get("/search?q=หมอกควัน&type=comment").text

    assert len(result_links(html)) == 1
    assert re.search(r'href="/search\?q=[^"]*"[^>]*>All <span class="count">\(2\)', html)
    assert re.search(r'href="/search\?q=[^"]*type=comment" aria-current="page">Comments', html)
    assert 'name="type" value="comment" checked' in html


def test_thai_results_on_an_english_page_are_marked_as_thai(client, make):
    make.proposal(title="ลดหมอกควัน", body="ข้อเสนอเรื่องหมอกควัน")
    db.session.commit()
    html = client.get("/search?q=หมอกควัน&lang=en").text
    assert '<span lang="th">ลดหมอกควัน</span>' in html
    assert '<p class="snippet" lang="th">ข้อเสนอเรื่อง<mark>หมอกควัน</mark></p>' in html


def test_too_long_a_search_is_refused_with_a_message(client):
    response = client.get("/search?q=" + "ป่า" * MAX_QUERY_LENGTH)
    assert response.status_code == 200
    assert f"Search for at most {MAX_QUERY_LENGTH} characters" in response.text
    assert 'aria-invalid="true"' in response.text


def test_a_search_matching_nothing_says_so(client):
    html = client.get("/search?q=ไม่มีคำนี้แน่นอนqzx").text
    assert "Nothing matches every word of this search" in html


@pytest.mark.parametrize("query", [
    "q=%00", "q=%ED%A0%80", "q=\"'*:&|!()<->", "q=ป่า&type=unknown&page=abc",
    "q=ป่า&page=99999999999999999999", "q=ป่า&type=%00", "q=AND OR NOT NEAR",
])
def test_junk_in_the_address_never_breaks_the_page(client, make, query):
    make.proposal(title="ป่าชุมชน AND OR NOT NEAR", body="ข้อความ")
    db.session.commit()
    assert client.get(f"/search?{query}").status_code == 200


def test_the_page_runs_the_same_queries_for_few_and_many_results(client, make):
    def load() -> int:
        # Comments and minutes: the page then also loads their proposals and meetings.
        count, _html = page_queries(client, "/search?q=ฝุ่นควัน&type=comment&type=minutes")
        return count

    proposal = make.proposal(title="ฝุ่นควัน", body="ข้อความ")
    comments.add_comment(proposal=proposal, author=make.user(), body="ฝุ่นควันมาก", stance=None,
                         now=utcnow())
    held = meeting(make, title="ฝุ่นควัน", items=[(1, "ฝุ่นควัน", "ฝุ่นควัน", "")],
                   minutes_status=MinutesStatus.PUBLISHED)
    proposal_id, group_id = proposal.id, held.group_id
    db.session.commit()
    few = load()
    proposal, group = db.session.get(Proposal, proposal_id), db.session.get(WorkingGroup, group_id)
    for number in range(8):
        comments.add_comment(proposal=proposal, author=make.user(), body=f"ฝุ่นควัน {number}",
                             stance=None, now=utcnow())
        meeting(make, group=group, title=f"ฝุ่นควัน {number}",
                items=[(2, "ฝุ่นควัน", "ฝุ่นควัน", "")], minutes_status=MinutesStatus.PUBLISHED)
        make.decision(title=f"ฝุ่นควัน {number}")
    db.session.commit()
    assert load() == few <= 4


def test_beyond_the_ranked_number_the_page_says_there_are_more(client, make, monkeypatch):
    monkeypatch.setattr(queries, "RANKED_PER_KIND", 3)
    proposal = make.proposal(title="ลดหมอกควัน", body="ข้อเสนอ")
    remarks = [
        comments.add_comment(proposal=proposal, author=make.user(), body=f"หมอกควันวันที่ {n}",
                             stance=None, now=utcnow())
        for n in range(5)
    ]
    db.session.commit()

    html = client.get("/search?q=หมอกควัน").text

    # The proposal, and the three newest comments, ranked; the chips say there are more.
    assert set(result_links(html)) == {f"/proposals/{proposal.id}"} | {
        f"/comments/{remark.id}" for remark in remarks[2:]
    }
    assert "Comments <span class=\"count\">(3+)</span>" in html
    assert "More than 4 results: the newest 3 of each kind are counted and ranked." in html
