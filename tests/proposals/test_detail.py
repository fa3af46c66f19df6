"""The proposal page: what it shows, to whom, and the buttons each role gets."""

from __future__ import annotations

import pytest

from participation.comments.models import Stance
from participation.comments.services import add_comment
from participation.core.models import utcnow
from participation.proposals.models import ProposalState
from tests.proposals.fixtures import MANAGERS, proposal_in

S = ProposalState


def test_detail_shows_the_proposal_and_its_facts(client, make, cast, db):
    proposal = proposal_in(
        make, S.OPEN, cast=cast, title="Publish burn counts monthly",
        body="## Why\n\nPeople need **numbers**.\n\n<script>alert(1)</script>",
    )
    add_comment(proposal=proposal, author=cast.member, body="Yes", stance=Stance.FOR,
                now=utcnow())
    add_comment(proposal=proposal, author=cast.outsider, body="No", stance=Stance.AGAINST,
                now=utcnow())
    add_comment(proposal=proposal, author=cast.outsider, body="Hmm", stance=None, now=utcnow())
    db.session.commit()

    page = client.get(f"/proposals/{proposal.id}")

    assert page.status_code == 200
    text = page.text
    assert "<h1 id=\"proposal-title\">Publish burn counts monthly</h1>" in text
    assert "Open for comment" in text
    assert cast.category.name_en in text and cast.group.name_en in text
    assert "Somchai Author" in text
    assert "Civil society · " + cast.author.organisation.name_en in text
    assert "<h2>Why</h2>" in text and "<strong>numbers</strong>" in text
    assert "<script>" not in text
    assert "0 people support this proposal." in text
    assert "For: <strong>1</strong>" in text and "Against: <strong>1</strong>" in text
    assert "Neutral: <strong>0</strong>" in text
    assert "3 comments" in text
    assert "Log in to support this proposal." in text
    assert "No ballot has been opened on this proposal yet." in text  # the votes panel


def test_unknown_proposal_is_404(client):
    assert client.get("/proposals/999999").status_code == 404


@pytest.mark.parametrize(
    ("role", "visible"),
    [(None, False), ("outsider", False), ("member", False), ("author", True),
     ("secretary", True), ("chair", True), ("admin", True)],
)
def test_a_draft_is_seen_only_by_its_author_the_secretariat_and_admins(
    role, visible, make, cast, client, login, db
):
    proposal = proposal_in(make, S.DRAFT, cast=cast, title="Half-baked idea")
    db.session.commit()

    page = (login(cast[role]) if role else client).get(f"/proposals/{proposal.id}")

    assert page.status_code == (200 if visible else 404)
    if visible:
        assert "This is a draft." in page.text


BUTTONS = {
    "Submit for comment": ("author", {S.DRAFT}),
    "Edit": ("author", {S.DRAFT, S.OPEN}),
    "Put under consideration": ("manager", {S.OPEN}),
    "Merge into another proposal": ("manager", {S.OPEN, S.UNDER_CONSIDERATION}),
    "Withdraw this proposal": ("author", {S.DRAFT, S.OPEN, S.UNDER_CONSIDERATION}),
    "Support this proposal": ("supporter", {S.OPEN, S.UNDER_CONSIDERATION}),
}


@pytest.mark.parametrize("state", list(ProposalState), ids=lambda s: s.value)
@pytest.mark.parametrize("role", ["author", "secretary", "chair", "member", "outsider"])
def test_the_page_offers_exactly_the_permitted_actions(role, state, make, cast, login, db):
    proposal = proposal_in(make, state, cast=cast)
    db.session.commit()

    text = login(cast[role]).get(f"/proposals/{proposal.id}").text

    for label, (who, states) in BUTTONS.items():
        holder = (
            role == "author" if who == "author"
            else role in MANAGERS if who == "manager"
            else role != "author"
        )
        expected = holder and state in states
        shown = f">{label}</" in text
        assert shown == expected, (label, role, state)


def test_merged_proposal_links_to_its_target(make, cast, client, db):
    proposal = proposal_in(make, S.MERGED, cast=cast)
    db.session.commit()

    text = client.get(f"/proposals/{proposal.id}").text

    assert "This proposal was merged into another one:" in text
    assert f'href="/proposals/{proposal.merged_into_id}"' in text
    assert "Comments are closed because this proposal was merged into another one." in text


def test_withdraw_button_is_hidden_once_a_ballot_exists(make, cast, login, db):
    proposal = proposal_in(make, S.UNDER_CONSIDERATION, cast=cast)
    make.ballot(proposal, opened_by=cast.secretary)
    db.session.commit()

    text = login(cast.author).get(f"/proposals/{proposal.id}").text

    assert ">Withdraw this proposal</" not in text
    assert "Voting closes on" in text  # the votes panel shows the ballot
