"""No personal data in the open data: every dataset (CSV, JSON, the Data Package descriptor) and
every API list and item is walked, and no field name may be a private profile field, and no
value may hold an e-mail address (any user's, or anything shaped like one), an IP address or a
secret of an account. An erased person's contributions are published under the pseudonym, and
their own download holds nothing personal any more."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa

from participation.accounts.models import RecoveryCode, User
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import Seat
from participation.opendata.datasets import DATASETS
from participation.privacy.erasure import erase_account
from participation.privacy.export import personal_data
from participation.proposals.models import Proposal
from tests.factories import PASSWORD
from tests.opendata.scene import SECRET_EMAIL, build

# Names of the private fields of an account (and of what would only come from one): a field
# with one of these in its name is never published.
PRIVATE_NAME_PARTS = (
    "email", "e_mail", "password", "totp", "session_version", "last_login", "privacy_",
    "blocked_until", "is_moderator", "is_admin", "code_hash", "recovery_code", "ip_address",
    "remote_addr", "to_address", "verified_at", "consented_at", "erased_at",
)
PRIVATE_NAMES = frozenset({"language", "ip", "phone"})
EMAIL_SHAPE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
IPV4_SHAPE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6_SHAPE = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")


@dataclass
class Secrets:
    """What must never be published: every account's address and secrets."""

    emails: set[str]
    secrets: set[str] = field(default_factory=set)

    @classmethod
    def of_every_account(cls) -> Secrets:
        users = db.session.execute(sa.select(User.email, User.password_hash, User.totp_secret))
        found = cls(emails=set())
        for email, password_hash, totp_secret in users:
            found.emails.add(email.lower())
            found.secrets.update(value for value in (password_hash, totp_secret) if value)
        found.secrets.update(db.session.scalars(sa.select(RecoveryCode.code_hash)))
        return found


def is_private_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in PRIVATE_NAMES or any(part in lowered for part in PRIVATE_NAME_PARTS)


def is_ip_address(text: str) -> bool:
    for shape in (IPV4_SHAPE, IPV6_SHAPE):
        for candidate in shape.findall(text):
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                continue
            return True
    return False


