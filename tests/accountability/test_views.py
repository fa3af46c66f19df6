"""The public log pages: list, filters, one entry, and the head as JSON."""

from __future__ import annotations

import re

import pytest

from participation.accountability.models import GENESIS_HASH
from participation.accountability.services import record
from participation.environment.models import DataImport, DataKind
from participation.proposals.models import ProposalState
from tests.querycount import count_queries, page_queries


def test_empty_log_says_so_and_head_is_zero_and_genesis(client):
    page = client.get("/log")
    assert page.status_code == 200
    assert "Nothing has been recorded yet." in page.text
    assert "0 entries" in page.text
    assert client.get("/log/head.json").get_json() == {"entries": 0, "head": GENESIS_HASH}


def test_head_json_is_exactly_entries_and_head(client, make):
    proposal = make.proposal()
    record(actor=proposal.author, verb="proposal.opened", subject_type="proposal",
           subject_id=proposal.id, data={"from": "draft", "to": "open"})
    last = record(actor=None, verb="proposal.under_consideration", subject_type="proposal",
                  subject_id=proposal.id, data={"from": "open", "to": "under_consideration"})
    response = client.get("/log/head.json")
    assert response.mimetype == "application/json"
    assert response.get_json() == {"entries": 2, "head": last.hash}


def test_entries_are_newest_first_with_verb_actor_subject_and_time(client, make):
    author = make.user(display_name="Somchai Rakthai")
    proposal = make.proposal(author=author, title="Open PM2.5 data for Lampang")
    record(actor=author, verb="proposal.opened", subject_type="proposal", subject_id=proposal.id,
           data={"from": "draft", "to": "open"})
    record(actor=None, verb="proposal.under_consideration", subject_type="proposal",
           subject_id=proposal.id, data={"from": "open", "to": "under_consideration"})
    page = client.get("/log").text
    rows = page.split("<tbody", 1)[1]
    assert rows.index("Proposal put under consideration") < rows.index("Proposal opened for comment")
    assert "Somchai Rakthai" in page
    assert "system" in page
    assert "Open for comment → Under consideration" in page
    assert f'href="/proposals/{proposal.id}"' in page
    assert "Open PM2.5 data for Lampang" in page
    assert "2 entries" in page


def test_each_subject_type_links_to_its_page(client, make):
    for subject_type, subject_id in (("ballot", 7), ("decision", 8), ("commitment", 9)):
        record(actor=None, verb="progress.posted", subject_type=subject_type,
               subject_id=subject_id, data={})
    page = client.get("/log").text
    assert 'href="/ballots/7"' in page
    assert 'href="/decisions/8"' in page
    assert 'href="/commitments/9"' in page


def test_groups_seats_organisations_and_people_are_named(client, make):
    group = make.group()
    organisation = make.organisation(name_en="Lampang Provincial Office")
    seat = make.seat(group, organisation=organisation)
    person = make.user(display_name="Kanya Suksai")
    record(actor=None, verb="group.created", subject_type="group", subject_id=group.id, data={})
    record(actor=None, verb="seat.added", subject_type="seat", subject_id=seat.id,
           data={"role": "member", "sector": "government"})
    record(actor=None, verb="organisation.created", subject_type="organisation",
           subject_id=organisation.id, data={"sector": "government"})
    record(actor=None, verb="user.admin_granted", subject_type="user", subject_id=person.id,
           data={})
    rows = client.get("/log").text.split("<tbody", 1)[1]
    assert f'<a href="/groups/{group.id}">Working group #{group.id}</a>' in rows
    assert group.name_en in rows
    assert "Member: Lampang Provincial Office" in rows
    assert "Member · Government" in rows
    assert "Kanya Suksai" in rows


