"""The in-app reminder: a banner on every page for a member whose seat has not voted on a
ballot closing soon."""

from __future__ import annotations

from datetime import timedelta

from participation.accounts.models import User
from participation.core.models import utcnow
from participation.extensions import db
from participation.votes import queries, services
from tests.querycount import count_queries, forget_loaded_rows
from tests.votes.helpers import committee, name_deputy

BANNER = 'class="vote-reminders"'


def soon(hours: float):
    return utcnow() + timedelta(hours=hours)


def page(client, url="/groups") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_a_member_who_has_not_voted_sees_the_reminder_on_every_page(make, login):
    c = committee(make)
    ballot = c.open_ballot(closes_at=soon(2.5))
    db.session.commit()
    client = login(c.members[0])
    for url in ("/", "/groups", f"/proposals/{c.proposal.id}", "/decisions"):
        text = page(client, url)
        assert BANNER in text, url
        assert ("Voting on Publish PM2.5 readings daily closes in 3 hours; your seat has not "
                "voted.") in text
        assert f'href="/ballots/{ballot.id}">Vote now</a>' in text


def test_the_reminder_goes_once_the_seat_has_voted(make, login):
    c = committee(make)
    ballot = c.open_ballot(closes_at=soon(5))
    services.cast_vote(ballot=ballot, member=c.members[0], choice="yes", now=utcnow())
    db.session.commit()
    assert BANNER not in page(login(c.members[0]))
    assert BANNER in page(login(c.members[1]))


def test_the_reminder_waits_for_the_groups_reminder_time(make, login):
    c = committee(make)
    c.open_ballot(closes_at=soon(30))  # the default reminder time is 24 hours
    db.session.commit()
    client = login(c.members[0])
    assert BANNER not in page(client)
    c.group.reminder_hours = 48
    db.session.commit()
    assert "closes in 30 hours" in page(client)


def test_a_deputy_is_reminded_until_the_seat_votes_by_either_of_them(make, login):
    c = committee(make)
    deputy, _seat = name_deputy(make, c)
    ballot = c.open_ballot(closes_at=soon(1))
    db.session.commit()
    assert "closes in 1 hour; your seat has not voted." in page(login(deputy))
    services.cast_vote(ballot=ballot, member=c.members[0], choice="no", now=utcnow())
    db.session.commit()
    assert BANNER not in page(login(deputy))


def test_no_reminder_for_visitors_outsiders_the_secretariat_or_a_past_closing_time(
    make, login, client
):
    c = committee(make)
    c.open_ballot(closes_at=soon(3))
    other = committee(make)
    make.ballot(other.proposal, opened_by=other.secretary, closes_at=soon(-0.5))
    db.session.commit()
    assert BANNER not in page(client)
    for person in (c.outsider, c.secretary, other.members[0]):
        assert BANNER not in page(login(person))


def test_reminders_list_the_soonest_first_across_groups(make):
    first, second = committee(make), committee(make)
    person = first.members[0]
    seat = second.group.seats[1]
    seat.deputy = person
    later = first.open_ballot(closes_at=soon(20))
    sooner = second.open_ballot(closes_at=soon(2))
    db.session.commit()
    seat_ids = [first.group.seats[1].id, seat.id]
    for reminders in (queries.reminders_for(seat_ids=seat_ids, now=utcnow()),
                      queries.reminders_for(user_id=person.id, now=utcnow())):
        assert [r.ballot_id for r in reminders] == [sooner.id, later.id]
        assert [r.hours_left for r in reminders] == [2, 20]
    assert queries.reminders_for(seat_ids=[], now=utcnow()) == []


def queries_for(client, url="/groups") -> list[str]:
    forget_loaded_rows()
    with count_queries() as log:
        assert client.get(url).status_code == 200
    return log.statements


def reminder_queries(statements: list[str]) -> int:
    return sum("reminder_hours" in statement and "FROM ballots" in statement
               for statement in statements)


def test_the_reminder_runs_one_query_whatever_the_number_of_ballots(make, login):
    c = committee(make)
    c.open_ballot(closes_at=soon(2))
    db.session.commit()
    member_id = c.members[0].id
    client = login(c.members[0])
    one = queries_for(client)
    for _ in range(3):
        other = committee(make)
        other.group.seats[1].deputy = db.session.get(User, member_id)
        other.open_ballot(closes_at=soon(3))
    db.session.commit()
    text = page(client)
    assert text.count("your seat has not voted") == 4
    assert len(queries_for(client)) == len(one)
    assert reminder_queries(one) == 1


def test_the_reminder_costs_at_most_one_query_and_none_for_visitors(make, login, client):
    c = committee(make)
    c.open_ballot(closes_at=soon(2))
    db.session.commit()
    ids = {"visitor": None, "outsider": c.outsider.id, "secretary": c.secretary.id,
           "member": c.members[0].id}
    counts = {}
    for who, person_id in ids.items():
        viewer = client if person_id is None else login(db.session.get(User, person_id))
        counts[who] = reminder_queries(queries_for(viewer))
    assert counts == {"visitor": 0, "outsider": 1, "secretary": 1, "member": 1}


def test_no_reminder_query_when_the_page_has_read_the_seats_and_none_votes(make, login):
    c = committee(make)
    c.open_ballot(closes_at=soon(2))
    db.session.commit()
    secretary_id, member_id, url = c.secretary.id, c.members[0].id, f"/proposals/{c.proposal.id}"
    # The proposal page reads the reader's seats for its permission checks.
    secretary = login(db.session.get(User, secretary_id))
    assert reminder_queries(queries_for(secretary, url)) == 0
    member = login(db.session.get(User, member_id))
    assert reminder_queries(queries_for(member, url)) == 1
