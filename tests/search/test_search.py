"""Searches a Thai reader makes, where a substring or space-split search goes wrong; ranking,
filters by kind and snippets."""

from __future__ import annotations

import sqlalchemy as sa
from markupsafe import Markup

from participation.comments import services as comments
from participation.comments.models import Comment
from participation.core.models import utcnow
from participation.extensions import db
from participation.search import queries
from participation.search.models import DocumentKind as K
from tests.search.helpers import found


def comment(make, body: str, proposal=None) -> Comment:
    return comments.add_comment(
        proposal=proposal or make.proposal(), author=make.user(), body=body, stance=None,
        now=utcnow(),
    )


def substring_matches(word: str) -> set[int]:
    """What a naive LIKE '%word%' over the comments would return."""
    return set(db.session.scalars(sa.select(Comment.id).where(Comment.body.contains(word))))


def test_forest_finds_forest_fire_inside_a_compound(make):
    fire = comment(make, "เกิดไฟป่าบนดอยทุกเดือนมีนาคม")
    assert found("ป่า") == [("comment", fire.id)]
    assert found("ไฟ") == [("comment", fire.id)]


def test_eye_does_not_find_follow_where_a_substring_search_would(make):
    follow = comment(make, "ชาวบ้านติดตามค่าฝุ่นทุกวัน")  # ติดตาม holds ตา as letters
    eyes = comment(make, "ควันทำให้แสบตาและไอ")
    assert substring_matches("ตา") == {follow.id, eyes.id}

    assert found("ตา") == [("comment", eyes.id)]


def test_several_words_apart_must_all_be_found(make):
    both = comment(make, "ชาวบ้านเผาเศษใบไม้ ทำให้ไฟลามเข้าป่าชุมชน")
    only_burning = comment(make, "ห้ามเผาขยะในหมู่บ้าน")
    comment(make, "ปลูกป่าเพิ่มในพื้นที่ต้นน้ำ")
    # Split on spaces, "เผา ป่า" would look for the two words as they are typed; a substring
    # search for "เผาป่า" would find neither comment.
    assert substring_matches("เผาป่า") == set()

    assert found("เผา ป่า") == [("comment", both.id)]
    assert found("เผาป่า") == [("comment", both.id)]
    assert ("comment", only_burning.id) in found("เผา")


def test_mixed_thai_and_english_with_a_figure(make):
    hit = comment(make, "ค่า PM2.5 ที่ลำปางเกินมาตรฐานสามวันติด")
    comment(make, "PM2.5 ที่เชียงใหม่สูงมาก")
    comment(make, "ลำปางอากาศดี")
    assert found("PM2.5 ลำปาง") == [("comment", hit.id)]
    assert found("pm 2.5 ลำปาง") == [("comment", hit.id)]


def test_a_compound_query_finds_its_words_side_by_side(make):
    # newmm cuts ไฟป่าชุมชน (community forest fire) as ไฟ + ป่าชุมชน, not ไฟป่า + ชุมชน.
    community = comment(make, "ไฟป่าชุมชนลุกลามทั้งคืน")
    comment(make, "ไฟดับทั้งหมู่บ้าน เดินเข้าป่าไม่ได้")  # ไฟ and ป่า, far apart
    assert found("ไฟป่า") == [("comment", community.id)]


def test_stopwords_are_ignored_beside_other_words(make):
    hit = comment(make, "การเผาในที่โล่งต้องหยุด")
    assert found("การเผา") == [("comment", hit.id)]


def test_a_title_match_ranks_above_a_body_match(make):
    in_body = make.proposal(title="มาตรการทั่วไป", body="ดูแลเรื่องหมอกควันในฤดูแล้ง")
    in_title = make.proposal(title="แก้ปัญหาหมอกควัน", body="ข้อเสนอหลายข้อ")
    assert found("หมอกควัน") == [("proposal", in_title.id), ("proposal", in_body.id)]


