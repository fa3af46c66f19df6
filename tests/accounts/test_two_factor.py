"""Two-factor authentication: set-up with a QR code, the code asked after the password,
single-use recovery codes, the pending log-in that expires, changes that need proof, and the
roles an administrator requires it of."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask, g

from participation.accountability.models import LogEntry
from participation.accounts import two_factor
from participation.accounts.login import PENDING_KEY
from participation.accounts.models import RecoveryCode, TwoFactorRequirement, TwoFactorRole
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import SeatRole
from tests.factories import PASSWORD
from tests.querycount import count_queries

CODE_PAGE = "/login/two-factor"
RECOVERY_CODE = re.compile(r"<code>([a-z0-9]{4}-[a-z0-9]{4})</code>")


def turn_on(user) -> tuple[pyotp.TOTP, list[str]]:
    """Give the person a confirmed secret and recovery codes, as a finished set-up does."""
    secret = two_factor.new_secret()
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    codes = two_factor.regenerate_recovery_codes(user=user, now=utcnow())
    db.session.commit()
    return pyotp.TOTP(secret), codes


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next time step: still accepted (a phone's clock may run ahead), and
    different from any code used in this step."""
    return totp.at(time.time() + two_factor.STEP_SECONDS)


def log_in_with_password(client, user, *, next_url: str | None = None):
    url = f"/login?next={next_url}" if next_url else "/login"
    return client.post(url, data={"email": user.email, "password": PASSWORD})


def logged_in(client) -> bool:
    response = client.get("/account")
    return response.status_code == 200


@pytest.fixture
def person(make, db):
    user = make.user(display_name="Somchai")
    db.session.commit()
    return user


# Set-up.


