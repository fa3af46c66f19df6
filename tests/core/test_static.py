"""Static files: content-addressed URLs cached for a year, anything else revalidated."""

import os
import re
from urllib.parse import parse_qs, urlsplit

from flask import url_for

from participation.core.static import ONE_YEAR, StaticDigests


def _stylesheet_url(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)


def test_pages_link_the_stylesheet_by_its_content_digest(client):
    url = _stylesheet_url(client)
    assert urlsplit(url).path == "/static/css/site.css"
    assert re.fullmatch(r"[0-9a-f]{12}", parse_qs(urlsplit(url).query)["v"][0])


def test_a_digested_url_is_cached_for_a_year(client):
    with client.get(_stylesheet_url(client)) as response:
        assert response.status_code == 200
    assert response.cache_control.public
    assert response.cache_control.max_age == ONE_YEAR
    assert response.cache_control.immutable
    assert not response.cache_control.no_cache


def test_an_undigested_or_stale_url_must_be_revalidated(client):
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        with client.get(url) as response:
            assert response.status_code == 200
        assert response.cache_control.no_cache
        assert response.cache_control.max_age is None
        assert response.headers["ETag"]


def test_a_missing_static_file_is_a_404_without_a_digest(app, client):
    with app.test_request_context():
        assert "v=" not in url_for("static", filename="css/absent.css")
    assert client.get("/static/css/absent.css").status_code == 404
    assert client.get("/static/../setup.cfg").status_code == 404


def test_the_digest_follows_the_file_content(tmp_path):
    css = tmp_path / "app.css"
    css.write_text("body { color: black }")
    digests = StaticDigests(str(tmp_path))
    first = digests.of("app.css")
    assert digests.of("app.css") == first
    assert digests.of("./app.css") == first
    # Replaced within the same clock tick (or copied keeping the time): the size tells.
    modified = css.stat().st_mtime_ns
    css.write_text("body { color: rgb(0, 0, 128) }")
    os.utime(css, ns=(modified, modified))
    assert digests.of("app.css") != first


def test_there_is_no_digest_outside_the_folder_or_for_what_is_not_a_file(tmp_path):
    (tmp_path / "sub").mkdir()
    digests = StaticDigests(str(tmp_path))
    assert digests.of("../outside.css") is None
    assert digests.of("missing.css") is None
    assert digests.of("sub") is None
