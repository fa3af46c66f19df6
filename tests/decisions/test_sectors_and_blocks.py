"""The decision page: votes by sector, blocks shown prominently with their reasons, the rule in
words, and a fixed number of queries."""

from __future__ import annotations

from participation.core.models import utcnow
from participation.extensions import db
from participation.votes import services as votes
from participation.votes.models import BallotKind
from tests.querycount import page_queries
from tests.votes.helpers import MIXED, committee


def decide(make, choices, *, kind=BallotKind.CONSENT, **options):
    """A mixed committee (chair government; members civil society, private sector,
    government) votes (choice, reason) pairs in seat order; the secretary closes."""
    c = committee(make, sectors=MIXED)
    ballot = c.open_ballot(kind=kind, quorum=1, **options)
    for member, (choice, reason) in zip(c.voters, choices, strict=False):
        if choice is not None:
            votes.cast_vote(ballot=ballot, member=member, choice=choice, reason=reason,
                            now=utcnow())
    decision = votes.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow())
    db.session.commit()
    return c, decision


def table(text: str, table_id: str) -> str:
    return text.split(f'id="{table_id}"')[1].split("</table>")[0]


def test_the_decision_page_shows_votes_by_sector_with_the_ballots_choices(make, client):
    _c, decision = decide(make, [("yes", ""), ("block", "Villages were not consulted."),
                                 ("no", "Too costly."), ("yes", "")])
    text = client.get(f"/decisions/{decision.id}").text
    sectors = table(text, "decision-sectors")
    assert "<caption>Votes by sector</caption>" in sectors
    for header in ("Agree", "Abstain", "Disagree", "Block"):
        assert f'role="columnheader">{header}</th>' in sectors
    government = sectors.split('role="rowheader">Government</th>')[1].split("</tr>")[0]
    assert [cell.split(">")[1] for cell in government.split("<td")[1:]] == [
        "2</td", "0</td", "0</td", "0</td"]
    civil = sectors.split('role="rowheader">Civil society</th>')[1].split("</tr>")[0]
    assert 'data-label="Block">1</td>' in civil
    assert 'data-label="Disagree">1</td>' in sectors.split(
        'role="rowheader">Private sector</th>')[1].split("</tr>")[0]


def test_a_block_is_shown_near_the_top_with_its_reason_seat_and_organisation(make, client):
    c, decision = decide(make, [("yes", ""), ("block", "Villages were not consulted."),
                                ("yes", ""), ("yes", "")])
    text = client.get(f"/decisions/{decision.id}").text
    assert "Rejected" in text
    blocks = text.split('class="blocks"')[1].split("</section>")[0]
    assert "1 seat blocked this proposal" in blocks
    assert "Villages were not consulted." in blocks
    organisation = c.group.seats[1].organisation
    assert "Member" in blocks and organisation.name_en in blocks
    # Near the top: before the resolution and the count.
    assert text.index('class="blocks"') < text.index("<h2>Resolution</h2>")
    assert text.index('class="blocks"') < text.index("<h2>Count</h2>")
    roll = text.split('id="roll-call"')[1]
    assert 'class="badge badge-block">Block</span>' in roll
    assert "Villages were not consulted." in roll


def test_without_a_block_there_is_no_block_box(make, client):
    _c, decision = decide(make, [("yes", ""), ("no", "")], kind=BallotKind.STANDARD)
    text = client.get(f"/decisions/{decision.id}").text
    assert 'class="blocks"' not in text
    sectors = table(text, "decision-sectors")
    assert 'role="columnheader">Yes</th>' in sectors and "Block" not in sectors
    assert "more yes votes than no votes" in text


def test_the_result_chart_and_count_use_the_consent_labels(make, client):
    _c, decision = decide(make, [("yes", ""), ("abstain", "")])
    text = client.get(f"/decisions/{decision.id}").text
    count = text.split("<h2>Count</h2>")[1].split("</dl>")[0]
    assert "<dt>Agree</dt><dd>1</dd>" in count and "<dt>Block</dt><dd>0</dd>" in count
    assert "no seat blocks it and more seats agree than disagree" in text


def test_a_secret_decision_shows_turnout_by_sector_and_blocks_without_names(make, client):
    c, decision = decide(make, [("yes", "Health first."), ("block", "Not consulted.")],
                         secret=True)
    text = client.get(f"/decisions/{decision.id}").text
    turnout = table(text, "decision-sectors")
    assert "<caption>Seats that voted, by sector</caption>" in turnout
    assert 'role="rowheader">Civil society</th><td role="cell" data-label="Voted">1</td>' in (
        turnout.replace("\n", ""))
    blocks = text.split('class="blocks"')[1].split("</section>")[0]
    assert "Not consulted." in blocks
    assert c.group.seats[1].organisation.name_en not in blocks
    assert "Health first." not in text


def test_the_decision_page_runs_the_same_queries_with_more_votes_and_blocks(make, client):
    _c, small = decide(make, [("yes", "")])
    few, _text = page_queries(client, f"/decisions/{small.id}")
    _c, large = decide(make, [("block", "One."), ("block", "Two."), ("no", "Three."),
                              ("yes", "Four.")])
    many, text = page_queries(client, f"/decisions/{large.id}")
    assert "2 seats blocked this proposal" in text
    assert many == few
