"""The account predicates over every kind of person."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from participation.accounts import permissions


@pytest.fixture
def people(make):
    agency = make.organisation()
    return {
        "anonymous": AnonymousUserMixin(),
        "none": None,
        "participant": make.user(),
        "agency contact": make.agency_contact(agency),
        "admin": make.user(is_admin=True),
    }, agency


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", False), ("none", False), ("participant", False), ("agency contact", False),
     ("admin", True)],
)
def test_only_administrators_manage_users_and_organisations(people, who, expected):
    everyone, _ = people
    user = everyone[who]
    assert permissions.is_admin(user) is expected
    assert permissions.can_manage_users(user) is expected
    assert permissions.can_manage_organisations(user) is expected


def test_people_edit_only_their_own_profile(people, make):
    everyone, _ = people
    someone = everyone["participant"]
    assert permissions.can_edit_profile(someone, someone)
    assert not permissions.can_edit_profile(everyone["admin"], someone)
    assert not permissions.can_edit_profile(everyone["anonymous"], someone)


def test_administrators_change_others_admin_role_not_their_own(people):
    everyone, _ = people
    admin = everyone["admin"]
    assert permissions.can_change_admin_role(admin, everyone["participant"])
    assert not permissions.can_change_admin_role(admin, admin)
    assert not permissions.can_change_admin_role(everyone["participant"], admin)


def test_agency_contact_speaks_only_for_their_organisation(people, make):
    everyone, agency = people
    assert permissions.is_agency_contact_for(everyone["agency contact"], agency.id)
    assert not permissions.is_agency_contact_for(everyone["agency contact"], make.organisation().id)
    assert not permissions.is_agency_contact_for(everyone["agency contact"], None)
    assert not permissions.is_agency_contact_for(everyone["participant"], agency.id)
    assert not permissions.is_agency_contact_for(everyone["anonymous"], agency.id)