def test_unknown_verb_and_subject_type_are_shown_as_codes_without_links(client):
    # ("meeting" is a known subject now: the meetings and minutes lanes log about meetings.)
    record(actor=None, verb="workshop.minuted", subject_type="workshop", subject_id=3, data={})
    page = client.get("/log").text
    assert "workshop.minuted" in page
    assert "workshop #3" in page
    assert "/workshop" not in page


def test_summaries_render_codes_through_labels(client, make):
    record(actor=None, verb="ballot.closed", subject_type="ballot", subject_id=1,
           data={"result": "adopted", "tally": {"yes": 7, "no": 1, "abstain": 2},
                 "quorum": 6, "eligible": 11})
    record(actor=None, verb="progress.posted", subject_type="commitment", subject_id=1,
           data={"completion": "substantial", "percent": 60, "status": "delayed",
                 "evidence_count": 2})
    page = client.get("/log").text
    assert "Adopted · yes 7, no 1, abstain 2 · quorum 6 · 11 voting seats" in page
    assert "60% complete · Substantial · Delayed · 2 evidence links" in page

    thai = client.get("/log?lang=th").text
    assert '<html lang="th">' in thai
    rows = thai.split("<tbody", 1)[1]
    assert "substantial" not in rows and "delayed" not in rows


def test_data_imports_and_kpi_values_are_summarised_and_named(client, db):
    data_import = DataImport(kind=DataKind.HOTSPOTS, filename="firms-march.csv", sha256="0" * 64)
    db.session.add(data_import)
    db.session.flush()
    record(actor=None, verb="data.imported", subject_type="data_import",
           subject_id=data_import.id,
           data={"kind": "hotspots", "new": 120, "duplicates": 3, "rejected": 1})
    record(actor=None, verb="kpi.measurement_recorded", subject_type="kpi", subject_id=99,
           data={"value": 8.5, "period_start": "2026-03-01"})
    page = client.get("/log").text
    assert "Open data imported" in page and "firms-march.csv" in page
    assert "Fire hotspots · 120 new, 3 duplicate, 1 rejected" in page
    assert "KPI measurement recorded" in page
    assert "value 8.5 for March 1, 2026" in page


def test_unknown_codes_in_data_are_shown_as_the_code(client):
    record(actor=None, verb="ballot.closed", subject_type="ballot", subject_id=1,
           data={"result": "postponed", "tally": {"yes": "many"}})
    page = client.get("/log")
    assert page.status_code == 200
    assert "postponed" in page.text


def test_correction_links_to_the_corrected_entry(client):
    original = record(actor=None, verb="decision.resolution_recorded", subject_type="decision",
                      subject_id=1, data={"length": 10})
    correction = record(actor=None, verb="entry.corrected", subject_type="decision",
                        subject_id=1, data={"field": "resolution"}, corrects=original)
    page = client.get("/log").text
    assert f'<a href="/log/{original.id}">corrects #{original.id}</a>' in page

    detail = client.get(f"/log/{original.id}").text
    assert "Corrected by" in detail
    assert f'href="/log/{correction.id}"' in detail


def test_hash_is_abbreviated_with_the_full_hash_in_its_title(client):
    entry = record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=1, data={})
    page = client.get("/log").text
    assert f'title="{entry.hash}">{entry.hash[:12]}…</code>' in page


def test_header_shows_count_head_hash_and_how_to_verify(client):
    entry = record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=1, data={})
    page = client.get("/log").text
    assert "1 entry" in page
    assert f'<code class="hash">{entry.hash}</code>' in page
    assert "flask --app participation verify-log" in page
    assert page.count("<h1") == 1


def test_filter_by_subject_and_verb(client):
    record(actor=None, verb="proposal.opened", subject_type="proposal", subject_id=1, data={})
    record(actor=None, verb="proposal.opened", subject_type="proposal", subject_id=2, data={})
    record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=1, data={})

    by_type = client.get("/log?subject_type=proposal").text
    assert "Proposal #1" in by_type and "Proposal #2" in by_type and "Ballot #1" not in by_type
    assert "2 entries match the filter." in by_type

    by_subject = client.get("/log?subject_type=proposal&subject_id=2").text
    assert "Proposal #2" in by_subject and "Proposal #1" not in by_subject

    by_verb = client.get("/log?verb=ballot.opened").text
    assert "Ballot #1" in by_verb and "Proposal #" not in by_verb
    assert '<option value="ballot.opened" selected>' in by_verb

    nothing = client.get("/log?subject_type=commitment").text
    assert "No entries match the filter." in nothing


