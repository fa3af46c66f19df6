"""The password policy: at least ten characters, not a common password (a shipped list with
Thai-keyboard and number patterns), not built from the person's own name or address."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accounts import passwords
from participation.accounts.models import Sector, User
from participation.accounts.services import InvalidAccountData, register_user
from participation.core.models import utcnow
from participation.demo.services import DEMO_PASSWORD
from tests.factories import PASSWORD

COMMON = "This password is one of the most common ones"
PERSONAL = "Do not build the password from your name or your e-mail address."


def check(password: str, *, email: str = "kanya@example.org", display_name: str = "Kanya"):
    return passwords.check_password(password, email=email, display_name=display_name)


def test_the_shipped_list_is_large_lower_cased_and_has_no_blank_entry(app):
    common = passwords.common_passwords()

    assert len(common) >= 10_000
    assert all(entry == entry.lower() and entry.strip() for entry in common)
    # A password that begins with "#" further down is an entry, not a comment.
    assert "#$%^&*()" in common
    assert not any(entry.startswith("# ") for entry in common)


def test_the_list_names_its_source_and_licence():
    header = passwords.COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").split("\n", 20)[:20]
    text = "\n".join(header)
    assert "zxcvbn" in text and "MIT" in text


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD, "a long enough passphrase",
                                      "ควันไฟป่าลำปาง 2569", "mango-sticky-rice-at-noon"])
def test_ordinary_long_passwords_are_accepted(app, password):
    assert password not in passwords.common_passwords()
    assert check(password) is None


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "qwertyuiop",
        "QWERTYUIOP",  # any case
        "password123",
        "Password2569!",  # a common word and a Buddhist-Era year
        "iloveyou2024",
        "1q2w3e4r5t",
        "ๅ/-ภถุึคตจ",  # 1234567890 typed with the Thai layout on
        "ๆไำพะัีรนย",  # qwertyuiop typed with the Thai layout on
        "ยฟหหไนพก123",  # "password" typed with the Thai layout on, then digits
        "รหัสผ่าน1234",  # "password" in Thai, then digits
        "๑๒๓๔๕๖๗๘๙๐",  # Thai digits in a row
        "0812345678",  # a made-up Thai mobile number
        "1234512345",
    ],
)
def test_common_passwords_are_refused(app, password):
    assert len(password) >= passwords.MIN_LENGTH
    assert COMMON in check(password)


def test_too_short_too_long_and_too_few_characters_are_refused(app):
    assert check("abc12") == "Use at least 10 characters."
    assert check("x" * 100 + "y" * 157) == "Use at most 256 characters."
    assert check("abababababab") == "Use at least 4 different characters."


@pytest.mark.parametrize(
    ("password", "email", "display_name"),
    [
        ("kanya.srisuk2569", "kanya.srisuk@example.org", "K. S."),
        ("Srisuk-1234567", "kanya.srisuk@example.org", "K. S."),
        ("Somchai Jaidee!!", "s.j@example.org", "Somchai Jaidee"),
        ("somchaijaidee", "s.j@example.org", "Somchai Jaidee"),
    ],
)
def test_passwords_made_of_the_name_or_address_are_refused(app, password, email, display_name):
    assert check(password, email=email, display_name=display_name) == PERSONAL


def test_a_name_inside_a_long_enough_passphrase_is_fine(app):
    assert check("somchai grows mangoes by the river", display_name="Somchai") is None


def test_registration_refuses_a_common_password_and_creates_nothing(app, db):
    with pytest.raises(InvalidAccountData) as refused:
        register_user(email="mali@example.org", password="qwerty123456", display_name="Mali",
                      sector=Sector.CITIZEN, organisation_name=None, now=utcnow())

    assert refused.value.field == "password"
    assert COMMON in refused.value.message
    assert db.session.scalar(sa.select(User).where(User.email == "mali@example.org")) is None


def test_the_registration_form_shows_why_a_password_is_refused(client, db):
    response = client.post("/register", data={
        "email": "dao@example.org", "display_name": "Dao Kham", "sector": "citizen",
        "password": "daokham2569", "confirm": "daokham2569", "consent": "y",
    })

    assert response.status_code == 200
    assert PERSONAL in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.email == "dao@example.org")) is None
