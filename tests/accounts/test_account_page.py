"""The account page: a person edits their display name, sector and organisation."""

from __future__ import annotations

import pytest

from participation.accounts.models import Sector
from participation.accounts.services import OrganisationLocked, update_profile
from participation.core.models import utcnow
from participation.groups.models import SeatRole


def test_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_account_page_shows_the_person_and_their_seats(client, make, login):
    group = make.group()
    person = make.user(email="noi@example.org", display_name="Noi")
    make.seat(group, role=SeatRole.SECRETARY, holder=person)
    login(person)

    page = client.get("/account").get_data(as_text=True)

    assert "noi@example.org" in page
    assert 'value="Noi"' in page
    assert group.name_en in page
    assert "Secretary" in page
    assert "non-voting" in page


def test_person_edits_name_sector_and_organisation(client, make, login, db):
    existing = make.organisation(name_th="มหาวิทยาลัยราชภัฏลำปาง",
                                 name_en="Lampang Rajabhat University", sector=Sector.ACADEMIA)
    person = make.user(display_name="Noi")
    db.session.commit()
    login(person)

    response = client.post("/account", data={
        "display_name": "Dr Noi", "sector": "academia",
        "organisation": "lampang rajabhat university",
    })

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert person.display_name == "Dr Noi"
    assert person.sector is Sector.ACADEMIA
    assert person.organisation_id == existing.id
    assert "Your account has been updated." in client.get("/account").get_data(as_text=True)


def test_clearing_the_organisation_leaves_none(client, make, login, db):
    person = make.user(organisation=make.organisation())
    db.session.commit()
    login(person)

    client.post("/account", data={"display_name": "Noi", "sector": "citizen",
                                  "organisation": ""})

    assert person.organisation is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"display_name": "", "sector": "citizen"}, "This field is required."),
        ({"display_name": "Noi", "sector": "emperor"}, "Not a valid choice"),
        ({"display_name": "n" * 81, "sector": "citizen"}, "Field cannot be longer than 80"),
    ],
)
def test_bad_profile_input_is_refused_beside_the_field(client, make, login, db, data, message):
    person = make.user(display_name="Noi")
    db.session.commit()
    login(person)

    response = client.post("/account", data=data)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert person.display_name == "Noi"


def test_agency_contact_cannot_move_to_another_organisation(client, make, login, db):
    agency = make.organisation(name_en="Regional Environment Office 2")
    contact = make.agency_contact(agency)
    db.session.commit()
    login(contact)

    response = client.post("/account", data={
        "display_name": "Officer", "sector": "government", "organisation": "Another agency",
    })

    assert response.status_code == 200
    assert "ask an administrator to change it" in response.get_data(as_text=True)
    assert contact.organisation_id == agency.id


def test_agency_contact_may_still_edit_their_name(client, make, login, db):
    agency = make.organisation(name_en="Regional Environment Office 2")
    contact = make.agency_contact(agency)
    db.session.commit()
    login(contact)

    response = client.post("/account", data={
        "display_name": "Officer Daeng", "sector": "government",
        "organisation": "regional environment office 2",
    })

    assert response.status_code == 302
    assert contact.display_name == "Officer Daeng"
    assert contact.organisation_id == agency.id


def test_update_profile_refuses_an_agency_contact_clearing_the_organisation(make, db):
    contact = make.agency_contact(make.organisation())
    with pytest.raises(OrganisationLocked):
        update_profile(user=contact, display_name="X", sector=Sector.GOVERNMENT,
                       organisation_name="", now=utcnow())
