"""Registration: the form, the rules and the organisation matching."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts.models import Organisation, Sector, User
from participation.accounts.services import EmailTaken, InvalidAccountData, register_user
from participation.core.models import utcnow
from participation.core.security import verify_password
from tests.rows import count_rows

PASSWORD = "a long enough passphrase"


def form(**overrides):
    data = {
        "email": "Somchai@Example.org",
        "display_name": "Somchai",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "sector": "citizen",
        "organisation": "",
        "consent": "y",
    }
    data.update(overrides)
    return data


def test_registration_creates_an_unconfirmed_account_and_asks_to_check_the_mail(client, db):
    response = client.post("/register", data=form())

    assert response.status_code == 302
    assert response.headers["Location"] == "/check-email?for=register"
    user = db.session.scalar(sa.select(User).where(User.email == "somchai@example.org"))
    assert user is not None
    assert user.display_name == "Somchai"
    assert user.sector is Sector.CITIZEN
    assert user.organisation is None
    assert not user.is_admin and not user.is_agency_contact
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    assert user.email_verified_at is None
    # Nobody is logged in by registering (a taken address must look the same).
    assert client.get("/account").status_code == 302


def test_registration_page_explains_each_field(client):
    page = client.get("/register").get_data(as_text=True)
    assert "E-mail address" in page
    assert "At least 10 characters" in page
    for label in ("Citizens", "Civil society", "Private sector", "Academia", "Government"):
        assert label in page


def test_new_organisation_is_created_with_the_chosen_sector(client, db):
    client.post(
        "/register",
        data=form(sector="civil_society", organisation="  Lampang   Clean Air Network "),
    )

    user = db.session.scalar(sa.select(User).where(User.email == "somchai@example.org"))
    assert user.organisation.name_th == "Lampang Clean Air Network"
    assert user.organisation.sector is Sector.CIVIL_SOCIETY
    assert user.sector is Sector.CIVIL_SOCIETY


@pytest.mark.parametrize("typed", ["lampang provincial office", "LAMPANG PROVINCIAL OFFICE",
                                   "สำนักงานจังหวัดลำปาง"])
def test_organisation_is_matched_by_thai_or_english_name_ignoring_case(client, db, make, typed):
    existing = make.organisation(name_th="สำนักงานจังหวัดลำปาง",
                                 name_en="Lampang Provincial Office")
    before = count_rows(Organisation)

    client.post("/register", data=form(sector="government", organisation=typed))

    user = db.session.scalar(sa.select(User).where(User.email == "somchai@example.org"))
    assert user.organisation_id == existing.id
    assert count_rows(Organisation) == before


def test_duplicate_email_in_any_case_looks_like_success_and_creates_nothing(client, db, make):
    make.user(email="somchai@example.org")
    db.session.commit()
    before = count_rows(User)

    response = client.post("/register", data=form(email="SOMCHAI@example.org "))

    # The visitor is not told the address is taken; its owner is told by e-mail.
    assert response.status_code == 302
    assert response.headers["Location"] == "/check-email?for=register"
    assert count_rows(User) == before


def test_short_password_is_refused_beside_the_field(client, db):
    response = client.post("/register", data=form(password="short pw", confirm="short pw"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Use between 10 and 256 characters." in page
    assert 'id="password-error"' in page
    assert count_rows(User) == 0


def test_password_confirmation_must_match(client, db):
    response = client.post("/register", data=form(confirm=PASSWORD + "!"))

    assert response.status_code == 200
    assert "The passwords differ." in response.get_data(as_text=True)
    assert count_rows(User) == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"email": ""}, "This field is required."),
        ({"sector": "martian"}, "Not a valid choice"),
        ({"sector": ""}, "This field is required."),
        ({"display_name": "x" * 81}, "Field cannot be longer than 80 characters."),
        ({"display_name": "   "}, "This field is required."),
        ({"organisation": "o" * 201}, "Field cannot be longer than 200 characters."),
        ({"password": "p" * 300, "confirm": "p" * 300}, "Use between 10 and 256 characters."),
    ],
)
def test_junk_input_is_refused_without_an_error_page(client, db, overrides, message):
    response = client.post("/register", data=form(**overrides))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert "Please correct the errors below." in page
    assert count_rows(User) == 0


def test_input_is_kept_when_the_form_is_refused(client):
    page = client.post("/register", data=form(confirm="different!!")).get_data(as_text=True)
    assert 'value="Somchai"' in page


def test_empty_post_is_refused_not_crashed(client, db):
    assert client.post("/register", data={}).status_code == 200
    assert count_rows(User) == 0


def test_logged_in_person_is_sent_to_their_account_from_register(client, make, login):
    login(make.user())
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"


def test_register_user_normalises_the_email_and_the_name(db):
    user = register_user(
        email="  Mali@Example.ORG ", password=PASSWORD, display_name="  Mali   K. ",
        sector=Sector.ACADEMIA, organisation_name=None, now=utcnow(),
    )
    assert user.email == "mali@example.org"
    assert user.display_name == "Mali K."


def test_register_user_enforces_the_rules_for_every_caller(db):
    now = utcnow()
    with pytest.raises(InvalidAccountData):
        register_user(email="mali@example.org", password="123456789", display_name="Mali",
                      sector=Sector.CITIZEN, organisation_name=None, now=now)
    with pytest.raises(InvalidAccountData):
        register_user(email="mali@", password=PASSWORD, display_name="Mali",
                      sector=Sector.CITIZEN, organisation_name=None, now=now)
    register_user(email="mali@example.org", password=PASSWORD, display_name="Mali",
                  sector=Sector.CITIZEN, organisation_name=None, now=now)
    with pytest.raises(EmailTaken):
        register_user(email="MALI@example.org", password=PASSWORD, display_name="Mali 2",
                      sector=Sector.CITIZEN, organisation_name=None, now=now)


def test_organisation_created_at_registration_is_logged_without_personal_data(db):
    from participation.accountability.models import LogEntry

    user = register_user(email="mali@example.org", password=PASSWORD, display_name="Mali",
                         sector=Sector.PRIVATE, organisation_name="Mae Moh Traders",
                         now=utcnow())
    entry = db.session.scalar(
        sa.select(LogEntry).where(LogEntry.verb == "organisation.created")
    )
    assert entry.subject_id == user.organisation_id
    assert entry.data == {"sector": "private_sector"}


def test_a_registration_racing_another_for_the_same_email_is_a_clear_error(db, make,
                                                                          monkeypatch):
    # Simulate the other request inserting between our check and our insert.
    from participation.accounts import services

    make.user(email="mali@example.org")
    monkeypatch.setattr(services, "user_by_email", lambda email: None)

    with pytest.raises(EmailTaken):
        register_user(email="mali@example.org", password=PASSWORD, display_name="Mali",
                      sector=Sector.CITIZEN, organisation_name=None, now=utcnow())
    assert count_rows(User) == 1
