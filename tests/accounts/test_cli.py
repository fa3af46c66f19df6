"""The create-user and grant commands."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accounts.models import Organisation, Sector, User
from participation.accounts.queries import user_by_email
from participation.core.security import verify_password
from participation.groups.models import SeatRole
from tests.rows import count_rows

PASSWORD = "a long enough passphrase"


def test_create_participant(runner, db):
    result = runner.invoke(args=["create-user", "Dao@Example.org", "--role", "participant",
                                 "--password", PASSWORD])

    assert result.exit_code == 0, result.output
    assert "Created dao@example.org (participant)" in result.output
    user = user_by_email("dao@example.org")
    assert user.display_name == "Dao"
    assert user.sector is Sector.CITIZEN
    assert not user.is_admin and not user.is_agency_contact
    assert verify_password(user.password_hash, PASSWORD)


def test_create_admin_with_name_and_sector(runner, db):
    result = runner.invoke(args=["create-user", "boss@example.org", "--role", "admin",
                                 "--name", "The Secretariat", "--sector", "civil-society",
                                 "--password", PASSWORD])

    assert result.exit_code == 0, result.output
    user = user_by_email("boss@example.org")
    assert user.is_admin
    assert user.display_name == "The Secretariat"
    assert user.sector is Sector.CIVIL_SOCIETY


def test_create_agency_contact_matches_the_organisation(runner, make, db):
    agency = make.organisation(name_th="สำนักงานสิ่งแวดล้อมภาคที่ 2",
                               name_en="Regional Environment Office 2")

    result = runner.invoke(args=["create-user", "reo2@example.org", "--role", "agency-contact",
                                 "--organisation", "regional environment office 2",
                                 "--password", PASSWORD])

    assert result.exit_code == 0, result.output
    user = user_by_email("reo2@example.org")
    assert user.is_agency_contact
    assert user.organisation_id == agency.id
    assert user.sector is Sector.GOVERNMENT


def test_password_is_prompted_for_when_not_given(runner, db):
    result = runner.invoke(args=["create-user", "dao@example.org", "--role", "participant"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert verify_password(user_by_email("dao@example.org").password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--role", "agency-contact"], 2, "An agency contact needs --organisation."),
        (["--role", "king"], 2, "Invalid value for '--role'"),
        (["--role", "participant", "--sector", "aliens"], 2, "choose one of"),
    ],
)
def test_create_user_refuses_bad_options(runner, db, args, code, message):
    result = runner.invoke(args=["create-user", "dao@example.org", *args,
                                 "--password", PASSWORD])

    assert result.exit_code == code
    assert message in result.output
    assert user_by_email("dao@example.org") is None


def test_create_user_refuses_a_short_password(runner, db):
    result = runner.invoke(args=["create-user", "dao@example.org", "--role", "participant",
                                 "--password", "short"])
    assert result.exit_code == 1
    assert "Use at least 10 characters." in result.output
    assert user_by_email("dao@example.org") is None


def test_create_user_refuses_a_bad_email(runner, db):
    result = runner.invoke(args=["create-user", "not-an-address", "--role", "participant",
                                 "--password", PASSWORD])
    assert result.exit_code == 1
    assert "Enter a valid e-mail address." in result.output


def test_create_user_refuses_a_duplicate_email(runner, make, db):
    make.user(email="dao@example.org")
    db.session.commit()

    result = runner.invoke(args=["create-user", "DAO@example.org", "--role", "admin",
                                 "--password", PASSWORD])

    assert result.exit_code == 1
    assert "already exists" in result.output
    assert count_rows(User, User.email == "dao@example.org") == 1


def test_grant_admin_and_back_to_participant(runner, make, db):
    agency = make.organisation()
    person = make.user(email="dao@example.org", organisation=agency, is_agency_contact=True)

    result = runner.invoke(args=["grant", "dao@example.org", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert person.is_admin and person.is_agency_contact

    result = runner.invoke(args=["grant", "DAO@example.org", "--role", "participant"])
    assert result.exit_code == 0, result.output
    assert "is a participant" in result.output
    assert not person.is_admin and not person.is_agency_contact
    verbs = set(db.session.scalars(sa.select(LogEntry.verb).where(LogEntry.subject_id == person.id,
                                                                  LogEntry.subject_type == "user")))
    assert {"user.admin_granted", "user.admin_removed", "user.agency_contact_removed"} <= verbs


def test_grant_agency_contact_with_an_existing_organisation(runner, make, db):
    agency = make.organisation(name_en="Lampang Provincial Office")
    person = make.user(email="dao@example.org")

    result = runner.invoke(args=["grant", "dao@example.org", "--role", "agency-contact",
                                 "--organisation", "LAMPANG provincial office"])

    assert result.exit_code == 0, result.output
    assert person.is_agency_contact and person.organisation_id == agency.id


def test_grant_agency_contact_refuses_an_unknown_organisation(runner, make, db):
    person = make.user(email="dao@example.org")
    db.session.commit()
    before = count_rows(Organisation)

    result = runner.invoke(args=["grant", "dao@example.org", "--role", "agency-contact",
                                 "--organisation", "Ministry of Nowhere"])

    assert result.exit_code == 1
    assert "There is no organisation called Ministry of Nowhere." in result.output
    assert not person.is_agency_contact
    assert count_rows(Organisation) == before


def test_grant_agency_contact_without_organisation_uses_the_persons_own(runner, make, db):
    agency = make.organisation()
    person = make.user(email="dao@example.org", organisation=agency)

    result = runner.invoke(args=["grant", "dao@example.org", "--role", "agency-contact"])

    assert result.exit_code == 0, result.output
    assert person.is_agency_contact and person.organisation_id == agency.id


def test_grant_seat_gives_the_seat(runner, make, db):
    group = make.group()
    seat = make.seat(group, role=SeatRole.CHAIR)
    person = make.user(email="dao@example.org")

    result = runner.invoke(args=["grant", "dao@example.org", "--seat", str(seat.id)])

    assert result.exit_code == 0, result.output
    assert "now holds seat" in result.output
    assert seat.holder_id == person.id


def test_grant_seat_refuses_a_second_seat_in_the_same_group(runner, make, db):
    group = make.group()
    first = make.seat(group, role=SeatRole.MEMBER)
    second = make.seat(group, role=SeatRole.VICE_CHAIR)
    person = make.user(email="dao@example.org")
    first.holder = person
    db.session.commit()

    result = runner.invoke(args=["grant", "dao@example.org", "--seat", str(second.id)])

    assert result.exit_code == 1
    assert "already holds a seat in this group" in result.output
    assert second.holder_id is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nobody@example.org", "--role", "admin"], 1, "No account uses the e-mail address"),
        (["dao@example.org"], 2, "Give either --role or --seat."),
        (["dao@example.org", "--role", "admin", "--seat", "1"], 2, "Give either --role or --seat."),
        (["dao@example.org", "--role", "admin", "--organisation", "X"], 2,
         "--organisation goes with --role agency-contact."),
        (["dao@example.org", "--seat", "999999"], 1, "There is no seat 999999."),
        (["dao@example.org", "--seat", "abc"], 2, "is not a valid integer"),
        (["dao@example.org", "--role", "emperor"], 2, "Invalid value for '--role'"),
    ],
)
def test_grant_refuses_bad_input(runner, make, db, args, code, message):
    person = make.user(email="dao@example.org")
    db.session.commit()

    result = runner.invoke(args=["grant", *args])

    assert result.exit_code == code, result.output
    assert message in result.output
    assert not person.is_admin