def walk(value: Any, where: str) -> Iterator[tuple[str, str | None, Any]]:
    """Every (place, key, value) in a JSON value; key None for list items and the top."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield where, str(key), item
            yield from walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from walk(item, f"{where}[{number}]")


def problems_in(document: Any, where: str, secrets: Secrets) -> list[str]:
    """What in a JSON document is personal: private field names, e-mail addresses, IP
    addresses, secrets of accounts."""
    problems = []
    for place, key, value in [(where, None, document), *walk(document, where)]:
        if key is not None and is_private_name(key):
            problems.append(f"{place}: private field name {key!r}")
        if isinstance(value, dict | list):
            continue
        text = str(value) if value is not None else ""
        lowered = text.lower()
        if EMAIL_SHAPE.search(text) or any(email in lowered for email in secrets.emails):
            problems.append(f"{place}.{key}: an e-mail address in {text[:80]!r}")
        if is_ip_address(text):
            problems.append(f"{place}.{key}: an IP address in {text[:80]!r}")
        if any(secret in text for secret in secrets.secrets):
            problems.append(f"{place}.{key}: a secret of an account")
    return problems


def csv_as_json(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def get_json(client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.get_data(as_text=True))


def everything_published(client) -> Iterator[tuple[str, Any]]:
    """Every open-data document and every API answer, as (address, parsed content)."""
    yield "/open-data/datapackage.json", get_json(client, "/open-data/datapackage.json")
    yield "/api/v1/", get_json(client, "/api/v1/")
    yield "/api/v1/openapi.json", get_json(client, "/api/v1/openapi.json")
    for name, dataset in DATASETS.items():
        csv_url = f"/open-data/{name}.csv"
        response = client.get(csv_url)
        assert response.status_code == 200, csv_url
        yield csv_url, csv_as_json(response.get_data(as_text=True))
        yield f"/open-data/{name}.json", get_json(client, f"/open-data/{name}.json")
        url = f"/api/v1/{name}?limit=500"
        while url:
            page = get_json(client, url)
            yield url, page
            for row in page["data"]:
                item_url = f"/api/v1/{name}/{row[dataset.key]}"
                yield item_url, get_json(client, item_url)
            following = page["links"]["next"]
            url = following.removeprefix("http://localhost") if following else None


def published_problems(client) -> list[str]:
    secrets = Secrets.of_every_account()
    assert secrets.emails and secrets.secrets
    problems = []
    for url, document in everything_published(client):
        problems.extend(problems_in(document, url, secrets))
    return problems


def test_no_open_dataset_or_api_answer_holds_personal_data(client, make):
    build(make)
    db.session.commit()
    assert SECRET_EMAIL in Secrets.of_every_account().emails
    assert published_problems(client) == []


def test_every_dataset_and_api_item_is_walked(client, make):
    build(make)
    db.session.commit()
    walked = {url.split("?")[0] for url, _document in everything_published(client)}
    for name in DATASETS:
        assert {f"/open-data/{name}.csv", f"/open-data/{name}.json", f"/api/v1/{name}"} <= walked
        assert any(url.startswith(f"/api/v1/{name}/") for url in walked), name


# The check itself finds what it looks for.


@pytest.mark.parametrize(("document", "found"), [
    ({"author_email": "x"}, "private field name 'author_email'"),
    ([{"data": {"password_hash": "x"}}], "private field name 'password_hash'"),
    ({"language": "th"}, "private field name 'language'"),
    ({"note": "write to somchai@example.org"}, "an e-mail address"),
    ({"note": "write to erased-7@invalid"}, "an e-mail address"),
    ({"note": "SOMEONE@EXAMPLE.ORG"}, "an e-mail address"),
    ({"note": "from 203.0.113.9 at night"}, "an IP address"),
    ({"note": "from 2001:db8::1"}, "an IP address"),
    ({"note": "hash argon2id-secret"}, "a secret of an account"),
])
def test_the_check_finds_private_names_addresses_and_secrets(document, found):
    secrets = Secrets(emails={"someone@example.org"}, secrets={"argon2id-secret"})
    problems = problems_in(document, "/test", secrets)
    assert any(found in problem for problem in problems), problems


@pytest.mark.parametrize("document", [
    {"measured_at": "2026-03-01T03:00:00Z", "version": "2.0NRT", "latitude": 18.27},
    {"hash": "b" * 64, "author_name": "Former participant #7", "tally": {"yes": 2}},
    {"evidence": ["https://example.org/criteria.pdf"], "secret": False, "seat_sector": "x"},
])
def test_the_check_leaves_public_values_alone(document):
    assert problems_in(document, "/test", Secrets(emails={"someone@example.org"})) == []


# An erased person in the open data, and in their own download.


def test_an_erased_persons_contributions_are_published_under_the_pseudonym(client, make):
    scene = build(make)
    proposal = db.session.get(Proposal, scene.proposal_id)
    author = proposal.author
    seat = db.session.scalars(
        sa.select(Seat).where(Seat.group_id == proposal.group_id, Seat.holder_id.is_not(None))
        .order_by(Seat.id).limit(1)
    ).one()
    member = seat.holder
    seat.holder_id = None  # a member who left the group
    names = {author.id: author.display_name, member.id: member.display_name}
    for person in (author, member):
        erase_account(user=person, password=PASSWORD, now=utcnow())
    db.session.commit()

    proposals = get_json(client, "/open-data/proposals.json")
    (proposal,) = [row for row in proposals if row["id"] == scene.proposal_id]
    assert proposal["author_name"] == f"Former participant #{author.id}"
    voted = [row for row in get_json(client, "/open-data/votes.json")
             if row["voter_id"] == member.id]
    assert voted and {row["member_name"] for row in voted} == {
        f"Former participant #{member.id}"}
    log = get_json(client, "/open-data/log.json")
    assert {row["actor_name"] for row in log if row["actor_id"] == author.id} == {
        f"Former participant #{author.id}"}

    published = json.dumps([document for _url, document in everything_published(client)],
                           ensure_ascii=False)
    for name in names.values():
        assert name not in published
    assert SECRET_EMAIL not in published
    assert published_problems(client) == []


def test_an_erased_persons_own_download_holds_nothing_personal(make):
    scene = build(make)
    author = db.session.get(Proposal, scene.proposal_id).author
    name, email = author.display_name, author.email
    erase_account(user=author, password=PASSWORD, now=utcnow())

    document = personal_data(author)
    account = document["account"]
    assert account["email"] == f"erased-{author.id}@invalid"
    assert account["display_name"] == f"Former participant #{author.id}"
    assert account["organisation"] is None and account["last_login_at"] is None
    assert account["email_verified_at"] is None
    assert account["privacy_notice"] == {"version": None, "consented_at": None}
    assert account["roles"] == {"administrator": False, "moderator": False,
                                "agency_contact": False}
    assert account["two_factor"] == {"enabled": False, "enabled_at": None,
                                     "unused_recovery_codes": 0}
    assert document["follows"] == document["notifications"] == document["email_outbox"] == []
    text = json.dumps(document, ensure_ascii=False)
    assert name not in text and email not in text
    # Contributions stay, so the download still lists them.
    assert [p["id"] for p in document["proposals"]] == [scene.proposal_id]
