"""Administration of people and organisations: administrators only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accounts.models import Organisation, Sector
from participation.accounts.services import (
    OrganisationNameTaken,
    create_organisation,
    set_admin,
)
from participation.core.errors import NotAllowed
from participation.core.models import utcnow
from participation.groups.models import SeatRole
from tests.rows import count_rows

ADMIN_PAGES = [
    ("get", "/admin/users"),
    ("get", "/admin/users/{user}"),
    ("post", "/admin/users/{user}"),
    ("post", "/admin/users/{user}/admin"),
    ("get", "/admin/organisations"),
    ("get", "/admin/organisations/new"),
    ("post", "/admin/organisations/new"),
    ("get", "/admin/organisations/{organisation}"),
    ("post", "/admin/organisations/{organisation}"),
]


@pytest.mark.parametrize("who", ["anonymous", "participant", "agency contact", "secretary"])
@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_admin_pages_are_forbidden_to_everyone_but_administrators(
    client, make, login, db, who, method, url
):
    organisation = make.organisation()
    target = make.user()
    if who == "participant":
        login(make.user())
    elif who == "agency contact":
        login(make.agency_contact(organisation))
    elif who == "secretary":
        login(make.member(make.group(), role=SeatRole.SECRETARY))

    response = getattr(client, method)(
        url.format(user=target.id, organisation=organisation.id),
        data={"is_admin": "1", "name_th": "X", "sector": "government", "organisation": "0"},
    )

    assert response.status_code == 403
    assert not target.is_admin


def test_unknown_ids_are_404(client, admin):
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/admin/organisations/999999").status_code == 404


def test_user_list_searches_email_and_name(client, make, admin):
    make.user(email="somsri@example.org", display_name="Somsri")
    make.user(email="other@example.org", display_name="Wanida 50% Jones")

    page = client.get("/admin/users?q=SOMSRI").get_data(as_text=True)
    assert "somsri@example.org" in page and "other@example.org" not in page

    page = client.get("/admin/users?q=wanida").get_data(as_text=True)
    assert "other@example.org" in page and "somsri@example.org" not in page

    page = client.get("/admin/users?q=50%25").get_data(as_text=True)
    assert "other@example.org" in page and "somsri@example.org" not in page

    page = client.get("/admin/users?q=nobody-like-this").get_data(as_text=True)
    assert "Nobody matches this search." in page


def test_user_list_is_paginated(app, client, make, admin):
    for n in range(5):
        make.user(email=f"page{n}@example.org")
    app.config["PER_PAGE"] = 2
    try:
        first = client.get("/admin/users?q=page").get_data(as_text=True)
        third = client.get("/admin/users?q=page&page=3").get_data(as_text=True)
        junk = client.get("/admin/users?q=page&page=abc")
    finally:
        app.config["PER_PAGE"] = 20
    assert "page0@example.org" in first and "page2@example.org" not in first
    assert "Page 1 of 3" in first
    assert 'rel="next"' in first and "q=page" in first
    assert "page4@example.org" in third
    assert junk.status_code == 200


def test_admin_makes_someone_administrator_and_removes_it(client, make, admin, db):
    person = make.user(display_name="Somsri")
    db.session.commit()

    response = client.post(f"/admin/users/{person.id}/admin", data={"is_admin": "1"})
    assert response.status_code == 302
    assert person.is_admin
    assert "Somsri is now an administrator." in client.get("/").get_data(as_text=True)

    client.post(f"/admin/users/{person.id}/admin", data={"is_admin": "0"})
    assert not person.is_admin
    entries = db.session.scalars(
        sa.select(LogEntry.verb).where(LogEntry.subject_type == "user",
                                       LogEntry.subject_id == person.id).order_by(LogEntry.id)
    ).all()
    assert entries == ["user.admin_granted", "user.admin_removed"]


def test_admin_cannot_remove_their_own_role(client, admin):
    response = client.post(f"/admin/users/{admin.id}/admin", data={"is_admin": "0"},
                           follow_redirects=True)
    assert "You cannot change your own administrator role." in response.get_data(as_text=True)
    assert admin.is_admin


def test_admin_role_value_must_be_0_or_1(client, make, admin):
    person = make.user()
    response = client.post(f"/admin/users/{person.id}/admin", data={"is_admin": "yes"})
    assert response.status_code == 400
    assert not person.is_admin


def test_admin_appoints_and_removes_an_agency_contact(client, make, admin, db):
    agency = make.organisation(name_en="Provincial Industry Office")
    person = make.user(display_name="Daeng")
    db.session.commit()

    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Provincial Industry Office" in page

    response = client.post(f"/admin/users/{person.id}", data={"organisation": str(agency.id)})
    assert response.status_code == 302
    assert person.is_agency_contact and person.organisation_id == agency.id

    client.post(f"/admin/users/{person.id}", data={"organisation": "0"})
    assert not person.is_agency_contact
    assert person.organisation_id == agency.id  # still works there, no longer speaks for it


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_agency_contact_with_an_unknown_organisation_is_a_form_error(client, make, admin, value):
    person = make.user()
    response = client.post(f"/admin/users/{person.id}", data={"organisation": value})
    assert response.status_code == 200
    assert 'id="organisation-error"' in response.get_data(as_text=True)
    assert not person.is_agency_contact


def test_organisations_list_create_and_edit(client, admin, db):
    response = client.post("/admin/organisations/new", data={
        "name_th": "สำนักงานพัฒนารัฐบาลดิจิทัล", "name_en": "Digital Government Development Agency",
        "sector": "government",
    })
    assert response.status_code == 302
    organisation = db.session.scalar(
        sa.select(Organisation).where(
            Organisation.name_en == "Digital Government Development Agency"
        )
    )
    assert organisation.sector is Sector.GOVERNMENT
    assert "สำนักงานพัฒนารัฐบาลดิจิทัล" in client.get("/admin/organisations").get_data(as_text=True)

    response = client.post(f"/admin/organisations/{organisation.id}", data={
        "name_th": "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", "name_en": "DGA",
        "sector": "government",
    })
    assert response.status_code == 302
    assert organisation.name_en == "DGA"
    assert organisation.name_th.endswith("(องค์การมหาชน)")
    verbs = db.session.scalars(
        sa.select(LogEntry.verb).where(LogEntry.subject_type == "organisation",
                                       LogEntry.subject_id == organisation.id)
    ).all()
    assert verbs == ["organisation.created", "organisation.edited"]


def test_organisation_edit_form_is_prefilled(client, make, admin):
    organisation = make.organisation(name_th="สภาลมหายใจลำปาง", name_en="Lampang Breath Council",
                                     sector=Sector.CIVIL_SOCIETY)
    page = client.get(f"/admin/organisations/{organisation.id}").get_data(as_text=True)
    assert 'value="สภาลมหายใจลำปาง"' in page
    assert '<option selected value="civil_society">' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name_th": "", "name_en": "X", "sector": "government"}, "This field is required."),
        ({"name_th": "ท" * 201, "sector": "government"}, "Field cannot be longer than 200"),
        ({"name_th": "ใหม่", "sector": "galactic"}, "Not a valid choice"),
        ({"name_th": "lampang office", "sector": "government"},
         "Another organisation already has this name."),
        ({"name_th": "ใหม่", "name_en": "สำนักงานจังหวัดลำปาง", "sector": "government"},
         "Another organisation already has this name."),
    ],
)
def test_bad_organisation_input_is_refused(client, make, admin, db, data, message):
    make.organisation(name_th="สำนักงานจังหวัดลำปาง", name_en="Lampang Office")
    db.session.commit()
    before = count_rows(Organisation)

    response = client.post("/admin/organisations/new", data=data)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_rows(Organisation) == before


def test_renaming_to_its_own_name_in_other_case_is_allowed(make, db):
    from participation.accounts.services import update_organisation

    organisation = make.organisation(name_th="ทดสอบ", name_en="Test Office")
    update_organisation(organisation=organisation, name_th="ทดสอบ", name_en="TEST OFFICE",
                        sector=Sector.GOVERNMENT, actor=None, now=utcnow())
    assert organisation.name_en == "TEST OFFICE"


def test_services_refuse_duplicates_and_self_demotion(make, db):
    make.organisation(name_th="ซ้ำ")
    with pytest.raises(OrganisationNameTaken):
        create_organisation(name_th="ซ้ำ", name_en="", sector=Sector.GOVERNMENT, actor=None,
                            now=utcnow())
    someone = make.user(is_admin=True)
    with pytest.raises(NotAllowed):
        set_admin(user=someone, is_admin=False, actor=someone, now=utcnow())


def test_admin_dashboard_links_to_users_and_organisations(client, admin):
    page = client.get("/admin").get_data(as_text=True)
    assert "/admin/users" in page and "/admin/organisations" in page and "/admin/groups" in page
