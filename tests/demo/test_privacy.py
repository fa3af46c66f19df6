"""The demo's people agreed to the privacy notice in force, so they take part without being
asked again."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.extensions import db as _db
from participation.privacy.notices import current_notice_version


def test_every_demo_person_agreed_to_the_notice_in_force_when_they_registered(demo, db):
    people = _db.session.scalars(sa.select(User)).all()

    assert people
    for person in people:
        assert person.privacy_version == current_notice_version(), person.email
        assert person.privacy_consented_at == person.created_at, person.email


def test_a_demo_person_sees_no_banner_and_may_propose(demo, client, login):
    member = _db.session.scalars(sa.select(User).order_by(User.id).limit(1)).one()
    login(member)

    assert "privacy/consent" not in client.get("/proposals?lang=en").text
    assert client.get("/proposals/new").status_code == 200