def test_junk_filter_values_are_ignored(client):
    record(actor=None, verb="proposal.opened", subject_type="proposal", subject_id=1, data={})
    for query in (
        "subject_type=<script>&verb=drop%20table",
        "subject_type=proposal&subject_id=abc",
        "subject_type=proposal&subject_id=99999999999999999999",
        "subject_type=proposal&subject_id=-4",
        "subject_id=1",
        "page=abc",
        "page=-3",
        "page=0",
        "page=99999999999999999999999",
        "verb=proposal.opened&verb=x&subject_type=",
    ):
        response = client.get(f"/log?{query}")
        assert response.status_code == 200, query
        assert "<script>" not in response.text
    assert "Proposal #1" in client.get("/log?subject_type=<script>").text


def test_pages_hold_per_page_entries(client, app):
    per_page = app.config["PER_PAGE"]
    for n in range(per_page + 3):
        record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=n + 1, data={})
    first = client.get("/log").text
    assert f'href="/log/{per_page + 3}"' in first and 'href="/log/3"' not in first.split("<tbody")[1]
    assert "Page 1 of 2" in first
    second = client.get("/log?page=2").text
    assert len(re.findall(r'<th scope="row"', second)) == 3


def test_filters_are_kept_across_pages(client, app):
    for n in range(app.config["PER_PAGE"] + 1):
        record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=n + 1, data={})
    page = client.get("/log?verb=ballot.opened").text
    assert "verb=ballot.opened" in page.split('rel="next"')[1].split(">")[0]


def test_log_page_runs_a_fixed_number_of_queries(client, make):
    def fill(n):
        for _ in range(n):
            proposal = make.proposal(group=make.group(voting_members=1))
            record(actor=proposal.author, verb="proposal.opened", subject_type="proposal",
                   subject_id=proposal.id, data={"from": "draft", "to": "open"})
            record(actor=proposal.author, verb="ballot.opened", subject_type="ballot",
                   subject_id=proposal.id, data={})
            record(actor=proposal.author, verb="decision.recorded", subject_type="decision",
                   subject_id=proposal.id, data={})
            record(actor=proposal.author, verb="progress.posted", subject_type="commitment",
                   subject_id=proposal.id, data={})
            record(actor=None, verb="group.created", subject_type="group",
                   subject_id=proposal.group_id, data={})
            record(actor=None, verb="seat.added", subject_type="seat",
                   subject_id=proposal.group.seats[0].id, data={"role": "member"})
            record(actor=None, verb="organisation.created", subject_type="organisation",
                   subject_id=proposal.group.seats[0].organisation_id, data={})
            record(actor=None, verb="user.admin_granted", subject_type="user",
                   subject_id=proposal.author_id, data={})

    fill(1)
    with count_queries() as few:
        assert client.get("/log").status_code == 200
    fill(5)
    with count_queries() as many:
        assert client.get("/log").status_code == 200
    assert len(many) == len(few) and len(few) >= 3


def test_entry_page_shows_data_prev_hash_and_hash(client):
    first = record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=4,
                   data={"quorum": 6, "closes_at": "2026-03-01T10:00:00+00:00"})
    second = record(actor=None, verb="ballot.closed", subject_type="ballot", subject_id=4,
                    data={"result": "no_quorum"})
    page = client.get(f"/log/{second.id}")
    assert page.status_code == 200
    assert "Ballot closed" in page.text and "No quorum" in page.text
    assert second.hash in page.text and first.hash in page.text  # prev_hash is the first's hash
    assert f'href="/log/{first.id}"' in page.text

    first_page = client.get(f"/log/{first.id}").text
    assert "&#34;quorum&#34;: 6" in first_page
    assert "closes March 1, 2026, 17:00" in first_page
    assert GENESIS_HASH in first_page


