"""The group and seat services: rules, the database guarantee and the log."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from participation.accountability.models import LogEntry
from participation.accounts.models import Sector
from participation.core.models import utcnow
from participation.groups import services
from participation.groups.models import Seat, SeatRole


def log_verbs(db, subject_type, subject_id):
    return db.session.scalars(
        sa.select(LogEntry.verb)
        .where(LogEntry.subject_type == subject_type, LogEntry.subject_id == subject_id)
        .order_by(LogEntry.id)
    ).all()


def test_group_life_is_logged(make, db):
    admin = make.user(is_admin=True)
    group = services.create_group(name_th="คณะทำงาน", name_en="", description="", actor=admin,
                                  now=utcnow())
    services.update_group(group=group, name_th="คณะทำงาน", name_en="Working group",
                          description="", actor=admin, now=utcnow())
    services.update_group(group=group, name_th="คณะทำงาน", name_en="Working group",
                          description="", actor=admin, now=utcnow())  # no change, no entry
    assert log_verbs(db, "group", group.id) == ["group.created", "group.edited"]


def test_new_seats_go_to_the_end(make, db):
    group = make.group()
    first = services.add_seat(group=group, role=SeatRole.CHAIR, organisation=None,
                              sector=Sector.GOVERNMENT, voting=True, actor=None, now=utcnow())
    second = services.add_seat(group=group, role=SeatRole.MEMBER, organisation=None,
                               sector=Sector.CITIZEN, voting=True, actor=None, now=utcnow())
    assert (first.position, second.position) == (0, 1)


def test_holder_changes_are_logged_with_ids_only(make, db):
    group = make.group()
    seat = make.seat(group)
    first, second = make.user(), make.user()
    now = utcnow()

    services.assign_holder(seat=seat, holder=first, actor=None, now=now)
    services.assign_holder(seat=seat, holder=first, actor=None, now=now)  # unchanged
    services.assign_holder(seat=seat, holder=second, actor=None, now=now)
    services.assign_holder(seat=seat, holder=None, actor=None, now=now)

    assert log_verbs(db, "seat", seat.id) == ["seat.assigned", "seat.assigned", "seat.vacated"]
    last = db.session.scalar(sa.select(LogEntry).order_by(LogEntry.id.desc()).limit(1))
    assert last.data == {"group_id": group.id, "holder_id": None,
                         "previous_holder_id": second.id}


def test_one_seat_per_person_per_group_is_refused_by_the_service(make, db):
    group = make.group()
    person = make.member(group)
    other = make.seat(group, role=SeatRole.SECRETARY)
    with pytest.raises(services.HolderHasSeat):
        services.assign_holder(seat=other, holder=person, actor=None, now=utcnow())
    assert other.holder_id is None


def test_one_seat_per_person_per_group_is_guaranteed_by_the_database(make, db):
    group = make.group()
    person = make.member(group)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.add(Seat(group_id=group.id, role=SeatRole.MEMBER, sector=Sector.CITIZEN,
                                holder_id=person.id, voting=True, position=9))
            db.session.flush()


def test_remove_seat_checks_votes(make, db):
    group = make.group()
    make.member(group)
    voted = group.seats[0]
    make.vote(voted)
    spare = make.seat(group)
    spare_id = spare.id

    with pytest.raises(services.SeatHasVotes):
        services.remove_seat(seat=voted, actor=None, now=utcnow())
    services.remove_seat(seat=spare, actor=None, now=utcnow())

    assert db.session.get(Seat, spare_id) is None
    assert db.session.get(Seat, voted.id) is not None
    assert log_verbs(db, "seat", spare_id)[-1] == "seat.removed"


def test_update_seat_logs_what_changed(make, db):
    seat = make.seat(make.group(), role=SeatRole.MEMBER)
    services.update_seat(seat=seat, role=SeatRole.MEMBER, organisation=None,
                         sector=seat.sector, voting=False, position=None, actor=None,
                         now=utcnow())
    entry = db.session.scalar(sa.select(LogEntry).order_by(LogEntry.id.desc()).limit(1))
    assert entry.verb == "seat.edited"
    assert entry.data["changed"] == ["voting"]


def test_a_holder_race_is_caught_by_the_constraint_and_reported(make, db, monkeypatch):
    # Simulate another administrator giving the person a seat between our check and our write.
    group = make.group()
    person = make.member(group)
    other = make.seat(group, role=SeatRole.SECRETARY)
    monkeypatch.setattr(services, "seat_in_group", lambda group_id, user_id: None)

    with pytest.raises(services.HolderHasSeat):
        services.assign_holder(seat=other, holder=person, actor=None, now=utcnow())

    assert other.holder_id is None
    assert log_verbs(db, "seat", other.id) == []