def test_kinds_filter_the_results_and_counts_show_every_kind(make):
    proposal = make.proposal(title="ลดจุดความร้อน", body="ข้อเสนอ")
    remark = comment(make, "จุดความร้อนเพิ่มขึ้น", proposal=proposal)
    decision = make.decision(title="รับรองแผนลดจุดความร้อน")

    everything = queries.search(queries.SearchRequest(q="จุดความร้อน"), per_page=10)
    # The decision is titled by its proposal.
    assert everything.counts == {K.PROPOSAL: 2, K.COMMENT: 1, K.DECISION: 1}
    assert everything.page.total == 4
    assert found("จุดความร้อน", K.COMMENT) == [("comment", remark.id)]
    assert set(found("จุดความร้อน", K.COMMENT, K.PROPOSAL)) == {
        ("comment", remark.id), ("proposal", proposal.id), ("proposal", decision.proposal_id),
    }
    only_comments = queries.search(
        queries.SearchRequest(q="จุดความร้อน", kinds=frozenset({K.COMMENT})), per_page=10
    )
    assert only_comments.page.total == 1 and only_comments.total == 4


def test_pages_of_results(make):
    proposal = make.proposal()
    for number in range(5):
        comment(make, f"น้ำประปาขุ่นครั้งที่ {number}", proposal=proposal)
    first = queries.search(queries.SearchRequest(q="น้ำประปา", page=1), per_page=2)
    last = queries.search(queries.SearchRequest(q="น้ำประปา", page=3), per_page=2)
    assert first.page.pages == 3 and len(first.page.items) == 2 and len(last.page.items) == 1
    shown = {hit.document.object_id for hit in first.page.items + last.page.items}
    assert len(shown) == 3


def test_a_search_of_punctuation_only_finds_nothing_and_asks_nothing(make):
    comment(make, "ข้อความ")
    assert queries.search(queries.SearchRequest(q="?!… ---"), per_page=10).page.total == 0


def test_the_snippet_marks_the_words_found_around_the_first_match():
    body = ("ย่อหน้าแรกพูดถึงเรื่องอื่นทั้งหมด " * 20) + "ต่อมาเกิดไฟป่าและหมอกควัน <script>"
    snippet = queries.snippet(body, ["ป่า"])
    assert isinstance(snippet, Markup)
    assert "<mark>ไฟป่า</mark>" in snippet
    assert snippet.startswith("… ")
    assert "หมอกควัน &lt;script" in snippet and "<script" not in snippet


def test_the_snippet_does_not_mark_a_word_that_only_holds_the_letters():
    # แสบตา (stinging eyes) is made of แสบ + ตา; ติดตาม (follow) only holds the letters.
    snippet = queries.snippet("ติดตามข่าวแล้วแสบตา", ["ตา"])
    assert snippet == Markup("ติดตามข่าวแล้ว<mark>แสบตา</mark>")


def test_the_snippet_of_a_title_match_is_the_beginning_of_the_text():
    assert queries.snippet("ข้อเสนอ " * 50, ["หมอกควัน"]).endswith(" …")
    assert queries.snippet("", ["หมอกควัน"]) == Markup("")


def test_the_snippet_passes_over_letters_that_are_not_the_word_to_the_word_itself():
    body = "ติดตามข่าวทุกวัน " + "เรื่องอื่น " * 60 + "จนควันทำให้แสบตาไปหมด"
    snippet = queries.snippet(body, ["ตา"])
    assert snippet.startswith("… ") and "ติดตาม" not in snippet
    assert "<mark>แสบตา</mark>" in snippet


def test_the_snippet_marks_a_compound_written_as_its_parts_but_not_words_sharing_a_part():
    # ประชุม (meeting) is ประ + ชุม; ประชาสังคม (civil society) only shares ประ with it.
    assert queries.snippet("ภาคประชาสังคมเข้าร่วมประชุม", ["ประชุม"]) == Markup(
        "ภาคประชาสังคมเข้าร่วม<mark>ประชุม</mark>"
    )
    assert queries.snippet("ดับไฟ ป่าหมด ไฟ ป่า", ["ไฟป่า"]) == Markup(
        "ดับไฟ ป่าหมด <mark>ไฟ ป่า</mark>"
    )
