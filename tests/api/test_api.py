"""The JSON API: keyset pages with stable cursors, filters, details, JSON errors and CORS."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.accountability.services import record
from participation.environment.models import Reading
from participation.extensions import db
from participation.opendata.datasets import DATASETS
from participation.proposals.models import ProposalState
from tests.opendata.scene import NOW, build
from tests.querycount import count_queries, forget_loaded_rows


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response.get_json()


def add_readings(station_id: int, hours: int) -> None:
    db.session.add_all(
        Reading(station_id=station_id, measured_at=NOW + timedelta(days=1, hours=h), pm25=h)
        for h in range(hours)
    )
    db.session.flush()


def test_the_index_lists_every_dataset_with_its_links(client):
    index = get(client, "/api/v1/")

    assert [d["name"] for d in index["data"]] == list(DATASETS)
    proposals = index["data"][0]
    assert proposals["links"] == {
        "self": "http://localhost/api/v1/proposals",
        "csv": "http://localhost/open-data/proposals.csv",
        "json": "http://localhost/open-data/proposals.json",
    }
    assert index["links"]["openapi"] == "http://localhost/api/v1/openapi.json"


def test_a_list_pages_through_every_row_with_cursors_in_key_order(client, make):
    scene = build(make)
    add_readings(scene.station_id, 6)
    all_ids = [r["id"] for r in get(client, "/api/v1/pm25-readings")["data"]]
    assert len(all_ids) == 10 and all_ids == sorted(all_ids)

    seen, url, pages = [], "/api/v1/pm25-readings?limit=3", 0
    while url:
        page = get(client, url.removeprefix("http://localhost"))
        assert len(page["data"]) <= 3
        seen += [r["id"] for r in page["data"]]
        url = page["links"]["next"]
        assert (page["next_cursor"] is None) == (url is None)
        pages += 1

    assert seen == all_ids
    assert pages == 4


def test_a_cursor_stays_put_when_rows_are_added(client, make):
    scene = build(make)
    first = get(client, "/api/v1/pm25-readings?limit=2")
    add_readings(scene.station_id, 3)

    second = get(client, f"/api/v1/pm25-readings?limit=2&cursor={first['next_cursor']}")

    assert second["data"][0]["id"] == first["data"][-1]["id"] + 1
    assert second["data"][0]["id"] == scene.reading_ids[2]


def test_the_next_link_keeps_the_filters_and_the_limit(client, make):
    scene = build(make)
    add_readings(scene.station_id, 4)

    page = get(client, "/api/v1/pm25-readings?station=37t&limit=2")

    assert page["links"]["next"].startswith("http://localhost/api/v1/pm25-readings?")
    assert "station=37t" in page["links"]["next"] and "limit=2" in page["links"]["next"]
    assert f"cursor={page['next_cursor']}" in page["links"]["next"]
    assert page["links"]["self"] == "http://localhost/api/v1/pm25-readings?station=37t&limit=2"


def test_the_default_page_holds_50_rows(client, make):
    scene = build(make)
    add_readings(scene.station_id, 60)

    page = get(client, "/api/v1/pm25-readings")

    assert len(page["data"]) == 50 and page["next_cursor"] is not None
    assert len(get(client, "/api/v1/pm25-readings?limit=500")["data"]) == 64


def test_readings_filter_by_station_and_time(client, make):
    scene = build(make)

    by_station = get(client, "/api/v1/pm25-readings?station=38t")["data"]
    in_range = get(
        client, "/api/v1/pm25-readings?from=2026-03-01T04:00:00Z&to=2026-03-01T05:00:00Z"
    )["data"]
    # 2026-03-01 in Thai time is 2026-02-28T17:00Z to 2026-03-01T17:00Z: every reading.
    by_day = get(client, "/api/v1/pm25-readings?from=2026-03-01&to=2026-03-01")["data"]
    day_before = get(client, "/api/v1/pm25-readings?to=2026-02-28")["data"]

    assert [r["pm25"] for r in by_station] == [0.0]
    assert [r["measured_at"] for r in in_range] == ["2026-03-01T04:00:00Z",
                                                    "2026-03-01T05:00:00Z"]
    assert [r["id"] for r in by_day] == scene.reading_ids
    assert day_before == []


def test_hotspots_filter_by_district_and_time(client, make):
    scene = build(make)

    assert [h["id"] for h in get(client, "/api/v1/hotspots?district=5201")["data"]] == [
        scene.hotspot_id
    ]
    assert get(client, "/api/v1/hotspots?district=5202")["data"] == []
    assert get(client, "/api/v1/hotspots?from=2026-03-02")["data"] == []
    assert len(get(client, "/api/v1/hotspots?to=2026-03-01T03:00:00Z")["data"]) == 1


def test_proposals_filter_by_state_and_group(client, make):
    scene = build(make)
    group_id = get(client, f"/api/v1/proposals/{scene.proposal_id}")["data"]["group_id"]
    make.proposal(state=ProposalState.OPEN)

    open_ones = get(client, "/api/v1/proposals?state=open")["data"]
    in_group = get(client, f"/api/v1/proposals?group={group_id}")["data"]

    assert {p["state"] for p in open_ones} == {"open"} and len(open_ones) == 2
    assert {p["group_id"] for p in in_group} == {group_id} and len(in_group) == 4
    assert get(client, "/api/v1/proposals?state=draft", 400)["error"]["code"] == "invalid_filter"


def test_the_log_filters_by_verb_and_subject_type(client, make):
    build(make)
    record(actor=None, verb="group.created", subject_type="group", subject_id=1, now=NOW)

    by_verb = get(client, "/api/v1/log?verb=ballot.closed")["data"]
    by_type = get(client, "/api/v1/log?subject_type=proposal")["data"]

    assert [e["verb"] for e in by_verb] == ["ballot.closed"]
    assert [e["subject_type"] for e in by_type] == ["proposal"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_row_of_a_list_has_a_detail(client, make, name):
    build(make)
    rows = get(client, f"/api/v1/{name}")["data"]
    key = DATASETS[name].key

    assert rows
    for row in rows:
        assert get(client, f"/api/v1/{name}/{row[key]}") == {"data": row}


def test_a_draft_is_not_found(client, make):
    scene = build(make)
    body = get(client, f"/api/v1/proposals/{scene.draft_id}", 404)

    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/pm25-readings?station=", 400, "invalid_filter"),
        ("/api/v1/pm25-readings?from=last-week", 400, "invalid_filter"),
        ("/api/v1/pm25-readings?to=9999-12-31", 400, "invalid_filter"),
        ("/api/v1/pm25-readings?from=0001-01-01", 400, "invalid_filter"),
        ("/api/v1/hotspots?to=9999-12-31T23:59:59.999999Z", 400, "invalid_filter"),
        ("/api/v1/kpi-measurements?from=2026-02-30", 400, "invalid_filter"),
        ("/api/v1/proposals?group=abc", 400, "invalid_filter"),
        ("/api/v1/proposals?group=99999999999", 400, "invalid_filter"),
        ("/api/v1/log?verb=made.up", 400, "invalid_filter"),
        ("/api/v1/proposals?colour=red", 400, "unknown_parameter"),
        ("/api/v1/proposals?limit=0", 400, "invalid_parameter"),
        ("/api/v1/proposals?limit=501", 400, "invalid_parameter"),
        ("/api/v1/proposals?limit=ten", 400, "invalid_parameter"),
        ("/api/v1/proposals?cursor=%%%", 400, "invalid_cursor"),
        ("/api/v1/proposals?cursor=LTE", 400, "invalid_cursor"),  # "-1"
        ("/api/v1/proposals?cursor=MQ==", 400, "invalid_cursor"),  # padded: not ours
        ("/api/v1/users", 404, "not_found"),
        ("/api/v1/proposals/999999", 404, "not_found"),
        ("/api/v1/proposals/99999999999", 404, "not_found"),
        ("/api/v1/proposals/abc", 404, "not_found"),
        ("/api/v1/proposals/1/comments", 404, "not_found"),
        ("/api/v2/proposals", 404, "not_found"),
        ("/api", 404, "not_found"),
    ],
)
def test_errors_are_json_with_a_code_and_a_message(client, url, status, code):
    body = get(client, url, status)

    assert body == {"error": {"code": code, "message": body["error"]["message"]}}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_refused_with_405_in_json_even_with_csrf_on(
    app, client, monkeypatch, method
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = getattr(client, method)("/api/v1/proposals")

    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_pages_outside_the_api_keep_their_html_error_pages(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_any_site_may_read_the_api_without_credentials(client, make):
    build(make)
    for url in ("/api/v1/", "/api/v1/proposals", "/api/v1/proposals/999999",
                "/api/v1/openapi.json", "/api/v1/nowhere/at/all"):
        response = client.get(url, headers={"Origin": "https://example.net"})
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response.headers

    preflight = client.options("/api/v1/proposals", headers={
        "Origin": "https://example.net", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.head("/api/v1/proposals").status_code == 200


def test_pages_outside_the_api_get_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


@pytest.mark.parametrize("name", ["pm25-readings", "proposals", "votes", "supports", "log",
                                  "decisions", "sector-tallies", "answers", "volunteer-tasks"])
def test_a_list_runs_one_query_whatever_its_size(client, make, name):
    scene = build(make)

    def queries_for(url: str) -> int:
        forget_loaded_rows()
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = queries_for(f"/api/v1/{name}?limit=500")
    add_readings(scene.station_id, 40)
    for _ in range(10):
        make.proposal()
    big = queries_for(f"/api/v1/{name}?limit=500")

    assert small == big == 1


def test_a_proposal_carries_its_answer_and_its_tally_by_sector(client, make):
    scene = build(make)
    proposal = get(client, f"/api/v1/proposals/{scene.proposal_id}")["data"]
    answer = get(client, f"/api/v1/answers/{scene.proposal_id}")["data"]

    assert (proposal["answer_state"], proposal["answered_on"]) == ("accepted", "2026-03-01")
    assert proposal["answer_due_on"] == answer["due_on"] == "2026-03-31"
    assert (answer["state"], answer["on_time"]) == ("accepted", True)
    assert proposal["tally_by_sector"]["citizen"] == {"support": 1, "for": 1}
    assert proposal["tally_by_sector"]["civil_society"] == {"against": 1}
    assert get(client, f"/api/v1/answers/{scene.draft_id}", 404)["error"]["code"] == "not_found"


def test_a_decision_carries_its_votes_by_sector(client, make):
    scene = build(make)
    decision = get(client, f"/api/v1/decisions/{scene.decision_id}")["data"]
    tallies = get(client, f"/api/v1/sector-tallies?subject_type=decision"
                          f"&subject_id={scene.decision_id}")["data"]

    assert decision["tally_by_sector"]["private_sector"] == {"no": 1}
    assert decision["block_count"] == 0
    assert {(t["sector"], t["key"]): t["count"] for t in tallies} == {
        (sector, key): number
        for sector, counts in decision["tally_by_sector"].items()
        for key, number in counts.items()
    }


def test_sector_tallies_page_through_every_row_with_cursors(client, make):
    build(make)
    every = get(client, "/api/v1/sector-tallies?limit=500")["data"]

    seen, url = [], "/api/v1/sector-tallies?limit=2"
    while url:
        page = get(client, url.removeprefix("http://localhost"))
        seen += page["data"]
        url = page["links"]["next"]

    assert seen == every and len(every) == 9
