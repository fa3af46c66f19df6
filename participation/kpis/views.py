"""Joint KPIs: the list with status, one KPI with its trend, defining and editing a KPI,
recording a value by hand."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from participation.accounts.models import Organisation
from participation.commitments.models import Commitment
from participation.core.charts import month_label, with_unit
from participation.core.errors import valid_id
from participation.core.models import utcnow
from participation.core.views import me, require, unit_of_work
from participation.environment.models import District, Station
from participation.extensions import db
from participation.groups.models import WorkingGroup
from participation.kpis import queries, services
from participation.kpis.forms import KpiForm, MeasurementForm
from participation.kpis.models import Kpi, Rule
from participation.kpis.permissions import can_manage_kpis, can_record_measurement
from participation.kpis.status import STATUS_RULE, kpi_status

bp = Blueprint("kpis", __name__)

ALL = 0  # the select value for "every station" / "the whole province"


@bp.app_template_global()
def kpi_value(value: float, unit: str = "") -> str:
    """A KPI value in the reader's locale (at most 2 decimals), with its unit if given."""
    return with_unit(value, unit)


@bp.app_template_global()
def month_name(day: date) -> str:
    """'มกราคม 2568' / 'January 2025': the month a derived value covers."""
    return month_label(day, wide=True, year=True)


@bp.get("/kpis")
def index():
    return render_template(
        "kpis/index.html",
        summaries=queries.all_kpis(),
        groups=queries.managed_groups(current_user),
    )


def render_detail(kpi: Kpi, measurement_form: MeasurementForm | None = None):
    measurements = list(kpi.measurements)
    report = kpi_status(kpi, measurements, queries.today())
    may_record = not kpi.rule.derived and can_record_measurement(current_user, kpi)
    if may_record and measurement_form is None:
        measurement_form = MeasurementForm(formdata=None)
        measurement_form.period_start.data = queries.today()
    return render_template(
        "kpis/detail.html",
        kpi=kpi,
        report=report,
        measurements=list(reversed(measurements)),
        chart=queries.trend_chart(kpi, measurements, report),
        status_rule=STATUS_RULE,
        can_manage=can_manage_kpis(current_user, kpi.group_id),
        measurement_form=measurement_form if may_record else None,
    )


@bp.get("/kpis/<int:kpi_id>")
def detail(kpi_id: int):
    kpi = queries.get_kpi(kpi_id)
    if kpi is None:
        abort(404)
    return render_detail(kpi)


def _choices(form: KpiForm, group_id: int) -> None:
    form.station.choices = [(ALL, _("Every station (province mean)")),
                            *queries.station_choices()]
    form.district.choices = [(ALL, _("The whole province")), *queries.district_choices()]
    form.owners.choices = queries.organisation_choices()
    form.commitments.choices = queries.commitment_choices(group_id)


def _definition(form: KpiForm, group_id: int) -> services.KpiDefinition:
    """The definition a valid form states, rows loaded by the ids chosen."""
    owners = db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(form.owners.data or []))
    ).all()
    commitments = db.session.scalars(
        sa.select(Commitment).where(Commitment.id.in_(form.commitments.data or []),
                                    Commitment.group_id == group_id)
    ).all()
    return services.KpiDefinition(
        name_th=form.name_th.data, name_en=form.name_en.data or "",
        description=form.description.data or "", unit_th=form.unit_th.data,
        unit_en=form.unit_en.data or "", direction=form.direction.data,
        baseline_value=form.baseline_value.data, baseline_start=form.baseline_start.data,
        baseline_end=form.baseline_end.data, target_value=form.target_value.data,
        target_date=form.target_date.data, rule=form.rule.data,
        station=db.session.get(Station, form.station.data) if form.station.data else None,
        district=db.session.get(District, form.district.data) if form.district.data else None,
        owners=list(owners), commitments=list(commitments),
    )


@bp.route("/kpis/new", methods=["GET", "POST"])
@login_required
def create():
    group_id = valid_id(request.args.get("group", type=int))
    group = db.session.get(WorkingGroup, group_id) if group_id else None
    if group is None:
        abort(404)
    require(can_manage_kpis(current_user, group.id))
    form = KpiForm()
    _choices(form, group.id)
    if request.method == "GET":
        form.direction.data = "lower"
        form.rule.data = Rule.MANUAL.value
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            kpi = services.create_kpi(group=group, actor=me(),
                                     definition=_definition(form, group.id), now=utcnow())
        if work.ok:
            flash(_("The KPI is defined."))
            return redirect(url_for("kpis.detail", kpi_id=kpi.id))
    return render_template("kpis/form.html", form=form, group=group, kpi=None)


@bp.route("/kpis/<int:kpi_id>/edit", methods=["GET", "POST"])
@login_required
def edit(kpi_id: int):
    kpi = db.get_or_404(Kpi, kpi_id)
    require(can_manage_kpis(current_user, kpi.group_id))
    form = KpiForm(obj=kpi) if request.method == "GET" else KpiForm()
    _choices(form, kpi.group_id)
    if request.method == "GET":
        form.direction.data = kpi.direction.value
        form.rule.data = kpi.rule.value
        form.station.data = kpi.station_id or ALL
        form.district.data = kpi.district_id or ALL
        form.owners.data = [org.id for org in kpi.owners]
        form.commitments.data = [c.id for c in kpi.commitments]
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.edit_kpi(kpi=kpi, actor=me(), definition=_definition(form, kpi.group_id),
                              now=utcnow())
        if work.ok:
            flash(_("The KPI is saved."))
            return redirect(url_for("kpis.detail", kpi_id=kpi.id))
    return render_template("kpis/form.html", form=form, group=kpi.group, kpi=kpi)


@bp.post("/kpis/<int:kpi_id>/measurements")
@login_required
def record_measurement(kpi_id: int):
    kpi = db.get_or_404(Kpi, kpi_id)
    require(can_record_measurement(current_user, kpi))
    if kpi.rule.derived:
        flash(_("The values of this KPI are derived from imported data; they cannot be entered "
                "by hand."), "error")
        return redirect(url_for("kpis.detail", kpi_id=kpi.id))
    form = MeasurementForm()
    if form.validate_on_submit():
        with unit_of_work(form, fallback_field="value") as work:
            services.record_measurement(
                kpi=kpi, actor=me(), period_start=form.period_start.data,
                value=form.value.data, source=form.source.data,
                evidence_url=form.evidence_url.data, now=utcnow(),
            )
        if work.ok:
            flash(_("The value is recorded."))
            return redirect(url_for("kpis.detail", kpi_id=kpi.id, _anchor="measurements"))
    kpi = queries.get_kpi(kpi_id)
    return render_detail(kpi, measurement_form=form)
