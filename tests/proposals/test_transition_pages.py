"""The state machine through the pages: 403 for the wrong role, a message for the wrong state."""

from __future__ import annotations

import pytest

from participation.accountability.models import LogEntry
from participation.accounts.models import User
from participation.extensions import db
from participation.proposals.models import Proposal, ProposalState
from tests.proposals.fixtures import proposal_in
from tests.querycount import forget_loaded_rows
from tests.rows import count_rows

S = ProposalState


def state_of(proposal_id: int) -> ProposalState:
    db.session.expire_all()
    return db.session.get(Proposal, proposal_id).state


@pytest.mark.parametrize(
    ("url", "role", "start", "end", "message"),
    [("open", "author", S.DRAFT, S.OPEN, "The proposal is now open for comment."),
     ("consider", "secretary", S.OPEN, S.UNDER_CONSIDERATION,
      "The proposal is now under consideration by the working group."),
     ("consider", "chair", S.OPEN, S.UNDER_CONSIDERATION,
      "The proposal is now under consideration by the working group."),
     ("withdraw", "author", S.OPEN, S.WITHDRAWN, "The proposal was withdrawn.")],
)
def test_permitted_transition_through_the_page(url, role, start, end, message, make, cast,
                                               login, db):
    proposal = proposal_in(make, start, cast=cast)
    db.session.commit()

    page = login(cast[role]).post(f"/proposals/{proposal.id}/{url}", follow_redirects=True)

    assert page.status_code == 200 and message in page.text
    assert state_of(proposal.id) == end


@pytest.mark.parametrize(
    ("url", "role"),
    [("open", "secretary"), ("open", "outsider"), ("consider", "author"),
     ("consider", "member"), ("consider", "vice_chair"), ("withdraw", "secretary"),
     ("withdraw", "admin"), ("merge", "author"), ("merge", "member")],
)
def test_wrong_role_gets_403_and_nothing_changes(url, role, make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()
    entries = count_rows(LogEntry)

    response = login(cast[role]).post(f"/proposals/{proposal.id}/{url}")

    assert response.status_code == 403
    assert state_of(proposal.id) == S.OPEN
    assert count_rows(LogEntry) == entries


@pytest.mark.parametrize("url", ["open", "consider", "withdraw", "merge", "support"])
def test_transitions_need_a_login(url, make, cast, client, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()
    response = client.post(f"/proposals/{proposal.id}/{url}")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize(
    ("url", "role", "start", "message"),
    [("open", "author", S.OPEN, "Only a draft can be submitted for comment."),
     ("consider", "secretary", S.ADOPTED,
      "Only a proposal that is open for comment can be put under consideration."),
     ("withdraw", "author", S.REJECTED, "This proposal can no longer be withdrawn")],
)
def test_wrong_state_is_explained_and_changes_nothing(url, role, start, message, make, cast,
                                                      login, db):
    proposal = proposal_in(make, start, cast=cast)
    db.session.commit()

    page = login(cast[role]).post(f"/proposals/{proposal.id}/{url}", follow_redirects=True)

    assert page.status_code == 200
    assert 'class="flash flash-error"' in page.text and message in page.text
    assert state_of(proposal.id) == start


def test_unknown_proposal_transition_is_404(cast, login, db):
    db.session.commit()
    assert login(cast.author).post("/proposals/999999/open").status_code == 404


def test_merge_form_lists_candidates_and_merges(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast, title="Duplicate idea")
    target = proposal_in(make, S.UNDER_CONSIDERATION, cast=cast, title="The main idea")
    proposal_in(make, S.WITHDRAWN, cast=cast, title="Withdrawn idea")
    make.proposal(title="Other group idea", category=cast.category)
    db.session.commit()
    client = login(cast.secretary)

    form = client.get(f"/proposals/{proposal.id}/merge").text
    assert "The main idea" in form
    assert "Withdrawn idea" not in form and "Other group idea" not in form
    assert "Duplicate idea</a>" in form

    page = client.post(f"/proposals/{proposal.id}/merge", data={"into": target.id},
                       follow_redirects=True)
    assert f"The proposal was merged into #{target.id}." in page.text
    assert "This proposal was merged into another one:" in page.text
    db.session.expire_all()
    merged = db.session.get(Proposal, proposal.id)
    assert merged.state == S.MERGED and merged.merged_into_id == target.id


def test_merge_form_refuses_a_target_outside_the_list(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    proposal_in(make, S.OPEN, cast=cast)
    elsewhere = make.proposal(category=cast.category)
    db.session.commit()

    page = login(cast.chair).post(f"/proposals/{proposal.id}/merge",
                                  data={"into": elsewhere.id})

    assert page.status_code == 200 and "Not a valid choice" in page.text
    assert state_of(proposal.id) == S.OPEN


def test_merge_form_without_candidates_says_so(make, cast, login, db):
    proposal = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()
    page = login(cast.secretary).get(f"/proposals/{proposal.id}/merge")
    assert "No other proposal of this working group can receive a merge." in page.text


def test_merge_form_for_a_closed_proposal_redirects_with_a_message(make, cast, login, db):
    proposal = proposal_in(make, S.ADOPTED, cast=cast)
    db.session.commit()
    page = login(cast.secretary).get(f"/proposals/{proposal.id}/merge",
                                     follow_redirects=True)
    assert "can be merged" in page.text and 'flash-error' in page.text


def test_transition_form_refuses_a_missing_csrf_token(app, make, cast, login, db):
    proposal = proposal_in(make, S.DRAFT, cast=cast)
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = login(cast.author).post(f"/proposals/{proposal.id}/open")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert state_of(proposal.id) == S.DRAFT


def test_transitions_work_from_a_fresh_request(make, cast, login, db):
    """Each request starting with an empty session, as in production."""
    proposal = proposal_in(make, S.DRAFT, cast=cast)
    target = proposal_in(make, S.OPEN, cast=cast)
    db.session.commit()
    proposal_id, target_id = proposal.id, target.id
    author_id, secretary_id = cast.author.id, cast.secretary.id

    def post_as(user_id: int, url: str, **data) -> None:
        client = login(db.session.get(User, user_id))
        forget_loaded_rows()
        assert client.post(url, data=data).status_code == 302

    post_as(author_id, f"/proposals/{proposal_id}/open")
    post_as(secretary_id, f"/proposals/{proposal_id}/consider")
    post_as(secretary_id, f"/proposals/{proposal_id}/merge", into=target_id)
    forget_loaded_rows()
    assert db.session.get(Proposal, proposal_id).merged_into_id == target_id
