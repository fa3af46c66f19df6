"""The open-data page: every dataset with its size, its downloads, the licence and the feeds."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for

from participation.environment.models import Reading
from participation.extensions import db
from participation.opendata.datasets import DATASETS
from participation.opendata.views import FEEDS
from tests.opendata.scene import NOW, build
from tests.querycount import page_queries


def test_the_page_lists_every_dataset_with_its_rows_and_downloads(client, make):
    build(make)
    page = client.get("/open-data")

    assert page.status_code == 200
    text = page.text
    for dataset in DATASETS.values():
        assert str(dataset.title) in text
        assert f'href="/open-data/{dataset.name}.csv"' in text
        assert f'href="/open-data/{dataset.name}.json"' in text
        assert f'href="/api/v1/{dataset.name}"' in text
    assert 'href="/open-data/datapackage.json"' in text
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in text
    assert 'href="/api/v1/openapi.json"' in text
    readings_row = text.split('id="dataset-pm25-readings"')[1].split("</tr>")[0]
    assert '<td role="cell" data-label="Rows" class="number">4</td>' in readings_row
    assert len(page.data) < 100_000


def test_the_page_counts_only_public_rows(client, make):
    build(make)
    text = client.get("/open-data").text

    proposals_row = text.split('id="dataset-proposals"')[1].split("</tr>")[0]
    # Four proposals are public; the draft is not.
    assert 'class="number">4</td>' in proposals_row


def test_the_page_links_the_feeds_that_exist(app, client):
    text = client.get("/open-data").text

    existing = [endpoint for endpoint, _label, _kind in FEEDS if endpoint in app.view_functions]
    if not existing:
        assert 'id="feeds-title"' not in text
        return
    section = text.split('id="feeds-title"')[1].split("</section>")[0]
    with app.test_request_context():
        assert section.count("<li>") == len(existing)
        for endpoint in existing:
            assert f'href="{url_for(endpoint)}"' in section


def test_the_page_is_in_thai_by_default(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "th")
    response = client.get("/open-data", headers={"Accept-Language": "th"})

    assert response.status_code == 200
    assert '<html lang="th">' in response.text


def test_the_page_runs_the_same_queries_whatever_the_data(client, make):
    empty, _ = page_queries(client, "/open-data")
    scene = build(make)
    some, _ = page_queries(client, "/open-data")
    for _ in range(5):
        make.proposal()
    db.session.add_all(
        Reading(station_id=scene.station_id, measured_at=NOW - timedelta(hours=h), pm25=10.0)
        for h in range(1, 30)
    )
    db.session.flush()
    more, text = page_queries(client, "/open-data")

    assert empty == some == more <= 2
    assert 'class="number">33</td>' in text.split('id="dataset-pm25-readings"')[1]
