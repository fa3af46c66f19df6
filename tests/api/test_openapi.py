"""The OpenAPI document is valid and describes the API's real responses, field by field."""

from __future__ import annotations

import copy

import jsonschema
import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate as validate_spec

from participation.opendata.datasets import DATASETS
from tests.opendata.scene import build


@pytest.fixture(scope="module")
def document(app) -> dict:
    with app.app_context():
        response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture(scope="module")
def api(document) -> OpenAPI:
    return OpenAPI.from_dict(document)


def check(api: OpenAPI | dict, response) -> None:
    """Raise unless the response (and its request) are what the document describes."""
    if isinstance(api, dict):
        api = OpenAPI.from_dict(api)
    api.validate_response(WerkzeugOpenAPIRequest(response.request),
                          WerkzeugOpenAPIResponse(response))


def test_the_document_is_valid_openapi_3_1(document):
    validate_spec(document)
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://localhost/api/v1"}]


def test_the_document_describes_every_dataset_and_filter(document):
    for dataset in DATASETS.values():
        listing = document["paths"][f"/{dataset.name}"]["get"]
        names = {p.get("name") for p in listing["parameters"]}
        assert {f.name for f in dataset.filters} <= names
        schema = document["components"]["schemas"][dataset.name]
        assert list(schema["properties"]) == [f.name for f in dataset.fields]
        assert f"/{dataset.name}/{{id}}" in document["paths"]


def test_the_index_matches_the_document(client, api):
    check(api, client.get("/api/v1/"))


@pytest.mark.parametrize("name", list(DATASETS))
def test_lists_details_and_errors_of_every_dataset_match_the_document(client, make, api, name):
    build(make)
    listing = client.get(f"/api/v1/{name}?limit=2")
    assert listing.status_code == 200 and listing.get_json()["data"]
    check(api, listing)

    row = listing.get_json()["data"][0]
    detail = client.get(f"/api/v1/{name}/{row[DATASETS[name].key]}")
    check(api, detail)

    missing = client.get(f"/api/v1/{name}/2147483647")
    assert missing.status_code == 404
    check(api, missing)

    refused = client.get(f"/api/v1/{name}?limit=9999")
    assert refused.status_code == 400
    check(api, refused)


@pytest.mark.parametrize("url", [
    "/api/v1/pm25-readings?station=37t&from=2026-03-01&limit=1",
    "/api/v1/proposals?state=open&limit=1&lang=th",
    "/api/v1/log?subject_type=proposal&limit=1",
    "/api/v1/hotspots?district=5201&to=2026-03-31T00:00:00%2B07:00",
    "/api/v1/sector-tallies?subject_type=decision&measure=vote&limit=3",
    "/api/v1/answers?state=referred",
    "/api/v1/progress-reviews?kind=dispute",
])
def test_filtered_lists_match_the_document(client, make, api, url):
    build(make)
    listing = client.get(url)
    assert listing.status_code == 200 and listing.get_json()["data"]
    check(api, listing)


def test_a_field_the_document_does_not_describe_fails_the_check(client, make, document, api):
    build(make)
    listing = client.get("/api/v1/pm25-readings")
    narrower = copy.deepcopy(document)
    schema = narrower["components"]["schemas"]["pm25-readings"]
    del schema["properties"]["import_id"]
    schema["required"].remove("import_id")

    check(api, listing)
    with pytest.raises(Exception, match="(?i)invalid|additional"):
        check(narrower, listing)


def test_a_value_of_the_wrong_type_fails_the_check(client, make, document):
    build(make)
    listing = client.get("/api/v1/pm25-readings")
    wrong = copy.deepcopy(document)
    wrong["components"]["schemas"]["pm25-readings"]["properties"]["measured_at"] = {
        "type": "integer"}

    with pytest.raises(Exception, match="(?i)invalid"):
        check(wrong, listing)


def test_errors_outside_any_described_path_still_follow_the_error_schema(client, document):
    error_schema = document["components"]["schemas"]["Error"]
    for url in ("/api/v1/nowhere/at/all", "/api/v2/", "/api/v1/proposals/abc"):
        jsonschema.validate(client.get(url).get_json(), error_schema)
    jsonschema.validate(client.post("/api/v1/proposals").get_json(), error_schema)
