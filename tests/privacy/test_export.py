"""Downloading one's data: a JSON file with everything the site holds about the person, no
secret in it, nobody else's data, in a fixed number of queries; and every column that points at
a person is either in it or excluded with a reason."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from participation.accounts.models import RecoveryCode, User
from participation.core.i18n import site_date
from participation.core.models import utcnow
from participation.extensions import db
from participation.moderation.models import ModerationReason
from participation.privacy import export
from participation.privacy.export import NOT_EXPORTED, SECTIONS, covered_columns, personal_data
from participation.proposals.models import Support
from tests.privacy.scene import (
    TOTP_SECRET,
    busy_person,
    records_of,
    requires_two_factor_of_administrators,
)
from tests.querycount import count_queries, forget_loaded_rows


def download(client) -> tuple[object, dict]:
    response = client.get("/account/data.json")
    assert response.status_code == 200
    return response, json.loads(response.get_data(as_text=True))


def section(document: dict, path: str) -> list[dict]:
    for name in path.split("."):
        document = document[name]
    return document


# The page and the file.


def test_the_data_page_says_what_the_file_holds_and_links_the_download_and_erasure(make, login):
    client = login(make.user())
    text = client.get("/account/data").get_data(as_text=True)
    assert "Download my data (JSON)" in text and 'href="/account/data.json"' in text
    assert "Delete my account" in text and 'href="/account/delete"' in text
    assert "never holds your password" in text


def test_the_account_page_links_to_the_data_page(make, login):
    client = login(make.user())
    assert 'href="/account/data"' in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/account/data", "/account/data.json", "/account/delete"])
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_download_is_a_dated_json_attachment_that_no_cache_keeps(make, login):
    client = login(make.user())
    response, _document = download(client)
    assert response.mimetype == "application/json"
    day = site_date(utcnow()).isoformat()
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=ruam-my-data-{day}.json"
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_the_download_holds_the_account_and_no_secret(make, login):
    person = busy_person(make, email="somchai@example.org", display_name="สมชาย ใจดี",
                        is_moderator=True)
    person.language = "en"
    db.session.commit()
    response, document = download(login(person))

    account = document["account"]
    assert account["id"] == person.id
    assert account["email"] == "somchai@example.org"
    assert account["display_name"] == "สมชาย ใจดี"
    assert account["sector"] == "civil_society"
    assert account["organisation"]["name_th"] == "เครือข่ายอากาศสะอาดลำปาง"
    assert account["language"] == "en" and account["email_mode"] == "immediate"
    for moment in ("created_at", "last_login_at", "email_verified_at"):
        assert account[moment], moment
    assert account["privacy_notice"]["version"] == person.privacy_version
    assert account["privacy_notice"]["consented_at"]
    assert account["roles"] == {"administrator": False, "moderator": True,
                                "agency_contact": False}
    assert account["two_factor"]["enabled"] is True
    assert account["two_factor"]["unused_recovery_codes"] == 2

    text = response.get_data(as_text=True)
    for secret in ("password_hash", "totp_secret", "code_hash", "session_version",
                   person.password_hash, TOTP_SECRET):
        assert secret not in text
    for code_hash in db.session.scalars(
            sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == person.id)):
        assert code_hash not in text


def test_every_kind_of_record_about_the_person_is_in_the_download(make, login):
    person = busy_person(make)
    other = make.user(email="someone.else@example.org")
    ids = records_of(make, person, other)
    requires_two_factor_of_administrators(person)
    db.session.commit()
    _response, document = download(login(person))

    empty = [s.path for s in SECTIONS if not section(document, s.path)]
    assert empty == [], "sections without the person's row"

    (proposal,) = document["proposals"]
    assert proposal["id"] == ids.proposal
    assert [r["number"] for r in proposal["revisions"]] == [1, 2]
    assert [e["proposal_id"] for e in document["proposal_edits"]] == [ids.edited_proposal]
    comments = {c["id"]: c for c in document["comments"]}
    assert [r["body"] for r in comments[ids.comment]["revisions"]] == ["First words",
                                                                      "Second words"]
    assert comments[ids.comment]["deleted"] is False
    assert comments[ids.deleted_comment]["deleted"] is True
    assert comments[ids.comment]["hidden"] is False
    (vote,) = document["votes"]
    assert (vote["id"], vote["ballot_id"], vote["seat_id"], vote["choice"]) == (
        ids.vote, ids.ballot, ids.seat, "no")
    (seat,) = document["seats"]
    assert (seat["id"], seat["holder"], seat["deputy"]) == (ids.seat, True, False)
    assert document["supports"][0]["proposal_id"] == ids.edited_proposal
    assert document["follows"] == [{"subject_type": "proposal", "subject_id": ids.edited_proposal,
                                    "created_at": document["follows"][0]["created_at"]}]
    assert document["volunteering"]["signups"][0]["task_id"] == ids.task
    assert document["evaluations"]["reviews"][0]["id"] == ids.review
    assert document["moderation"]["reports_filed"][0]["id"] == ids.report
    assert document["moderation"]["blocks_received"][0]["id"] == ids.block
    assert document["meetings"]["attendance"][0]["meeting_id"] == ids.meeting
    log = {(entry["verb"], entry["you_acted"]) for entry in document["accountability_log"]}
    assert log == {("proposal.opened", True), ("user.blocked", False)}


def test_the_download_holds_nothing_about_other_people(make, login):
    person = busy_person(make)
    other = make.user(email="someone.else@example.org")
    records_of(make, person, other)
    bystander = make.user(email="bystander@example.org")
    records_of(make, bystander, other)
    db.session.commit()
    response, document = download(login(person))

    text = response.get_data(as_text=True)
    assert "someone.else@example.org" not in text and "bystander@example.org" not in text
    assert len(document["proposals"]) == 1 and len(document["votes"]) == 1
    # A moderator's own blocks name no blocked account.
    assert all("user_id" not in row
               for row in document["moderation"]["blocks_given_or_lifted"])


def test_a_supported_proposal_a_moderator_hid_comes_without_its_title(make, login):
    person = make.user()
    proposal = make.proposal(title="Someone's home address and phone")
    db.session.add(Support(proposal_id=proposal.id, user_id=person.id))
    proposal.hidden_at, proposal.hidden_reason = utcnow(), ModerationReason.PERSONAL_DATA
    db.session.commit()
    response, document = download(login(person))

    assert document["supports"] == [{"proposal_id": proposal.id, "proposal_title": None,
                                     "created_at": document["supports"][0]["created_at"]}]
    assert "home address" not in response.get_data(as_text=True)


def test_the_download_is_always_the_readers_own_whatever_the_address_says(make, login):
    person, other = make.user(), make.user()
    db.session.commit()
    client = login(person)
    for url in (f"/account/data.json?user_id={other.id}", f"/account/data.json?id={other.id}",
                f"/account/data.json?email={other.email}"):
        document = json.loads(client.get(url).get_data(as_text=True))
        assert document["account"]["id"] == person.id
        assert other.email not in json.dumps(document)


def test_the_download_takes_the_same_number_of_queries_whatever_the_record(make, login):
    person = busy_person(make)
    other = make.user()
    records_of(make, person, other)
    db.session.commit()
    client = login(person)

    def queries() -> int:
        forget_loaded_rows()
        with count_queries() as log:
            assert client.get("/account/data.json").status_code == 200
        return len(log)

    person_id, other_id = person.id, other.id
    few = queries()
    person, other = db.session.get(User, person_id), db.session.get(User, other_id)
    for _ in range(3):
        records_of(make, person, other)
    db.session.commit()
    assert queries() == few
    assert few <= len(SECTIONS) + 6


# Every column that names a person is known.


def person_columns(metadata: sa.MetaData) -> set[tuple[str, str]]:
    """Every (table, column) with a foreign key to users.id."""
    return {
        (key.parent.table.name, key.parent.name)
        for table in metadata.tables.values()
        for key in table.foreign_keys
        if key.column.table.name == User.__tablename__ and key.column.name == "id"
    }


def unknown_person_columns(metadata: sa.MetaData) -> set[tuple[str, str]]:
    return person_columns(metadata) - set(covered_columns()) - set(NOT_EXPORTED)


def test_every_column_pointing_at_a_person_is_exported_or_excluded_with_a_reason(app):
    assert unknown_person_columns(db.metadata) == set(), (
        "a column points at a person: add it to a section of participation/privacy/export.py "
        "or to NOT_EXPORTED with the reason"
    )
    assert not set(covered_columns()) & set(NOT_EXPORTED)
    # Nothing listed that no longer exists.
    assert set(covered_columns()) | set(NOT_EXPORTED) <= person_columns(db.metadata)
    assert all(len(reason) > 40 for reason in NOT_EXPORTED.values())


def test_a_new_table_pointing_at_a_person_is_caught(app):
    metadata = sa.MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(metadata)
    sa.Table("petitions", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("signer_id", sa.ForeignKey("users.id")))
    assert unknown_person_columns(metadata) == {("petitions", "signer_id")}


def test_the_export_function_reads_an_erased_account_as_the_pseudonym(make):
    person = make.user(display_name="สมชาย ใจดี")
    person.erased_at = utcnow()
    document = personal_data(person)
    assert document["account"]["display_name"] == f"Former participant #{person.id}"
    assert document["format"] == export.FORMAT
