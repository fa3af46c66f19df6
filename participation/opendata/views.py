"""The open-data page, the streamed CSV and JSON downloads and the Data Package descriptor."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from participation.core.models import utcnow
from participation.opendata import queries
from participation.opendata.datasets import DATASETS, InvalidFilter, iso_moment
from participation.opendata.formats import csv_chunks, json_chunks

bp = Blueprint("opendata", __name__)

FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_chunks),
    "json": ("application/json; charset=utf-8", json_chunks),
}

# Feeds published by the feeds package; a link is shown only for those that exist.
FEEDS = (
    ("feeds.proposals", _l("New proposals"), "Atom"),
    ("feeds.decisions", _l("Decisions"), "Atom"),
    ("feeds.log", _l("Accountability log"), "Atom"),
    ("feeds.ballots_calendar", _l("Ballot closing dates"), "iCalendar"),
)


def licence() -> dict[str, str]:
    config = current_app.config
    return {
        "name": config["OPEN_DATA_LICENSE_NAME"],
        "title": config["OPEN_DATA_LICENSE_TITLE"],
        "path": config["OPEN_DATA_LICENSE_PATH"],
    }


def open_to_all(response: Response) -> Response:
    """Public data, read without credentials: any site may fetch it."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/open-data")
def index():
    counts = queries.row_counts()
    feeds = [
        (url_for(endpoint), label, kind)
        for endpoint, label, kind in FEEDS
        if endpoint in current_app.view_functions
    ]
    api = "api.index" in current_app.view_functions
    return render_template(
        "opendata/index.html",
        datasets=list(DATASETS.values()),
        counts=counts,
        licence=licence(),
        feeds=feeds,
        api=api,
    )


@bp.get("/open-data/<name>.<any(csv, json):fmt>")
def download(name: str, fmt: str):
    dataset = DATASETS.get(name)
    if dataset is None:
        abort(404)
    try:
        filters = dataset.parse_filters(request.args)
    except InvalidFilter:
        abort(400)
    mimetype, writer = FORMATS[fmt]
    body = writer(dataset, queries.stream(dataset, filters))
    response = Response(stream_with_context(body), content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return open_to_all(response)


def package_descriptor() -> dict[str, Any]:
    """The Frictionless Data Package describing every dataset's CSV download."""
    site = current_app.config["SITE_NAME"]
    return {
        # Frictionless names are lower-case ASCII letters, digits, "-", "_" and ".".
        "name": re.sub(r"[^a-z0-9._-]+", "-", site.lower()).strip("-") + "-open-data",
        "title": _("Open data of %(site)s", site=site),
        "description": _(
            "Every public record of the working groups, their decisions and commitments, "
            "and the air-quality data they track."
        ),
        "homepage": url_for("opendata.index", _external=True),
        "created": iso_moment(utcnow().replace(microsecond=0)),
        "licenses": [licence()],
        "resources": [
            {
                "name": dataset.name,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "path": url_for("opendata.download", name=dataset.name, fmt="csv",
                                _external=True),
                "format": "csv",
                "mediatype": "text/csv",
                # The files start with a byte-order mark, which UTF-8 readers skip.
                "encoding": "utf-8",
                "schema": dataset.schema(),
            }
            for dataset in DATASETS.values()
        ],
    }


@bp.get("/open-data/datapackage.json")
def datapackage():
    body = current_app.json.dumps(package_descriptor(), sort_keys=False, ensure_ascii=False)
    return open_to_all(current_app.response_class(body + "\n", mimetype="application/json"))
