"""Making and editing proposals through the pages, and the public history of versions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.core.models import utcnow
from participation.extensions import db
from participation.proposals import services
from participation.proposals.models import Proposal, ProposalRevision, ProposalState
from tests.proposals.fixtures import proposal_in
from tests.rows import count_rows

S = ProposalState


def newest_proposal() -> Proposal:
    return db.session.scalars(sa.select(Proposal).order_by(Proposal.id.desc()).limit(1)).one()


def test_new_proposal_needs_a_login(client):
    response = client.get("/proposals/new")
    assert response.status_code == 302 and "/login" in response.location


def test_new_form_defaults_to_the_only_group(cast, login, db):
    db.session.commit()
    page = login(cast.author).get("/proposals/new")

    assert page.status_code == 200
    assert f'name="group" value="{cast.group.id}"' in page.text
    assert "Save as draft" in page.text and "Submit for comment" in page.text


def test_new_form_offers_a_select_of_groups_with_the_first_chosen(make, cast, login, db):
    make.group()
    db.session.commit()
    page = login(cast.author).get("/proposals/new").text

    assert 'id="group" name="group"' in page
    assert f'<option selected value="{cast.group.id}">' in page


@pytest.mark.parametrize(("button", "state"), [("save_draft", S.DRAFT),
                                               ("submit_for_comment", S.OPEN)])
def test_making_a_proposal_as_draft_or_for_comment(button, state, cast, login, db):
    db.session.commit()
    page = login(cast.author).post("/proposals/new", data={
        "title": "Hotspot map for every district", "body": "Use VIIRS data.",
        "category": cast.category.id, "group": cast.group.id, button: "1",
    }, follow_redirects=True)

    proposal = newest_proposal()
    assert proposal.title == "Hotspot map for every district" and proposal.state == state
    assert proposal.author_id == cast.author.id and proposal.sector == cast.author.sector
    assert "Hotspot map for every district" in page.text
    expected = ("Your proposal is open for comment." if state == S.OPEN
                else "Your draft is saved.")
    assert expected in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [({"title": ""}, "This field is required."),
     ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
     ({"body": "x" * 50_001}, "The text may be at most 50000 characters long"),
     ({"category": "abc"}, "This field is required."),
     ({"category": "999999"}, "Not a valid choice"),
     ({"group": "999999"}, "Not a valid choice")],
    ids=["no-title", "long-title", "long-body", "junk-category", "unknown-category",
         "unknown-group"],
)
def test_bad_proposal_input_is_refused_beside_the_field_and_kept(
    data, message, cast, login, db
):
    db.session.commit()
    count = count_rows(Proposal)
    form = {"title": "A fine title", "body": "Keep me", "category": cast.category.id,
            "group": cast.group.id, "submit_for_comment": "1", **data}

    page = login(cast.author).post("/proposals/new", data=form)

    assert page.status_code == 200
    assert message in page.text
    assert 'class="field has-error"' in page.text
    assert "Keep me" in page.text or "body" in data
    assert count_rows(Proposal) == count


def test_without_categories_the_page_says_so_instead_of_a_form(make, login, db):
    make.group()
    user = make.user()
    db.session.commit()

    page = login(user).get("/proposals/new")

    assert page.status_code == 200
    assert "There are no categories yet" in page.text
    assert 'name="title"' not in page.text


def test_editing_adds_a_revision_and_logs_it(make, cast):
    proposal = proposal_in(make, S.OPEN, cast=cast, title="First title", body="First text")
    other = make.category()

    revision = services.edit_proposal(
        proposal=proposal, editor=cast.author, title="Second title", body="Second text",
        category=other, now=utcnow(),
    )

    assert revision.number == 2
    assert (proposal.title, proposal.body, proposal.category_id) == (
        "Second title", "Second text", other.id)
    numbers = db.session.scalars(
        sa.select(ProposalRevision.number).where(ProposalRevision.proposal_id == proposal.id)
    ).all()
    assert sorted(numbers) == [1, 2]
    entry = db.session.scalars(
        sa.select(LogEntry).where(LogEntry.subject_id == proposal.id,
                                  LogEntry.verb == "proposal.edited")
    ).one()
    assert entry.data == {"revision": 2, "category_id": other.id}


def test_saving_without_changes_adds_no_revision(make, cast):
    proposal = proposal_in(make, S.DRAFT, cast=cast, title="Same", body="Same text")
    assert services.edit_proposal(
        proposal=proposal, editor=cast.author, title="Same", body="Same text",
        category=cast.category, now=utcnow(),
    ) is None


@pytest.mark.parametrize("state", list(ProposalState), ids=lambda s: s.value)
@pytest.mark.parametrize("role", ["author", "secretary", "outsider"])
def test_only_the_author_edits_and_only_while_draft_or_open(role, state, make, cast):
    proposal = proposal_in(make, state, cast=cast, title="Before")
    allowed = role == "author" and state in {S.DRAFT, S.OPEN}

    if allowed:
        services.edit_proposal(proposal=proposal, editor=cast[role], title="After", body="B",
                               category=cast.category, now=utcnow())
        assert proposal.title == "After"
    else:
        with pytest.raises(services.DomainError):
            services.edit_proposal(proposal=proposal, editor=cast[role], title="After",
                                   body="B", category=cast.category, now=utcnow())
        db.session.expire_all()
        assert db.session.get(Proposal, proposal.id).title == "Before"


def test_edit_page_saves_a_version_and_history_lists_every_version(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast, title="Original title",
                           body="Original **text**")
    db.session.commit()
    client = login(cast.author)

    form = client.get(f"/proposals/{proposal.id}/edit").text
    assert 'value="Original title"' in form and "Original **text**" in form

    saved = client.post(f"/proposals/{proposal.id}/edit", data={
        "title": "Improved title", "body": "Improved text", "category": cast.category.id,
        "save": "1",
    }, follow_redirects=True)
    assert "Your changes are saved as version 2." in saved.text
    assert "Improved title" in saved.text

    history = client.get(f"/proposals/{proposal.id}/history").text
    assert "This proposal has 2 versions." in history
    assert "Version 2" in history and "Version 1" in history
    assert history.index("Improved title") < history.index("Original title")
    assert history.count(">Somchai Author</td>") == 2

    first = client.get(f"/proposals/{proposal.id}/history/1").text
    assert "Original title" in first and "Original <strong>text</strong>" in first
    assert "Version 1, saved by Somchai Author on" in first
    assert client.get(f"/proposals/{proposal.id}/history/3").status_code == 404


def test_edit_page_is_forbidden_to_others_and_closed_after_consideration(
    make, cast, login, db
):
    open_one = proposal_in(make, S.OPEN, cast=cast)
    considered = proposal_in(make, S.UNDER_CONSIDERATION, cast=cast)
    db.session.commit()

    assert login(cast.secretary).get(f"/proposals/{open_one.id}/edit").status_code == 403
    page = login(cast.author).get(f"/proposals/{considered.id}/edit",
                                  follow_redirects=True)
    assert "can be edited only while it is a draft or open for comment" in page.text


def test_history_of_a_draft_is_private(make, cast, client, db):
    proposal = proposal_in(make, S.DRAFT, cast=cast)
    db.session.commit()
    assert client.get(f"/proposals/{proposal.id}/history").status_code == 404
    assert client.get(f"/proposals/{proposal.id}/history/1").status_code == 404