def setup_form(client) -> tuple[str, str, str]:
    """Open the set-up page; return its text, the signed token and the secret it shows."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    if token is None:
        token = re.search(r'id="token" name="token" type="hidden" value="([^"]+)"', page)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert token and secret, page
    return page, token.group(1), secret.group(1).replace(" ", "")


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_stores_nothing_yet(
    login, client, person
):
    login(person)
    assert client.get("/account/two-factor").headers["Cache-Control"] == "no-store"
    page, _token, secret = setup_form(client)

    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in page
    assert "<script" not in page and " style=" not in page
    assert len(secret) == 32
    db.session.refresh(person)
    assert person.totp_secret is None and person.totp_enabled_at is None


def test_a_first_right_code_turns_it_on_and_shows_ten_recovery_codes_once(
    login, client, person
):
    login(person)
    _page, token, secret = setup_form(client)

    response = client.post("/account/two-factor",
                           data={"token": token, "code": pyotp.TOTP(secret).now()})

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    codes = RECOVERY_CODE.findall(response.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    db.session.refresh(person)
    assert person.totp_secret == secret and person.totp_enabled_at is not None
    stored = db.session.scalars(
        sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == person.id)
    ).all()
    assert len(stored) == 10
    assert not set(codes) & set(stored), "the codes are stored as digests only"
    # Shown once: the page of the account's two-factor settings no longer lists them.
    again = client.get("/account/two-factor").get_data(as_text=True)
    assert not RECOVERY_CODE.findall(again)
    assert "10 unused recovery codes" in again


def test_a_wrong_code_at_set_up_changes_nothing_and_keeps_the_same_key(login, client, person):
    login(person)
    _page, token, secret = setup_form(client)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"

    response = client.post("/account/two-factor", data={"token": token, "code": wrong})

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This code is not right" in text
    assert secret[:4] in text, "the page keeps the key the app was given"
    db.session.refresh(person)
    assert person.totp_enabled_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == person.id)) == 0


def test_a_set_up_signed_for_someone_else_is_refused(app: Flask, login, client, make, person):
    other = make.user()
    db.session.commit()
    secret = two_factor.new_secret()
    with app.test_request_context():
        token = two_factor.setup_token(other.id, secret)
    login(person)

    response = client.post("/account/two-factor",
                           data={"token": token, "code": pyotp.TOTP(secret).now()})

    assert "This set-up has expired" in response.get_data(as_text=True)
    db.session.refresh(person)
    db.session.refresh(other)
    assert person.totp_secret is None and other.totp_secret is None


# Log-in.


def test_the_password_alone_no_longer_logs_in_a_wrong_code_is_refused_the_right_one_does(
    client, person
):
    totp, _codes = turn_on(person)

    response = log_in_with_password(client, person)
    assert response.status_code == 302
    assert response.headers["Location"] == CODE_PAGE
    assert not logged_in(client)

    wrong = client.post(CODE_PAGE, data={"code": "123456" if totp.now() != "123456" else "654321"})
    assert wrong.status_code == 200
    assert "This code is not right" in wrong.get_data(as_text=True)
    assert not logged_in(client)

    right = client.post(CODE_PAGE, data={"code": totp.now()})
    assert right.status_code == 302
    assert right.headers["Location"] == "/"
    assert logged_in(client)


def test_the_page_asked_for_before_logging_in_is_reached_after_the_code(client, person):
    totp, _codes = turn_on(person)
    log_in_with_password(client, person, next_url="/proposals")

    response = client.post(CODE_PAGE, data={"code": totp.now()})

    assert response.headers["Location"] == "/proposals"


def test_a_code_is_accepted_only_once(client, person):
    totp, _codes = turn_on(person)
    code = totp.now()
    log_in_with_password(client, person)
    assert client.post(CODE_PAGE, data={"code": code}).status_code == 302
    client.post("/logout")

    log_in_with_password(client, person)
    replayed = client.post(CODE_PAGE, data={"code": code})

    assert replayed.status_code == 200
    assert "used already" in replayed.get_data(as_text=True)
    assert not logged_in(client)
    # The next step's code still works.
    assert client.post(CODE_PAGE, data={"code": next_code(totp)}).status_code == 302
    assert logged_in(client)


def test_a_recovery_code_logs_in_once(client, person):
    _totp, codes = turn_on(person)
    log_in_with_password(client, person)

    # Typed in capitals and without the hyphen, as people copy codes from paper.
    response = client.post(CODE_PAGE, data={"code": codes[0].replace("-", "").upper()})

    assert response.status_code == 302
    assert logged_in(client)
    client.post("/logout")
    log_in_with_password(client, person)
    again = client.post(CODE_PAGE, data={"code": codes[0]})
    assert again.status_code == 200
    assert not logged_in(client)
    used = db.session.scalars(sa.select(RecoveryCode).where(
        RecoveryCode.user_id == person.id, RecoveryCode.used_at.is_not(None))).all()
    assert len(used) == 1


def test_the_pending_log_in_expires_after_five_minutes(client, person):
    totp, _codes = turn_on(person)
    log_in_with_password(client, person)
    with client.session_transaction() as session:
        pending = session[PENDING_KEY]
        session[PENDING_KEY] = {**pending, "since": pending["since"] - (5 * 60 + 1)}

    response = client.post(CODE_PAGE, data={"code": totp.now()})

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not logged_in(client)
    with client.session_transaction() as session:
        assert PENDING_KEY not in session


def test_the_code_page_without_a_password_first_sends_to_log_in(client, person):
    turn_on(person)

    response = client.get(CODE_PAGE)

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"


def test_a_forged_pending_log_in_for_someone_else_is_refused_when_their_password_changed(
    client, person
):
    totp, _codes = turn_on(person)
    log_in_with_password(client, person)
    person.session_version += 1  # the password was reset in between: sessions ended
    db.session.commit()

    response = client.post(CODE_PAGE, data={"code": totp.now()})

    assert response.headers["Location"] == "/login"
    assert not logged_in(client)


def test_after_five_wrong_codes_even_the_right_code_waits(client, person):
    totp, _codes = turn_on(person)
    log_in_with_password(client, person)
    right = totp.now()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(two_factor.MAX_FAILURES):
        assert client.post(CODE_PAGE, data={"code": wrong}).status_code == 200

    response = client.post(CODE_PAGE, data={"code": right})

    assert "Too many wrong codes" in response.get_data(as_text=True)
    assert not logged_in(client)


# Changes that need proof.


def test_turning_it_off_needs_a_code_or_the_password(login, client, person):
    _totp, _codes = turn_on(person)
    login(person)

    nothing = client.post("/account/two-factor/disable", data={})
    wrong = client.post("/account/two-factor/disable",
                        data={"disable-password": "not the password at all"})

    assert "Enter a code or your password." in nothing.get_data(as_text=True)
    assert "The password is not right." in wrong.get_data(as_text=True)
    db.session.refresh(person)
    assert person.totp_enabled_at is not None

    right = client.post("/account/two-factor/disable", data={"disable-password": PASSWORD})

    assert right.status_code == 302
    db.session.refresh(person)
    assert person.totp_secret is None and person.totp_enabled_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == person.id)) == 0


def test_turning_it_off_with_a_current_code(login, client, person):
    totp, _codes = turn_on(person)
    login(person)

    response = client.post("/account/two-factor/disable", data={"disable-code": totp.now()})

    assert response.status_code == 302
    db.session.refresh(person)
    assert person.totp_enabled_at is None
    # Logging in asks for the password only again.
    client.post("/logout")
    assert log_in_with_password(client, person).headers["Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones(login, client, person):
    totp, old = turn_on(person)
    login(person)

    response = client.post("/account/two-factor/recovery-codes",
                           data={"regenerate-code": totp.now()})

    new = RECOVERY_CODE.findall(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/logout")
    log_in_with_password(client, person)
    assert client.post(CODE_PAGE, data={"code": old[1]}).status_code == 200
    assert client.post(CODE_PAGE, data={"code": new[1]}).status_code == 302


def test_new_recovery_codes_are_refused_without_proof(login, client, person):
    _totp, old = turn_on(person)
    login(person)

    response = client.post("/account/two-factor/recovery-codes",
                           data={"regenerate-password": "wrong wrong wrong"})

    assert "The password is not right." in response.get_data(as_text=True)
    assert not RECOVERY_CODE.findall(response.get_data(as_text=True))
    client.post("/logout")
    log_in_with_password(client, person)
    assert client.post(CODE_PAGE, data={"code": old[0]}).status_code == 302


# Required per role.


def test_an_administrator_requires_it_for_roles_and_each_change_is_logged(admin, client):
    response = client.post("/admin/two-factor", data={"roles": ["secretariat", "member"]})

    assert response.status_code == 302
    assert set(db.session.scalars(sa.select(TwoFactorRequirement.role))) == {
        TwoFactorRole.SECRETARIAT, TwoFactorRole.MEMBER}
    client.post("/admin/two-factor", data={"roles": ["member"]})
    entries = db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb.like("two_factor.%")).order_by(LogEntry.id)
    ).all()
    assert [(entry.verb, entry.data["two_factor_role"], entry.actor_id) for entry in entries] == [
        ("two_factor.required", "secretariat", admin.id),
        ("two_factor.required", "member", admin.id),
        ("two_factor.not_required", "secretariat", admin.id),
    ]
    log = client.get(f"/log/{entries[0].id}").get_data(as_text=True)
    assert "Two-factor authentication required for a role" in log
    assert "Secretariat" in log


def test_an_unknown_role_is_refused_and_changes_nothing(admin, client):
    response = client.post("/admin/two-factor", data={"roles": ["everyone"]})

    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TwoFactorRequirement)) == 0


def require_roles(admin_user, *roles: TwoFactorRole) -> None:
    two_factor.set_required_roles(roles=set(roles), actor=admin_user, now=utcnow())
    db.session.commit()


@pytest.fixture
def secretary(make, db):
    group = make.group()
    return make.member(group, role=SeatRole.SECRETARY)


def test_a_required_role_can_reach_only_the_set_up_page_and_log_out(
    make, login, client, secretary
):
    require_roles(make.user(is_admin=True), TwoFactorRole.SECRETARIAT)
    login(secretary)

    refused = client.get("/proposals")
    assert refused.status_code == 302
    assert refused.headers["Location"] == "/account/two-factor"
    assert client.post("/account", data={"display_name": "X"}).headers["Location"] == (
        "/account/two-factor")
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    assert "An administrator requires two-factor authentication" in page.get_data(as_text=True)
    stylesheet = client.get("/static/css/site.css")
    stylesheet.close()
    assert stylesheet.status_code == 200
    assert client.post("/logout").status_code == 302
    assert not logged_in(client)


def test_the_requirement_lets_the_person_in_once_set_up(make, login, client, secretary):
    require_roles(make.user(is_admin=True), TwoFactorRole.SECRETARIAT)
    login(secretary)
    _page, token, secret = setup_form(client)

    client.post("/account/two-factor", data={"token": token, "code": pyotp.TOTP(secret).now()})

    assert client.get("/proposals").status_code == 200


def test_a_required_person_cannot_turn_it_off(make, login, client, secretary):
    totp, _codes = turn_on(secretary)
    require_roles(make.user(is_admin=True), TwoFactorRole.MEMBER)
    login(secretary)

    response = client.post("/account/two-factor/disable", data={"disable-code": totp.now()})

    assert "it stays on" in response.get_data(as_text=True)
    db.session.refresh(secretary)
    assert secretary.totp_enabled_at is not None


@pytest.mark.parametrize(
    ("required", "who", "forced"),
    [
        (TwoFactorRole.ADMINISTRATOR, "admin", True),
        (TwoFactorRole.ADMINISTRATOR, "secretary", False),
        (TwoFactorRole.SECRETARIAT, "secretary", True),
        (TwoFactorRole.SECRETARIAT, "member", False),
        (TwoFactorRole.MEMBER, "member", True),
        (TwoFactorRole.MEMBER, "secretary", True),
        (TwoFactorRole.MEMBER, "citizen", False),
        (TwoFactorRole.MEMBER, "admin", False),
    ],
)
def test_who_each_requirement_applies_to(make, login, client, required, who, forced):
    group = make.group()
    people = {
        "admin": make.user(is_admin=True),
        "secretary": make.member(group, role=SeatRole.ASSISTANT_SECRETARY),
        "member": make.member(group, role=SeatRole.CHAIR),
        "citizen": make.user(),
    }
    require_roles(make.user(is_admin=True), required)
    login(people[who])

    response = client.get("/proposals")

    assert (response.status_code == 302) is forced


def test_the_requirement_costs_one_query_and_no_seat_lookup_when_none_is_set(
    app: Flask, make, secretary
):
    db.session.commit()
    with app.test_request_context(), count_queries() as queries:
        assert not two_factor.is_required_for(secretary)
        assert not two_factor.is_required_for(secretary)
    assert len(queries) == 1, queries.statements

    require_roles(make.user(is_admin=True), TwoFactorRole.MEMBER)
    # A new request: the tests' app context outlives it, so empty its `g` as a server would.
    for name in list(g):
        g.pop(name)
    db.session.refresh(secretary)
    with app.test_request_context(), count_queries() as queries:
        assert two_factor.is_required_for(secretary)
        assert two_factor.is_required_for(secretary)
    assert len(queries) == 2, queries.statements  # the requirements, then the seats, once
