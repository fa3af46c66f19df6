"""The public air-quality dashboard and the secretariat's upload page for data files."""

from __future__ import annotations

import os

from flask import Blueprint, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work
from participation.environment import queries, services
from participation.environment.forms import UploadForm, megabytes, upload_limit
from participation.environment.models import DataKind
from participation.environment.permissions import can_import_data
from participation.kpis.queries import all_kpis

bp = Blueprint("environment", __name__)

UPLOAD_ENDPOINT = "environment.upload"


@bp.url_value_preprocessor
def allow_data_files(endpoint: str | None, _values: dict | None) -> None:
    # The site's MAX_CONTENT_LENGTH (1 MB) suits forms, not data files. URL value
    # preprocessors run before every before_request function, so the larger limit is in place
    # before CSRF protection first reads the form.
    if endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = upload_limit() + 8 * 1024  # room for the other fields


def _page(form: UploadForm, report: services.ImportReport | None = None, status: int = 200):
    return (
        render_template(
            "environment/upload.html",
            form=form,
            report=report,
            imports=queries.recent_imports(),
            limit_mb=megabytes(upload_limit()),
        ),
        status,
    )


@bp.route("/data/import", methods=["GET", "POST"])
@login_required
def upload():
    require(can_import_data(current_user))
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        storage = form.file.data
        service = (
            services.import_air if form.kind.data == DataKind.AIR.value
            else services.import_hotspots
        )
        with unit_of_work(form, fallback_field="file") as work:
            report = service(
                stream=storage.stream,
                filename=os.path.basename(storage.filename or "").strip() or "upload",
                actor=me(),
                now=utcnow(),
            )
        if work.ok:
            flash(
                ngettext("%(num)d new row imported.", "%(num)d new rows imported.",
                         report.new),
                "success",
            )
        else:
            report = None
    return _page(form, report)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    """A file over the limit: the upload page again, saying so (status 413)."""
    form = UploadForm(formdata=None)
    form.file.errors = [
        _("The file is larger than %(max)s MB.", max=megabytes(upload_limit()))
    ]
    if not can_import_data(current_user):
        return render_template(
            "errors/error.html", code=413, title=_("The request is too large"),
            message=_("The data sent is larger than this site accepts."), back=None,
        ), 413
    return _page(form, status=413)


def _download(name: str, **filters: str) -> str | None:
    """The open-data CSV download of a dataset, when the open-data package is installed."""
    if "opendata.download" not in current_app.view_functions:
        return None
    return url_for("opendata.download", name=name, fmt="csv", **filters)


@bp.get("/air-quality")
def dashboard():
    """The public dashboard: latest PM2.5 per station, the daily series of the last 365 days
    of data (the province mean, or one station with ?station=<code>), hotspots per month and
    per district, the KPIs and the latest imports."""
    latest = queries.stations_with_latest()
    code = request.args.get("station", "").strip()
    station = next((item.station for item in latest if item.station.code == code), None)
    unknown = code[:40] if code and station is None else None
    air = queries.air_window(latest, station)
    hotspots = queries.hotspot_window()
    readings_filters = {"station": station.code} if station else {}
    if air.first and air.last:
        readings_filters.update({"from": air.first.isoformat(), "to": air.last.isoformat()})
    hotspot_filters = {}
    if hotspots.first and hotspots.last:
        hotspot_filters = {"from": hotspots.first.isoformat(), "to": hotspots.last.isoformat()}
    return render_template(
        "environment/dashboard.html",
        latest=latest,
        station=station,
        unknown_station=unknown,
        air=air,
        pm25_chart=queries.pm25_chart(air, station, _download("pm25-readings",
                                                              **readings_filters)),
        hotspots=hotspots,
        hotspots_chart=queries.hotspots_chart(hotspots, _download("hotspots",
                                                                  **hotspot_filters)),
        readings_url=_download("pm25-readings"),
        kpis=all_kpis(),
        imports=queries.recent_imports(queries.DASHBOARD_IMPORTS),
        may_import=can_import_data(current_user),
        open_data="opendata.index" in current_app.view_functions,
    ), 404 if unknown else 200
