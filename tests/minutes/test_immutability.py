"""Approved minutes never change: the services refuse first, with a message, and the database
itself refuses any statement that would change them (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.core.models import utcnow
from participation.extensions import db
from participation.meetings.models import MinutesStatus
from participation.minutes import services
from participation.minutes.services import MinutesApproved

FROZEN = "approved minutes cannot be changed"


def refused_by_the_database(statement: str, **params) -> str:
    """Run one statement in a savepoint; it must fail. Return the database's message."""
    with pytest.raises(sa.exc.DBAPIError) as raised, db.session.begin_nested():
        db.session.execute(sa.text(statement), params)
    return str(raised.value)


@pytest.fixture
def approved(scene):
    scene.report.minutes = "Hotspots fell by 30%."
    scene.approve()
    db.session.commit()
    return scene


def test_the_services_refuse_to_edit_approved_minutes_and_nothing_changes(approved):
    scene = approved
    with pytest.raises(MinutesApproved, match="Record a correction"):
        services.edit_minutes(meeting=scene.meeting, actor=scene.secretary,
                              minutes={scene.report.id: "Rewritten."}, minutes_taker=None,
                              now=utcnow())
    with pytest.raises(MinutesApproved):
        services.publish_minutes(meeting=scene.meeting, actor=scene.secretary, now=utcnow())
    db.session.expire_all()
    assert scene.report.minutes == "Hotspots fell by 30%."
    assert scene.meeting.minutes_status == MinutesStatus.APPROVED


@pytest.mark.parametrize(("column", "value"), [
    ("minutes", "Rewritten in secret."),
    ("title", "Another title"),
    ("description", "Another description"),
    ("resolution", "Another resolution"),
    ("position", 9),
    ("section", 4),
])
def test_the_database_refuses_to_change_an_approved_items_minutes(approved, column, value):
    message = refused_by_the_database(
        f"UPDATE agenda_items SET {column} = :value WHERE id = :id",
        value=value, id=approved.report.id,
    )
    assert FROZEN in message
    db.session.expire_all()
    assert approved.report.minutes == "Hotspots fell by 30%."
    assert approved.report.title == "Hotspot report for February"


def test_the_database_refuses_to_move_a_proposal_onto_or_off_an_approved_item(approved):
    assert FROZEN in refused_by_the_database(
        "UPDATE agenda_items SET proposal_id = NULL WHERE id = :id",
        id=approved.consideration.id,
    )


def test_the_database_refuses_to_add_or_remove_items_of_approved_minutes(approved):
    assert FROZEN in refused_by_the_database(
        "INSERT INTO agenda_items (meeting_id, section, position, title, description, minutes, "
        "resolution) VALUES (:meeting, 4, 2, 'Added later', '', 'Never said.', '')",
        meeting=approved.meeting.id,
    )
    assert FROZEN in refused_by_the_database(
        "DELETE FROM agenda_items WHERE id = :id", id=approved.other.id
    )
    db.session.expire_all()
    assert len(approved.meeting.items) == 5


def test_the_database_refuses_to_change_the_attendance_of_approved_minutes(approved):
    row = approved.meeting.attendance[0]
    assert FROZEN in refused_by_the_database(
        "UPDATE attendance SET status = 'absent', attendee_id = NULL WHERE id = :id", id=row.id
    )
    assert FROZEN in refused_by_the_database("DELETE FROM attendance WHERE id = :id", id=row.id)
    vacant = approved.make.seat(approved.group)
    db.session.commit()
    assert FROZEN in refused_by_the_database(
        "INSERT INTO attendance (meeting_id, seat_id, status, note) "
        "VALUES (:meeting, :seat, 'absent', '')",
        meeting=approved.meeting.id, seat=vacant.id,
    )


@pytest.mark.parametrize("statement", [
    "UPDATE meetings SET minutes_status = 'published', approved_at_meeting_id = NULL "
    "WHERE id = :id",
    "UPDATE meetings SET approved_at_meeting_id = :other WHERE id = :id",
    "UPDATE meetings SET minutes_taker_id = :person WHERE id = :id",
])
def test_the_database_refuses_to_undo_or_move_the_approval(approved, statement):
    assert FROZEN in refused_by_the_database(
        statement, id=approved.meeting.id, other=approved.planned.id,
        person=approved.member.id,
    )
    db.session.expire_all()
    assert approved.meeting.minutes_status == MinutesStatus.APPROVED
    assert approved.meeting.approved_at_meeting_id == approved.later.id


def test_a_change_through_the_models_is_refused_too(approved):
    approved.report.minutes = "Changed behind the services' back."
    with pytest.raises(sa.exc.DBAPIError, match=FROZEN), db.session.begin_nested():
        db.session.flush()
    db.session.rollback()
    db.session.expire_all()
    assert approved.report.minutes == "Hotspots fell by 30%."


def test_a_ballots_decision_may_still_be_linked_to_an_approved_item(approved, make):
    decision = make.decision(group=approved.group)
    db.session.execute(
        sa.text("UPDATE agenda_items SET decision_id = :decision WHERE id = :id"),
        {"decision": decision.id, "id": approved.consideration.id},
    )
    db.session.expire_all()
    assert approved.consideration.decision_id == decision.id


def test_minutes_not_yet_approved_change_freely_in_the_database(scene):
    scene.publish()
    db.session.commit()
    db.session.execute(sa.text("UPDATE agenda_items SET minutes = 'Edited.' WHERE id = :id"),
                       {"id": scene.report.id})
    db.session.execute(sa.text("DELETE FROM attendance WHERE meeting_id = :id"),
                       {"id": scene.meeting.id})
    db.session.expire_all()
    assert scene.report.minutes == "Edited."
    assert scene.meeting.attendance == []
