"""The public pages run a fixed, small number of queries whatever the amount of data: a
roll-call of 13 or 26 seats, 3 or 30 progress reports, a few or many decisions, commitments,
log entries and seats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import cycle

import pytest

from participation.accountability.verbs import SUBJECT_TYPES
from participation.accounts.models import Organisation, Sector, User
from participation.commitments import services as commitments
from participation.commitments.models import Commitment, CommitmentStatus, Completion
from participation.core.models import utcnow
from participation.decisions.models import Decision
from participation.extensions import db
from participation.groups import services as groups
from participation.groups.models import SeatRole, WorkingGroup
from participation.proposals import services as proposals
from participation.proposals.models import Category
from participation.votes import services as votes
from participation.votes.models import VoteChoice
from tests.querycount import page_queries
from tests.rows import count_rows
from tests.security.world import browse_as, seat_new_holder, site_today

SECTORS = cycle([Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.PRIVATE, Sector.ACADEMIA])
CHOICES = (VoteChoice.YES, VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN)


@dataclass
class Decided:
    group_id: int
    secretary_id: int
    decision_id: int
    commitment_id: int
    reporter_ids: list[int]


def decided_group(make, *, seats: int, admin: User, category: Category) -> Decided:
    """A group with `seats` voting seats (all but two voted), a secretary, an adopted decision
    and its commitment with one progress report; built with the services."""
    now = utcnow()
    group = groups.create_group(
        name_th=f"คณะทำงาน {seats} ที่นั่ง {make.organisation().id}",
        name_en=f"A group of {seats} seats", description="", actor=admin, now=now,
    )
    members: list[User] = []
    for position in range(seats + 1):
        role = SeatRole.CHAIR if position == 0 else SeatRole.MEMBER
        if position == seats:
            role = SeatRole.SECRETARY
        holder, _seat = seat_new_holder(make, group=group, role=role, sector=next(SECTORS),
                                        position=position, actor=admin, now=now)
        members.append(holder)
    secretary, voters = members[-1], members[:-1]
    author = make.user(sector=Sector.CIVIL_SOCIETY)
    proposal = proposals.create_proposal(
        author=author, group=group, title=f"Measure for {seats} seats", body="Do it.",
        category=category, submit=True, now=now,
    )
    proposals.start_consideration(proposal=proposal, actor=secretary, now=now)
    ballot = votes.open_ballot(proposal=proposal, actor=secretary, quorum=1,
                               closes_at=now + timedelta(days=7), now=now)
    for number, voter in enumerate(voters[:-2]):
        votes.cast_vote(ballot=ballot, member=voter, choice=CHOICES[number % 4], now=now)
    # The yes votes outnumber the no votes two to one, so the proposal is adopted.
    decision = votes.close_ballot(ballot=ballot, actor=secretary, now=now,
                                  resolution="Adopted as proposed.")
    today = site_today()
    lead = db.session.get(Organisation, voters[1].organisation_id)
    commitment = commitments.create_commitment(
        decision=decision, actor=secretary, title=f"Commitment of {seats} seats",
        description="", lead_organisation=lead,
        supporters=[db.session.get(Organisation, voter.organisation_id) for voter in voters[2:5]],
        start_date=today - timedelta(days=40), due_date=today + timedelta(days=200),
        milestones=[(f"Step {n}", today + timedelta(days=30 * n)) for n in range(1, 4)],
        now=now,
    )
    # The lead agency's contacts and the secretary take turns to report.
    reporters = [secretary, *(make.agency_contact(lead) for _ in range(5))]
    report(commitment, reporters, 1)
    db.session.commit()
    return Decided(group.id, secretary.id, decision.id, commitment.id,
                   [reporter.id for reporter in reporters])


def report(commitment: Commitment, authors: list[User], count: int) -> None:
    """Post `count` progress reports with evidence, the authors taking turns."""
    today = site_today()
    for n in range(count):
        commitments.post_progress(
            commitment=commitment, author=authors[n % len(authors)],
            reported_on=today - timedelta(days=n % 30),
            completion=Completion.LIMITED, percent=min(100, 5 + n), status=CommitmentStatus.ON_TRACK,
            note=f"Report **{n}**.", reason="",
            evidence=[f"https://example.org/report/{n}", f"https://example.org/photo/{n}"],
            now=utcnow(),
        )


@pytest.fixture
def setting(make, db):
    admin = make.user(is_admin=True)
    category = proposals.create_category(actor=admin, name_th="หมวดนับคำสั่ง",
                                         name_en="Counting", position=1, now=utcnow())
    db.session.commit()
    return admin.id, category.id


def build(make, setting, *, seats: int) -> Decided:
    admin_id, category_id = setting
    return decided_group(make, seats=seats, admin=db.session.get(User, admin_id),
                         category=db.session.get(Category, category_id))


def queries_of(client, url: str, user_id: int | None) -> int:
    browse_as(client, user_id)
    return page_queries(client, url)[0]


@pytest.mark.parametrize("viewer", ["visitor", "secretary"])
def test_a_decision_page_runs_the_same_queries_for_13_and_26_seats(
    viewer, make, setting, client
):
    small = build(make, setting, seats=13)
    large = build(make, setting, seats=26)

    def count(decided: Decided) -> int:
        user = decided.secretary_id if viewer == "secretary" else None
        return queries_of(client, f"/decisions/{decided.decision_id}", user)

    roll_call = client.get(f"/decisions/{large.decision_id}").text
    assert roll_call.count("<tr") >= 26
    assert count(small) == count(large) <= 10


@pytest.mark.parametrize("viewer", ["visitor", "secretary"])
def test_a_commitment_page_runs_the_same_queries_for_3_and_30_reports(
    viewer, make, setting, client
):
    decided = build(make, setting, seats=5)
    user = decided.secretary_id if viewer == "secretary" else None
    url = f"/commitments/{decided.commitment_id}"

    def add_reports(count: int) -> None:
        report(db.session.get(Commitment, decided.commitment_id),
               [db.session.get(User, user_id) for user_id in decided.reporter_ids], count)
        db.session.commit()

    add_reports(2)
    three = queries_of(client, url, user)
    add_reports(27)
    thirty = queries_of(client, url, user)
    assert client.get(url).text.count("Reported by") == 30
    # The follow button's count and, for a signed-in reader, the header's unread count, the
    # reader's own row and the two-factor requirements included.
    assert three == thirty <= (13 if user else 11)


# The log page describes its entries' subjects with one query per kind of subject on the
# page, so its count is compared on one kind; unfiltered it stays under a bound.
LISTS = ["/", "/decisions", "/commitments", "/log?subject_type=commitment",
         "/log?subject_type=proposal", "/groups/{group}"]


@pytest.mark.parametrize("viewer", ["visitor", "secretary"])
def test_the_lists_run_the_same_queries_with_more_data(viewer, make, setting, client):
    first = build(make, setting, seats=4)
    user = first.secretary_id if viewer == "secretary" else None
    urls = [url.format(group=first.group_id) for url in LISTS]
    few = {url: queries_of(client, url, user) for url in urls}

    for seats in (6, 9, 12):
        build(make, setting, seats=seats)
    # More seats in the first group too, held and vacant.
    admin = db.session.get(User, setting[0])
    group = db.session.get(WorkingGroup, first.group_id)
    for _ in range(10):
        seat_new_holder(make, group=group, role=SeatRole.MEMBER, actor=admin, now=utcnow())
    groups.add_seat(group=group, role=SeatRole.ASSISTANT_SECRETARY, organisation=None,
                    sector=Sector.GOVERNMENT, voting=False, actor=admin, now=utcnow())
    db.session.commit()
    assert count_rows(Decision) == 4
    many = {url: queries_of(client, url, user) for url in urls}

    assert many == few
    for url, count in many.items():
        assert count <= 10, (url, count)
    # Every kind of subject can be on the first page of the log: one query each, at most.
    assert queries_of(client, "/log", user) <= few["/log?subject_type=proposal"] + len(
        SUBJECT_TYPES
    )
