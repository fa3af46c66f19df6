"""The moderator role: administrators grant and remove it on the admin user page; each change
is an accountability-log entry; a deleted or blocked account gets no role."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accounts import services
from participation.accounts.models import User
from participation.accounts.permissions import can_moderate
from participation.core.errors import NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from participation.moderation import blocks
from participation.moderation.models import ModerationReason


def verbs_about(user: User) -> list[str]:
    return list(db.session.scalars(
        sa.select(LogEntry.verb)
        .where(LogEntry.subject_type == "user", LogEntry.subject_id == user.id)
        .order_by(LogEntry.id)
    ))


def test_an_administrator_grants_and_removes_the_role_and_each_change_is_logged(make):
    admin, person = make.user(is_admin=True), make.user()

    assert services.set_moderator(user=person, is_moderator=True, actor=admin, now=utcnow())
    assert person.is_moderator and can_moderate(person)
    assert not services.set_moderator(user=person, is_moderator=True, actor=admin,
                                      now=utcnow())
    assert services.set_moderator(user=person, is_moderator=False, actor=admin, now=utcnow())
    assert not person.is_moderator and not can_moderate(person)

    assert verbs_about(person) == ["user.moderator_granted", "user.moderator_removed"]
    entry = db.session.scalars(sa.select(LogEntry).where(
        LogEntry.verb == "user.moderator_granted")).one()
    assert (entry.actor_id, entry.data) == (admin.id, {})


def test_a_deleted_account_is_made_neither_a_moderator_nor_an_administrator(make):
    admin, person = make.user(is_admin=True), make.user()
    person.erased_at = utcnow()
    with pytest.raises(NotAllowed, match="deleted"):
        services.set_moderator(user=person, is_moderator=True, actor=admin, now=utcnow())
    with pytest.raises(NotAllowed, match="deleted"):
        services.set_admin(user=person, is_admin=True, actor=admin, now=utcnow())
    assert not person.is_moderator and not person.is_admin and verbs_about(person) == []


def test_a_blocked_person_is_made_a_moderator_only_once_the_block_ends(make):
    admin, person = make.user(is_admin=True), make.user()
    now = utcnow()
    blocks.block(moderator=admin, user=person, reason=ModerationReason.ABUSE, days=3, now=now)

    with pytest.raises(NotAllowed, match="Lift the block"):
        services.set_moderator(user=person, is_moderator=True, actor=admin, now=now)
    assert not person.is_moderator

    later = now + timedelta(days=3, minutes=1)
    assert services.set_moderator(user=person, is_moderator=True, actor=admin, now=later)


# The admin user page.


def test_the_admin_user_page_offers_the_role(make, admin, client):
    person = make.user(display_name="Kanya Helper")
    db.session.commit()

    page = client.get(f"/admin/users/{person.id}").text

    assert "This person is not a moderator." in page
    assert f'action="/admin/users/{person.id}/moderator"' in page
    assert 'name="is_moderator" value="1"' in page
    assert f'href="/moderation/users/{person.id}/block"' in page


def test_an_administrator_makes_someone_a_moderator_who_then_opens_the_moderation_pages(
    make, admin, client, login
):
    person = make.user(display_name="Kanya Helper")
    db.session.commit()

    response = client.post(f"/admin/users/{person.id}/moderator", data={"is_moderator": "1"},
                           follow_redirects=True)

    assert "Kanya Helper is now a moderator." in response.text
    assert "This person is a moderator." in response.text
    assert 'name="is_moderator" value="0"' in response.text
    assert db.session.get(User, person.id).is_moderator
    assert "Moderator" in client.get("/admin/users").text
    login(person)
    assert client.get("/moderation/blocks").status_code == 200

    login(admin)
    response = client.post(f"/admin/users/{person.id}/moderator", data={"is_moderator": "0"},
                           follow_redirects=True)
    assert "Kanya Helper is no longer a moderator." in response.text
    login(person)
    assert client.get("/moderation/blocks").status_code == 403


@pytest.mark.parametrize("value", [None, "", "2", "yes", "1" * 400])
def test_a_value_other_than_0_or_1_is_a_bad_request(make, admin, client, value):
    person = make.user()
    db.session.commit()
    data = {} if value is None else {"is_moderator": value}
    assert client.post(f"/admin/users/{person.id}/moderator", data=data).status_code == 400
    assert not db.session.get(User, person.id).is_moderator


@pytest.mark.parametrize("role", ["participant", "moderator"])
def test_only_administrators_change_the_role(make, login, client, role):
    actor = make.user(is_moderator=role == "moderator")
    person = make.user()
    db.session.commit()
    login(actor)
    response = client.post(f"/admin/users/{person.id}/moderator", data={"is_moderator": "1"})
    assert response.status_code == 403
    assert not db.session.get(User, person.id).is_moderator


def test_the_refusal_for_a_blocked_person_is_flashed(make, admin, client):
    person = make.user(display_name="Kanya Helper")
    blocks.block(moderator=admin, user=person, reason=ModerationReason.SPAM, days=3,
                 now=utcnow())
    db.session.commit()

    response = client.post(f"/admin/users/{person.id}/moderator", data={"is_moderator": "1"},
                           follow_redirects=True)

    assert "Kanya Helper is blocked. Lift the block before making them a moderator." in (
        response.text)
    assert "Blocked until" in response.text
    assert not db.session.get(User, person.id).is_moderator