def test_unknown_entry_is_404(client):
    assert client.get("/log/1").status_code == 404
    assert client.get("/log/99999999999999999999").status_code == 404


def test_thai_log_shows_buddhist_era_dates(client):
    record(actor=None, verb="ballot.opened", subject_type="ballot", subject_id=1, data={},
           now=__import__("datetime").datetime(2021, 3, 22, 3, 0, tzinfo=__import__("datetime").UTC))
    page = client.get("/log?lang=th").text
    assert '<html lang="th">' in page
    assert "22 มีนาคม 2564 10:00 น." in page


def test_a_drafts_title_stays_private_in_the_log_and_its_feed(client, make):
    draft = make.proposal(state=ProposalState.DRAFT, title="Secret draft title")
    record(actor=draft.author, verb="proposal.created", subject_type="proposal",
           subject_id=draft.id)
    assert "Secret draft title" not in client.get("/log").text
    assert "Secret draft title" not in client.get("/feeds/log.atom").text


# Deep pages (performance lane P5): the unfiltered log finds a page by its first id, a
# filtered one from its filter's index; both must show what OFFSET over the newest-first order
# would.

def entry_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<th scope="row" role="rowheader"><a href="/log/(\d+)"',
                                       html)]


def next_link(html: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def record_alternating(count: int) -> None:
    """Entries 1..count: ballots opened at odd ids, closed at even ones."""
    for n in range(1, count + 1):
        verb = "ballot.opened" if n % 2 else "ballot.closed"
        record(actor=None, verb=verb, subject_type="ballot", subject_id=n % 3 + 1, data={})


def test_each_page_of_the_log_shows_the_entries_offset_would(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 10)
    record_alternating(47)
    newest_first = list(range(47, 0, -1))

    for page in range(1, 6):
        html = client.get(f"/log?page={page}").text
        assert entry_ids(html) == newest_first[(page - 1) * 10:page * 10]
        assert f"Page {page} of 5" in html
    assert entry_ids(client.get("/log?page=6").text) == []


def test_each_page_of_a_filtered_log_shows_the_entries_offset_would(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 4)
    record_alternating(30)
    closed = list(range(30, 0, -2))
    on_ballot_2 = [n for n in range(30, 0, -1) if n % 3 + 1 == 2]

    for page in range(1, 5):
        html = client.get(f"/log?verb=ballot.closed&page={page}").text
        assert entry_ids(html) == closed[(page - 1) * 4:page * 4]
    deep = client.get("/log?subject_type=ballot&subject_id=2&page=3").text
    assert entry_ids(deep) == on_ballot_2[8:12]
    assert "Page 3 of 3" in deep and "10 entries match the filter." in deep


def test_next_links_walk_the_log_once_with_its_filter(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 4)
    record_alternating(21)

    for address, expected in (("/log", list(range(21, 0, -1))),
                              ("/log?verb=ballot.opened", list(range(21, 0, -2)))):
        seen = []
        while address is not None:
            html = client.get(address).text
            seen += entry_ids(html)
            address = next_link(html)
        assert seen == expected


@pytest.mark.parametrize("query", ["", "verb=ballot.closed&", "subject_type=ballot&",
                                   "subject_type=ballot&subject_id=2&"])
def test_a_deep_log_page_runs_the_queries_of_the_first(query, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    record_alternating(60)

    first, first_html = page_queries(client, f"/log?{query}page=1")
    deep, deep_html = page_queries(client, f"/log?{query}page=4")

    assert first == deep
    assert len(entry_ids(first_html)) == len(entry_ids(deep_html)) == 3
