"""Following and unfollowing proposals, commitments, KPIs and working groups: the rules, the
button on each page, and the list of what one follows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.core.errors import NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from participation.notifications import services
from participation.notifications.models import Follow, FollowedType
from participation.proposals.models import ProposalState
from tests.kpis.scene import Group
from tests.proposals.fixtures import proposal_in

P = FollowedType.PROPOSAL


def follows_of(user) -> list[tuple[str, int]]:
    return [(f.subject_type.value, f.subject_id) for f in db.session.scalars(
        sa.select(Follow).where(Follow.user_id == user.id).order_by(Follow.id))]


def test_following_twice_keeps_one_follow_and_unfollowing_removes_it(make, cast):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    reader = make.user()
    assert services.follow(user=reader, kind=P, subject=proposal, now=utcnow()) is True
    assert services.follow(user=reader, kind=P, subject=proposal, now=utcnow()) is False
    assert follows_of(reader) == [("proposal", proposal.id)]
    assert services.unfollow(user=reader, kind=P, subject_id=proposal.id) is True
    assert services.unfollow(user=reader, kind=P, subject_id=proposal.id) is False
    assert follows_of(reader) == []


def test_a_draft_is_followed_only_by_those_who_may_see_it(make, cast):
    draft = proposal_in(make, ProposalState.DRAFT, cast=cast)
    with pytest.raises(NotAllowed):
        services.follow(user=cast.outsider, kind=P, subject=draft, now=utcnow())
    assert follows_of(cast.outsider) == []
    assert services.follow(user=cast.author, kind=P, subject=draft, now=utcnow())


def test_following_from_the_proposal_page_changes_the_button(make, cast, login, client):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    db.session.commit()
    login(cast.outsider)
    page = client.get(f"/proposals/{proposal.id}").text
    assert "0 followers" in page and ">Follow</button>" in page

    response = client.post(f"/follow/proposal/{proposal.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}"
    page = client.get(f"/proposals/{proposal.id}").text
    assert "1 follower" in page and "Following — unfollow" in page
    assert "You are following this now." in page

    client.post(f"/unfollow/proposal/{proposal.id}")
    page = client.get(f"/proposals/{proposal.id}").text
    assert "0 followers" in page and ">Follow</button>" in page
    assert follows_of(cast.outsider) == []


def test_a_visitor_is_asked_to_log_in_to_follow(make, cast, client):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    db.session.commit()
    page = client.get(f"/proposals/{proposal.id}").text
    assert f'href="/login?next=/proposals/{proposal.id}">Log in to follow</a>' in page
    response = client.post(f"/follow/proposal/{proposal.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert db.session.scalar(sa.select(sa.func.count(Follow.id))) == 0


def test_someone_elses_draft_cannot_be_followed_it_is_not_there(make, cast, login, client):
    draft = proposal_in(make, ProposalState.DRAFT, cast=cast)
    db.session.commit()
    login(cast.outsider)
    assert client.post(f"/follow/proposal/{draft.id}").status_code == 404
    assert follows_of(cast.outsider) == []


@pytest.mark.parametrize("url", ["/follow/proposal/999999", "/follow/meeting/1",
                                 "/unfollow/kpi/999999", "/follow/group/0"])
def test_following_what_does_not_exist_is_not_found(url, make, login, client):
    user = make.user()
    db.session.commit()
    login(user)
    assert client.post(url).status_code == 404
    assert follows_of(user) == []


def test_commitments_kpis_and_groups_have_the_button_too(make, login, client):
    scene = Group(make)
    kpi = scene.kpi()
    reader = make.user()
    db.session.commit()
    login(reader)
    for kind, subject_id, page in (
        ("commitment", scene.commitment.id, f"/commitments/{scene.commitment.id}"),
        ("kpi", kpi.id, f"/kpis/{kpi.id}"),
        ("group", scene.group.id, f"/groups/{scene.group.id}"),
    ):
        assert f'action="/follow/{kind}/{subject_id}"' in client.get(page).text, kind
        assert client.post(f"/follow/{kind}/{subject_id}").headers["Location"] == page
        assert f'action="/unfollow/{kind}/{subject_id}"' in client.get(page).text, kind
    assert follows_of(reader) == [("commitment", scene.commitment.id), ("kpi", kpi.id),
                                  ("group", scene.group.id)]


def test_what_i_follow_lists_each_subject_with_an_unfollow_button(make, cast, login, client):
    scene = Group(make)
    kpi = scene.kpi(name_en="Days above the standard")
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast, title="Spray water on roads")
    reader = make.user()
    for kind, subject in ((P, proposal), (FollowedType.KPI, kpi),
                          (FollowedType.GROUP, cast.group)):
        services.follow(user=reader, kind=kind, subject=subject, now=utcnow())
    db.session.commit()
    login(reader)

    page = client.get("/notifications/following").text
    assert f'<a href="/proposals/{proposal.id}">Spray water on roads</a>' in page
    assert f'<a href="/kpis/{kpi.id}">Days above the standard</a>' in page
    assert f'<a href="/groups/{cast.group.id}">{cast.group.name_en}</a>' in page
    assert page.count('role="row"') == 4  # the header and three subjects

    response = client.post(f"/unfollow/kpi/{kpi.id}?back=following")
    assert response.headers["Location"] == "/notifications/following"
    assert "Days above the standard" not in client.get("/notifications/following").text


def test_only_the_following_page_is_a_place_to_go_back_to(make, cast, login, client):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast)
    user = make.user()
    db.session.commit()
    login(user)
    response = client.post(f"/follow/proposal/{proposal.id}?back=https://evil.example")
    assert response.headers["Location"] == f"/proposals/{proposal.id}"


def test_what_i_follow_needs_a_login(client):
    assert client.get("/notifications/following").headers["Location"].startswith("/login")
