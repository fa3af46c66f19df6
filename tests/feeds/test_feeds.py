"""Atom feeds of proposals, decisions and the log; the iCalendar of ballot closing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree as ET

import icalendar
import pytest
import sqlalchemy as sa

from participation.accountability.services import record
from participation.commitments import services as commitments
from participation.commitments.models import CommitmentStatus, Completion
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole
from participation.proposals.models import ProposalRevision, ProposalState
from participation.votes.models import BallotResult
from tests.querycount import count_queries, forget_loaded_rows

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
MOMENT = datetime(2026, 2, 10, 3, 0, tzinfo=UTC)


def atom_feed(client, url: str) -> ET.Element:
    """Fetch a feed, check it is a well-formed Atom document with what RFC 4287 requires."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == ATOM_TYPE
    root = ET.fromstring(response.data)
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert root.findtext(f"{A}{name}"), name
    assert root.find(f"{A}link[@rel='self']") is not None
    assert root.find(f"{A}author/{A}name") is not None
    for entry in root.iter(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert entry.findtext(f"{A}{name}"), name
        assert entry.find(f"{A}link[@rel='alternate']").get("href").startswith("http://")
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{A}entry")


def titles(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{A}title") for entry in entries(root)]


def parsed_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


# Proposals


def test_proposal_feed_lists_opened_proposals_with_links_and_authors_but_no_drafts(client, make):
    author = make.user(display_name="Somchai Field")
    opened = make.proposal(title="Ban open burning", author=author)
    make.proposal(title="A private draft", state=ProposalState.DRAFT)

    root = atom_feed(client, "/feeds/proposals.atom?lang=en")

    assert titles(root) == ["Ban open burning"]
    (entry,) = entries(root)
    assert entry.findtext(f"{A}id") == f"http://localhost/proposals/{opened.id}"
    link = entry.find(f"{A}link[@rel='alternate']").get("href")
    assert link == f"http://localhost/proposals/{opened.id}?lang=en"
    assert entry.findtext(f"{A}author/{A}name") == "Somchai Field"
    assert entry.findtext(f"{A}summary") == "A measure to reduce PM2.5 smoke."
    assert root.findtext(f"{A}id") == "http://localhost/feeds/proposals.atom"
    assert root.get(XML_LANG) == "en"


def test_proposal_feed_holds_the_fifty_most_recently_opened_and_is_updated_by_the_newest(
    client, make
):
    group, author, category = make.group(), make.user(), make.category()
    for n in range(52):
        proposal = make.proposal(group=group, author=author, category=category,
                                 title=f"Proposal number {n}")
        proposal.opened_at = MOMENT + timedelta(hours=n)
    db.session.flush()

    root = atom_feed(client, "/feeds/proposals.atom")

    assert len(entries(root)) == 50
    assert titles(root)[0] == "Proposal number 51"
    assert "Proposal number 1" not in titles(root) and "Proposal number 0" not in titles(root)
    newest = entries(root)[0]
    assert parsed_time(newest.findtext(f"{A}published")) == MOMENT + timedelta(hours=51)
    updated = max(parsed_time(entry.findtext(f"{A}updated")) for entry in entries(root))
    assert parsed_time(root.findtext(f"{A}updated")) == updated


def test_a_proposal_edited_after_opening_is_updated_at_its_last_revision(client, make):
    proposal = make.proposal(title="Revised later")
    proposal.opened_at = MOMENT
    first = db.session.scalar(
        sa.select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id)
    )
    first.created_at = MOMENT - timedelta(days=1)
    db.session.add(ProposalRevision(
        proposal_id=proposal.id, number=2, title=proposal.title, body="Better text.",
        category_id=proposal.category_id, editor_id=proposal.author_id,
        created_at=MOMENT + timedelta(days=2),
    ))
    db.session.flush()

    (entry,) = entries(atom_feed(client, "/feeds/proposals.atom"))

    assert parsed_time(entry.findtext(f"{A}published")) == MOMENT
    assert parsed_time(entry.findtext(f"{A}updated")) == MOMENT + timedelta(days=2)


def test_markup_and_ampersands_in_a_proposal_are_escaped_not_injected(client, make):
    title = "<script>alert('x')</script> Smoke & ash <b>now</b>"
    make.proposal(title=title,
                  body="<script>steal()</script>**Burning** & <i>haze</i>\n\nSecond paragraph.")

    response = client.get("/feeds/proposals.atom")

    assert b"<script>" not in response.data and b"<b>" not in response.data
    assert b"&lt;script&gt;" in response.data and b"&amp; ash" in response.data
    (entry,) = entries(ET.fromstring(response.data))
    assert entry.findtext(f"{A}title") == title
    assert entry.find(f"{A}title").get("type") == "text"
    assert entry.findtext(f"{A}summary") == "Burning & haze Second paragraph."


def test_characters_xml_cannot_carry_are_dropped_so_the_feed_still_parses(client, make):
    make.proposal(title="Smoke\x0b and\x01 ash", body="Text\x1f here")

    (entry,) = entries(atom_feed(client, "/feeds/proposals.atom"))

    assert entry.findtext(f"{A}title") == "Smoke and ash"
    assert entry.findtext(f"{A}summary") == "Text here"


def test_a_long_thai_body_is_cut_without_splitting_a_vowel_from_its_consonant(client, make):
    make.proposal(title="ยาว", body="ก" + "ที่" * 200)  # the 301st character is a mark

    (entry,) = entries(atom_feed(client, "/feeds/proposals.atom"))

    summary = entry.findtext(f"{A}summary")
    assert summary.endswith("ที่…") and len(summary) <= 301


def test_a_long_body_is_cut_to_a_plain_text_excerpt(client, make):
    make.proposal(title="Long one", body="# Heading\n\n" + "word " * 200)

    (entry,) = entries(atom_feed(client, "/feeds/proposals.atom"))

    summary = entry.findtext(f"{A}summary")
    assert summary.startswith("Heading word word")
    assert summary.endswith("…") and len(summary) <= 301


def test_thai_text_round_trips_and_is_marked_as_thai_in_an_english_feed(client, make):
    title = "ห้ามเผาในที่โล่งช่วงฤดูแล้ง"
    body = "ลดฝุ่น PM2.5 ในจังหวัดลำปางด้วยการจัดการเชื้อเพลิง"
    make.proposal(title=title, body=body)

    root = atom_feed(client, "/feeds/proposals.atom?lang=en")

    (entry,) = entries(root)
    assert entry.findtext(f"{A}title") == title
    assert entry.find(f"{A}title").get(XML_LANG) == "th"
    assert entry.findtext(f"{A}summary") == body
    assert entry.find(f"{A}summary").get(XML_LANG) == "th"


def test_thai_feed_is_in_thai_and_does_not_mark_thai_titles(client, make):
    make.decision(title="ห้ามเผาในที่โล่ง", yes=3, no=1)

    root = atom_feed(client, "/feeds/decisions.atom?lang=th")

    assert root.get(XML_LANG) == "th"
    assert root.findtext(f"{A}title").startswith("มติ")
    (entry,) = entries(root)
    assert "ห้ามเผาในที่โล่ง" in entry.findtext(f"{A}title")
    assert entry.find(f"{A}title").get(XML_LANG) is None
    assert "เห็นชอบ" in entry.findtext(f"{A}summary")


def test_an_empty_feed_is_still_a_valid_document(client):
    root = atom_feed(client, "/feeds/proposals.atom")

    assert entries(root) == []
    assert root.findtext(f"{A}updated")


def test_a_reader_that_has_the_feed_gets_not_modified(client, make):
    make.proposal(title="Cached")
    first = client.get("/feeds/proposals.atom?lang=en")

    again = client.get("/feeds/proposals.atom?lang=en",
                       headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304 and again.data == b""


# Decisions


def test_decision_feed_gives_result_and_tally_and_links_to_the_decision(client, make):
    decision = make.decision(title="Fire watch volunteers", yes=3, no=1, abstain=1,
                             resolution="The group *adopts* the plan.", now=MOMENT)
    make.decision(title="Crop burning permit", result="rejected", yes=0, no=2)

    root = atom_feed(client, "/feeds/decisions.atom?lang=en")

    by_title = {entry.findtext(f"{A}title"): entry for entry in entries(root)}
    assert set(by_title) == {"Decision on Fire watch volunteers",
                             "Decision on Crop burning permit"}
    adopted = by_title["Decision on Fire watch volunteers"]
    summary = adopted.findtext(f"{A}summary")
    assert summary.startswith("Adopted") and "yes 3, no 1, abstain 1" in summary
    assert "quorum" in summary
    assert adopted.findtext(f"{A}content") == "The group adopts the plan."
    assert adopted.find(f"{A}link[@rel='alternate']").get("href") == (
        f"http://localhost/decisions/{decision.id}?lang=en"
    )
    assert parsed_time(adopted.findtext(f"{A}updated")) == MOMENT
    assert by_title["Decision on Crop burning permit"].findtext(f"{A}summary").startswith(
        "Rejected"
    )


# The accountability log


def test_log_feed_shows_translated_events_with_their_hashes_newest_first(client, make):
    proposal = make.proposal(title="Smoke-free schools")
    first = record(actor=proposal.author, verb="proposal.opened", subject_type="proposal",
                   subject_id=proposal.id, data={"from": "draft", "to": "open"})
    second = record(actor=None, verb="ballot.closed", subject_type="ballot", subject_id=999,
                    data={"result": "no_quorum"})

    root = atom_feed(client, "/feeds/log.atom?lang=en")

    newest, oldest = entries(root)
    assert newest.findtext(f"{A}id") == f"http://localhost/log/{second.id}"
    assert newest.findtext(f"{A}title") == "Ballot closed · Ballot #999"
    assert newest.findtext(f"{A}summary") == "No quorum"
    assert second.hash in newest.findtext(f"{A}content")
    assert first.hash in newest.findtext(f"{A}content")  # as the previous hash
    assert newest.find(f"{A}author") is None  # the system: the feed's own author
    assert oldest.findtext(f"{A}title") == (
        f"Proposal opened for comment · Proposal #{proposal.id} Smoke-free schools"
    )
    assert oldest.findtext(f"{A}author/{A}name") == proposal.author.display_name
    assert oldest.find(f"{A}link[@rel='alternate']").get("href") == (
        f"http://localhost/log/{first.id}?lang=en"
    )
    assert oldest.find(f"{A}link[@rel='related']").get("href") == (
        f"http://localhost/proposals/{proposal.id}"
    )


def test_log_feed_holds_the_hundred_newest_entries(client):
    recorded = [
        record(actor=None, verb="group.created", subject_type="group", subject_id=n + 1)
        for n in range(102)
    ]

    root = atom_feed(client, "/feeds/log.atom")

    ids = [entry.findtext(f"{A}id") for entry in entries(root)]
    assert len(ids) == 100
    assert ids[0] == f"http://localhost/log/{recorded[-1].id}"
    assert f"http://localhost/log/{recorded[1].id}" not in ids


def test_log_feed_in_thai_translates_the_event(client):
    record(actor=None, verb="ballot.closed", subject_type="ballot", subject_id=5,
           data={"result": "adopted"})

    root = atom_feed(client, "/feeds/log.atom?lang=th")

    (entry,) = entries(root)
    assert "Ballot closed" not in entry.findtext(f"{A}title")
    assert entry.findtext(f"{A}summary") == "เห็นชอบ"


class Commitments:
    """Two commitments of one group, made, reported on and given milestones by the services."""

    def __init__(self, make):
        group = make.group()
        self.secretary = make.member(group, role=SeatRole.SECRETARY)
        self.lead = make.organisation(name_en="Provincial Natural Resources Office")
        self.first = self.commit(make.decision(group=group), "Publish hourly PM2.5 data")
        self.second = self.commit(make.decision(group=group), "ลดการเผาในที่โล่ง")
        self.milestone = commitments.add_milestone(
            commitment=self.first, actor=self.secretary, title="Data portal online",
            due_date=date(2026, 3, 1), now=utcnow(),
        )
        commitments.post_progress(
            commitment=self.first, author=self.secretary, reported_on=date(2025, 1, 6),
            completion=Completion.LIMITED, percent=30, status=CommitmentStatus.ON_TRACK,
            note="Two stations publish.", reason="", evidence=[], now=utcnow(),
        )
        commitments.post_progress(
            commitment=self.second, author=self.secretary, reported_on=date(2025, 1, 6),
            completion=Completion.SUBSTANTIAL, percent=60, status=CommitmentStatus.ON_TRACK,
            note="", reason="", evidence=[], now=utcnow(),
        )

    def commit(self, decision, title):
        return commitments.create_commitment(
            decision=decision, actor=self.secretary, title=title, description="",
            lead_organisation=self.lead, supporters=[], start_date=date(2025, 1, 1),
            due_date=date(2026, 12, 31), milestones=[], now=utcnow(),
        )


def test_commitment_feed_has_only_that_commitments_creation_milestones_and_progress(
    client, make
):
    scene = Commitments(make)

    root = atom_feed(client, f"/feeds/commitments/{scene.first.id}.atom?lang=en")

    # The first commitment has a milestone not yet started, so its progress rolls up to 0%.
    assert [entry.findtext(f"{A}summary") for entry in entries(root)] == [
        "0% complete · Limited · On track",
        f"0% complete · due March 1, 2026 · milestone #{scene.milestone.id}",
        "0 milestones · due December 31, 2026",
    ]
    assert [title.split(" · ")[0] for title in titles(root)] == [
        "Progress posted", "Milestone added", "Commitment created",
    ]
    assert all(f"Commitment #{scene.first.id} Publish hourly PM2.5 data" in title
               for title in titles(root))
    assert "Publish hourly PM2.5 data" in root.findtext(f"{A}title")
    assert root.find(f"{A}link[@rel='alternate']").get("href") == (
        f"http://localhost/commitments/{scene.first.id}?lang=en"
    )

    other = atom_feed(client, f"/feeds/commitments/{scene.second.id}.atom?lang=en")
    assert len(entries(other)) == 2
    assert all("ลดการเผาในที่โล่ง" in title for title in titles(other))


@pytest.mark.parametrize("commitment_id", ["999999", "2147483648"])
def test_feed_of_an_unknown_commitment_is_not_found(client, commitment_id):
    assert client.get(f"/feeds/commitments/{commitment_id}.atom").status_code == 404


# Ballot closing dates


def test_ballot_calendar_has_one_event_per_ballot_at_its_closing_time(client, make):
    thai_title = "ข้อเสนอให้ตั้งจุดเฝ้าระวังไฟป่าในทุกตำบลของอำเภอแม่เมาะก่อนฤดูแล้ง & <ด่วน>"
    open_ballot = make.ballot(make.proposal(title=thai_title),
                              closes_at=datetime(2026, 3, 1, 10, 30, tzinfo=UTC))
    closed_ballot = make.ballot(make.proposal(title="Fire breaks"), result=BallotResult.ADOPTED,
                                closes_at=datetime(2026, 2, 1, 9, 0, tzinfo=UTC))

    response = client.get("/feeds/ballots.ics?lang=en")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {f"ballot-{open_ballot.id}@localhost",
                           f"ballot-{closed_ballot.id}@localhost"}
    first = events[f"ballot-{open_ballot.id}@localhost"]
    assert first.decoded("DTSTART") == datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert str(first["SUMMARY"]) == f"Ballot closes: {thai_title}"
    assert str(first["URL"]) == f"http://localhost/proposals/{open_ballot.proposal_id}?lang=en"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in first
    closed = events[f"ballot-{closed_ballot.id}@localhost"]
    assert closed.decoded("DTSTART") == datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    assert str(closed["DESCRIPTION"]) == "Closed · Adopted"


def test_ballot_calendar_reads_the_same_until_a_ballot_changes(client, make):
    make.ballot(make.proposal(), closes_at=datetime(2026, 3, 1, 10, 30, tzinfo=UTC))

    first = client.get("/feeds/ballots.ics?lang=en").data
    again = client.get("/feeds/ballots.ics?lang=en").data

    assert first == again


def test_ballot_calendar_holds_the_two_hundred_newest_ballots(client, make):
    group, author, category = make.group(), make.user(), make.category()
    for n in range(201):
        proposal = make.proposal(group=group, author=author, category=category)
        make.ballot(proposal, opened_by=author, now=MOMENT + timedelta(minutes=n))

    calendar = icalendar.Calendar.from_ical(client.get("/feeds/ballots.ics").data)

    assert len(calendar.walk("VEVENT")) == 200


# Query counts


def fill(make, n: int) -> None:
    """n of everything every feed shows, each with its own author, group and subject."""
    for _ in range(n):
        decision = make.decision()
        make.ballot(make.proposal())
        record(actor=decision.proposal.author, verb="decision.recorded",
               subject_type="decision", subject_id=decision.id, data={"result": "adopted"})
        record(actor=decision.proposal.author, verb="proposal.opened",
               subject_type="proposal", subject_id=decision.proposal_id, data={})
        record(actor=None, verb="group.created", subject_type="group",
               subject_id=decision.group_id)


def queries_for(client, url: str) -> int:
    forget_loaded_rows()
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/feeds/proposals.atom", "/feeds/decisions.atom", "/feeds/log.atom", "/feeds/ballots.ics"],
)
def test_a_feed_runs_the_same_number_of_queries_whatever_its_size(client, make, url):
    fill(make, 1)
    few = queries_for(client, url)
    fill(make, 6)
    many = queries_for(client, url)

    assert many == few and few >= 1


def test_commitment_feed_runs_the_same_number_of_queries_whatever_its_size(client, make):
    scene = Commitments(make)
    url = f"/feeds/commitments/{scene.first.id}.atom"
    few = queries_for(client, url)
    for day in range(2, 9):
        commitments.post_progress(
            commitment=scene.first, author=scene.secretary, reported_on=date(2025, 1, day),
            completion=Completion.LIMITED, percent=30 + day, status=CommitmentStatus.ON_TRACK,
            note="", reason="", evidence=[], now=utcnow(),
        )
    many = queries_for(client, url)

    assert many == few


# Discovery


def test_list_pages_announce_their_feeds_in_their_head(client):
    for path, feed, title in (("/proposals", "/feeds/proposals.atom", "New proposals"),
                              ("/decisions", "/feeds/decisions.atom", "Decisions"),
                              ("/log", "/feeds/log.atom", "Accountability log")):
        head = client.get(f"{path}?lang=en").text.split("</head>")[0]
        assert (f'<link rel="alternate" type="application/atom+xml" title="{title} · Ruam" '
                f'href="{feed}?lang=en">') in head, path


def test_log_and_commitment_pages_offer_a_visible_feed_link(client, make):
    scene = Commitments(make)

    log_page = client.get("/log?lang=en").text
    commitment_page = client.get(f"/commitments/{scene.first.id}?lang=en").text

    assert "Subscribe (Atom feed)</a>" in log_page
    feed = f"/feeds/commitments/{scene.first.id}.atom?lang=en"
    assert commitment_page.count(f'href="{feed}"') == 2  # the <head> link and the visible one
    assert "Subscribe (Atom feed)</a>" in commitment_page
