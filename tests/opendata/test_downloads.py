"""The open datasets download as CSV and JSON that match their Data Package descriptor."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from types import SimpleNamespace

import frictionless
import pytest

from participation.accountability.services import verify_chain
from participation.opendata.datasets import DATASETS, TYPES
from tests.opendata.scene import SECRET_EMAIL, SECRET_REASONS, VOLUNTEER_NAMES, build


def download_package(client, folder) -> dict:
    """Download the descriptor and every CSV into `folder`, pointing each resource at its file."""
    descriptor = client.get("/open-data/datapackage.json").get_json()
    for resource in descriptor["resources"]:
        response = client.get(resource["path"].removeprefix("http://localhost"))
        assert response.status_code == 200, resource["name"]
        (folder / f"{resource['name']}.csv").write_bytes(response.data)
        resource["path"] = f"{resource['name']}.csv"
    return descriptor


def validate(descriptor: dict, folder) -> frictionless.Report:
    package = frictionless.Package(descriptor, basepath=str(folder))
    return package.validate()


def errors_of(report: frictionless.Report) -> list:
    return report.flatten(["type", "fieldName", "rowNumber", "note"])


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_every_dataset_downloads_as_csv_that_validates_against_the_datapackage(
    client, make, tmp_path
):
    build(make)
    descriptor = download_package(client, tmp_path)

    assert [r["name"] for r in descriptor["resources"]] == list(DATASETS)
    report = validate(descriptor, tmp_path)
    assert report.valid, errors_of(report)
    rows = {task.name: task.stats["rows"] for task in report.tasks}
    assert all(count >= 1 for count in rows.values()), rows


@pytest.mark.parametrize(
    ("resource", "field", "wrong_type"),
    [
        ("pm25-readings", "measured_at", "date"),
        ("proposals", "title", "integer"),
        ("comments", "deleted", "integer"),
        ("districts", "boundary", "number"),
    ],
)
def test_validation_fails_when_a_field_type_is_wrong(
    client, make, tmp_path, resource, field, wrong_type
):
    build(make)
    descriptor = download_package(client, tmp_path)
    (described,) = [r for r in descriptor["resources"] if r["name"] == resource]
    (column,) = [f for f in described["schema"]["fields"] if f["name"] == field]
    column["type"] = wrong_type
    column.pop("format", None)

    report = validate(descriptor, tmp_path)

    assert not report.valid
    assert {error[1] for error in errors_of(report)} == {field}


def test_the_descriptor_describes_every_field_with_a_type_a_description_and_the_licence(client):
    descriptor = client.get("/open-data/datapackage.json").get_json()

    assert descriptor["licenses"] == [{
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }]
    for resource in descriptor["resources"]:
        assert resource["path"].startswith("http://localhost/open-data/")
        assert resource["path"].endswith(".csv")
        assert resource["encoding"] == "utf-8"
        assert resource["schema"]["primaryKey"] in (["id"], ["proposal_id"])
        for field in resource["schema"]["fields"]:
            assert field["type"] in TYPES
            assert field["description"], (resource["name"], field["name"])


def test_the_licence_comes_from_the_configuration(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "OPEN_DATA_LICENSE_NAME", "ODC-BY-1.0")
    monkeypatch.setitem(app.config, "OPEN_DATA_LICENSE_TITLE", "Open Data Commons Attribution")
    monkeypatch.setitem(app.config, "OPEN_DATA_LICENSE_PATH",
                        "https://opendatacommons.org/licenses/by/1-0/")

    descriptor = client.get("/open-data/datapackage.json").get_json()
    page = client.get("/open-data").text

    assert descriptor["licenses"][0]["name"] == "ODC-BY-1.0"
    assert "Open Data Commons Attribution" in page
    assert 'href="https://opendatacommons.org/licenses/by/1-0/" rel="license"' in page


def test_csv_starts_with_a_byte_order_mark_and_names_the_fields(client, make):
    build(make)
    response = client.get("/open-data/proposals.csv")

    assert response.data.startswith(b"\xef\xbb\xbfid,group_id,title,")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="proposals.csv"'
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    first = csv_rows(response)[0]
    assert first["title"] == "ลดการเผาในที่โล่ง"
    assert first["opened_at"].endswith("Z") and "T" in first["opened_at"]


def test_csv_writes_booleans_dates_and_moments_in_iso_form(client, make):
    build(make)
    comments = csv_rows(client.get("/open-data/comments.csv"))
    measurements = csv_rows(client.get("/open-data/kpi-measurements.csv"))
    readings = csv_rows(client.get("/open-data/pm25-readings.csv"))

    assert {c["deleted"] for c in comments} == {"true", "false"}
    assert measurements[0]["period_start"] == "2026-03-01"
    assert measurements[0]["derived"] == "true"
    assert readings[0]["measured_at"] == "2026-03-01T03:00:00Z"


@pytest.mark.parametrize("name", list(DATASETS))
def test_json_download_is_an_array_with_the_same_rows_as_the_csv(client, make, name):
    build(make)
    as_json = client.get(f"/open-data/{name}.json")
    as_csv = csv_rows(client.get(f"/open-data/{name}.csv"))

    assert as_json.headers["Content-Disposition"] == f'attachment; filename="{name}.json"'
    rows = json.loads(as_json.data)
    assert len(rows) == len(as_csv) >= 1
    fields = [f.name for f in DATASETS[name].fields]
    assert all(list(row) == fields for row in rows)
    key = DATASETS[name].key
    assert [row[key] for row in rows] == [int(row[key]) for row in as_csv]


def test_downloads_are_streamed(client, make):
    build(make)
    response = client.get("/open-data/pm25-readings.json", buffered=False)

    assert response.is_streamed
    chunks = list(response.response)
    assert chunks[0] == b"[" and chunks[-1] == b"]\n"
    assert len(json.loads(b"".join(chunks))) == 4


def test_nothing_private_is_published(client, make):
    scene = build(make)
    texts = {
        f"{name}.{fmt}": client.get(f"/open-data/{name}.{fmt}").data.decode("utf-8-sig")
        for name in DATASETS
        for fmt in ("csv", "json")
    }

    for name, text in texts.items():
        assert SECRET_EMAIL not in text, name
        assert "@example.org" not in text.replace("https://example.org", ""), name
        assert "password" not in text and "argon2" not in text, name
    proposals = json.loads(texts["proposals.json"])
    assert scene.draft_id not in {p["id"] for p in proposals}
    assert "Secret draft" not in texts["proposals.json"]
    assert "On a draft" not in texts["comments.json"]
    assert "Removed words" not in texts["comments.json"]
    assert scene.draft_id not in {s["proposal_id"] for s in json.loads(texts["supports.json"])}
    votes = json.loads(texts["votes.json"])
    assert {v["ballot_id"] for v in votes} == {scene.closed_ballot_id, scene.secret_ballot_id}
    assert scene.draft_id not in {
        t["subject_id"] for t in json.loads(texts["sector-tallies.json"])
        if t["subject_type"] == "proposal"
    }
    for text in texts.values():
        assert not any(name in text for name in VOLUNTEER_NAMES)
        assert not any(reason in text for reason in SECRET_REASONS)


def test_support_counts_add_up_by_sector_without_naming_anyone(client, make):
    scene = build(make)
    supports = {s["proposal_id"]: s for s in client.get("/open-data/supports.json").get_json()}

    counts = supports[scene.proposal_id]
    assert counts["supports"] == 2
    assert counts["citizen"] == 1 and counts["government"] == 1
    assert set(counts) == {"proposal_id", "supports", "government", "civil_society",
                           "private_sector", "academia", "citizen", "last_supported_at"}


def test_the_exported_log_verifies_against_its_hash_chain(client, make):
    build(make)
    entries = client.get("/open-data/log.json").get_json()
    rows = [
        SimpleNamespace(**{**entry, "created_at": datetime.fromisoformat(entry["created_at"])})
        for entry in entries
    ]

    assert verify_chain(rows).ok
    rows[0].data = {"from": "draft", "to": "adopted"}
    assert not verify_chain(rows).ok


def test_downloads_take_the_same_filters_as_the_api(client, make):
    build(make)
    only_38t = csv_rows(client.get("/open-data/pm25-readings.csv?station=38t"))
    one_hour = csv_rows(client.get(
        "/open-data/pm25-readings.csv?station=37t&from=2026-03-01T04:00:00Z"
        "&to=2026-03-01T04:00:00Z"
    ))

    assert [r["pm25"] for r in only_38t] == ["0.0"]
    assert [r["measured_at"] for r in one_hour] == ["2026-03-01T04:00:00Z"]
    assert client.get("/open-data/pm25-readings.csv?from=yesterday").status_code == 400


def test_an_unknown_dataset_or_format_is_not_found(client):
    assert client.get("/open-data/users.csv").status_code == 404
    assert client.get("/open-data/proposals.xlsx").status_code == 404


def test_kpis_list_their_owners_and_commitments(client, make):
    build(make)
    (kpi,) = client.get("/open-data/kpis.json").get_json()
    (commitment,) = client.get("/open-data/commitments.json").get_json()
    (row,) = csv_rows(client.get("/open-data/kpis.csv"))

    assert kpi["commitment_ids"] == [commitment["id"]]
    assert kpi["owner_ids"] == [commitment["lead_organisation_id"]]
    assert row["commitment_ids"] == f"[{commitment['id']}]"
