"""The index follows the content in the same transaction, through the session hook."""

from __future__ import annotations

from datetime import date

import pytest

from participation.comments import services as comments
from participation.commitments.services import create_commitment
from participation.core.models import utcnow
from participation.decisions.services import write_resolution
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.meetings.models import AgendaItem, MeetingStatus, MinutesStatus
from participation.proposals import services as proposals
from participation.proposals.models import ProposalState
from participation.search import index
from participation.search.models import DocumentKind as K
from participation.search.models import SearchDocument
from tests.querycount import count_queries
from tests.search.helpers import document, found, meeting


@pytest.fixture
def group_author(make):
    group = make.group()
    return group, make.user(), make.category()


def test_a_draft_is_not_searchable_until_it_is_opened_for_comment(make, group_author):
    group, author, category = group_author
    draft = proposals.create_proposal(
        author=author, group=group, title="ลดการเผาในที่โล่ง", body="หยุดเผาตอซัง",
        category=category, submit=False, now=utcnow(),
    )
    assert document(K.PROPOSAL, draft.id) is None
    assert found("ตอซัง") == []

    proposals.open_for_comment(proposal=draft, actor=author, now=utcnow())

    assert found("ตอซัง") == [("proposal", draft.id)]
    assert document(K.PROPOSAL, draft.id).group_id == group.id


def test_an_edit_replaces_the_indexed_words(make):
    author = make.user()
    proposal = make.proposal(author=author, title="เดิม", body="ข้อความเก่าเรื่องหมอกควัน")
    proposals.edit_proposal(
        proposal=proposal, editor=author, title="ชื่อใหม่", body="ข้อความใหม่เรื่องไฟป่า",
        category=proposal.category, now=utcnow(),
    )
    assert found("หมอกควัน") == []
    assert found("ไฟป่า") == [("proposal", proposal.id)]


def test_a_comment_is_found_when_posted_and_gone_when_deleted(make):
    proposal = make.proposal()
    commenter = make.user()
    comment = comments.add_comment(
        proposal=proposal, author=commenter, body="ควันไฟป่าเข้าบ้านทุกปี", stance=None,
        now=utcnow(),
    )
    assert found("ควัน") == [("comment", comment.id)]
    assert document(K.COMMENT, comment.id).parent_id == proposal.id

    comments.edit_comment(comment=comment, editor=commenter, body="ฝุ่นเข้าบ้าน", stance=None,
                          now=utcnow())
    assert found("ควัน") == []
    assert found("ฝุ่น") == [("comment", comment.id)]

    comments.delete_comment(comment=comment, actor=commenter, now=utcnow())
    assert found("ฝุ่น") == []
    assert document(K.COMMENT, comment.id) is None


def test_a_rolled_back_change_leaves_nothing_in_the_index(make, db):
    proposal = make.proposal()
    db.session.commit()  # the outer test transaction keeps it; a rollback now undoes only the rest
    comments.add_comment(
        proposal=proposal, author=make.user(), body="เรื่องที่ถูกยกเลิกภายหลัง", stance=None,
        now=utcnow(),
    )
    assert found("ยกเลิก") != []

    db.session.rollback()

    assert found("ยกเลิก") == []
    assert db.session.scalar(
        db.select(db.func.count()).select_from(SearchDocument)
        .where(SearchDocument.kind == K.COMMENT)
    ) == 0


def test_decisions_follow_their_resolution_and_commitments_their_description(make):
    decision = make.decision(title="มาตรการห้ามเผา")
    write_resolution(decision=decision, actor=None, text="ให้จังหวัดออกประกาศห้ามเผา", now=utcnow())
    assert found("ประกาศ") == [("decision", decision.id)]
    assert document(K.DECISION, decision.id).title == "มาตรการห้ามเผา"

    chair = make.member(decision.group, role=SeatRole.CHAIR)
    commitment = create_commitment(
        decision=decision, actor=chair, title="ลาดตระเวนเฝ้าระวังไฟป่า",
        description="อาสาสมัครเฝ้าระวังในหมู่บ้าน", lead_organisation=make.organisation(),
        supporters=[], start_date=date(2026, 1, 1), due_date=date(2026, 6, 30), milestones=[],
        now=utcnow(),
    )
    assert found("อาสาสมัคร") == [("commitment", commitment.id)]
    assert ("commitment", commitment.id) in found("ป่า")


def test_a_meeting_is_found_by_its_agenda_and_its_minutes_only_once_published(make):
    held = meeting(make, items=[
        (1, "ประธานแจ้งเรื่องหมอกควัน", "ประธานแจ้งสถานการณ์จุดความร้อน", ""),
        (3, "พิจารณามาตรการชิงเผา", "ที่ประชุมอภิปรายเรื่องชิงเผาอย่างกว้างขวาง", "เห็นชอบ"),
    ])
    first, second = held.items
    assert found("ชิงเผา") == [("meeting", held.id)]
    assert found("จุดความร้อน") == []  # the minutes are a draft

    held.minutes_status = MinutesStatus.PUBLISHED
    db.session.flush()

    assert found("จุดความร้อน") == [("minutes", first.id)]
    assert set(found("ชิงเผา")) == {("meeting", held.id), ("minutes", second.id)}
    assert document(K.MINUTES, second.id).title == "3.1 พิจารณามาตรการชิงเผา"
    assert document(K.MINUTES, second.id).parent_id == held.id


def test_agenda_changes_reach_the_meeting_and_its_minutes(make):
    held = meeting(make, items=[(2, "รายงานคุณภาพอากาศ", "ค่าฝุ่นลดลง", "")],
                   minutes_status=MinutesStatus.PUBLISHED)
    item = held.items[0]
    item.title = "รายงานจุดความร้อน"
    item.minutes = "จำนวนจุดความร้อนลดลง"
    db.session.add(AgendaItem(meeting_id=held.id, section=4, position=1, title="เรื่องงบประมาณ"))
    db.session.flush()

    assert set(found("จุดความร้อน")) == {("meeting", held.id), ("minutes", item.id)}
    assert found("งบประมาณ") == [("meeting", held.id)]
    assert found("คุณภาพอากาศ") == []

    db.session.delete(item)
    db.session.flush()
    assert found("จุดความร้อน") == []
    assert found("งบประมาณ") == [("meeting", held.id)]


def test_a_cancelled_meeting_stays_searchable(make):
    called_off = meeting(make, title="ประชุมนัดพิเศษเรื่องไฟป่า")
    called_off.status = MeetingStatus.CANCELLED
    called_off.cancel_reason = "น้ำท่วมถนนเข้าศาลากลาง"
    db.session.flush()
    assert found("น้ำท่วม") == [("meeting", called_off.id)]


def test_other_changes_to_a_row_do_not_rewrite_its_document(make):
    proposal = make.proposal(body="เรื่องหมอกควัน")
    before = document(K.PROPOSAL, proposal.id)
    stamp = (before.id, before.title_terms)
    proposal.support_count = 5
    db.session.flush()
    with count_queries() as statements:
        proposal.comment_count = 3
        db.session.flush()
    assert len(statements) == 1  # the proposal's UPDATE, and nothing for the index
    assert (document(K.PROPOSAL, proposal.id).id, before.title_terms) == stamp


def test_rebuild_indexes_existing_content_again(make, runner):
    proposal = make.proposal(title="สร้างดัชนีใหม่", state=ProposalState.UNDER_CONSIDERATION)
    make.proposal(state=ProposalState.DRAFT, body="ร่างลับ")
    db.session.execute(db.delete(SearchDocument))
    assert found("ดัชนี") == []

    count = index.rebuild(db.session)

    assert count == db.session.scalar(db.select(db.func.count()).select_from(SearchDocument))
    assert found("ดัชนี") == [("proposal", proposal.id)]
    assert found("ร่างลับ") == []


def test_the_rebuild_command_says_how_many_documents_it_indexed(make, runner):
    make.proposal(title="คำสั่งสร้างดัชนี")
    make.proposal(title="อีกข้อเสนอ")
    db.session.execute(db.delete(SearchDocument))

    result = runner.invoke(args=["search-index", "rebuild"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Indexed 2 documents in ")
    assert found("ดัชนี") != []


def test_a_text_of_more_words_than_postgresql_positions_is_indexed_whole(make):
    # PostgreSQL keeps positions up to 16,383; the words past it are still found.
    proposal = make.proposal(body="dust " * 17_000 + "ท้ายสุด lastword")
    assert found("lastword") == [("proposal", proposal.id)]
    assert found("ท้ายสุด dust") == [("proposal", proposal.id)]
