"""The KPI pages: list, detail with chart and status rule, the forms, permissions and query
counts; commitment pages show their KPIs."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.commitments.models import Commitment
from participation.core.models import utcnow
from participation.extensions import db
from participation.groups.models import Seat, SeatRole
from participation.kpis import services
from participation.kpis.models import Kpi, Measurement, Rule
from tests.kpis.scene import Group, day_readings, district, station
from tests.querycount import page_queries
from tests.rows import count_rows


@pytest.fixture
def scene(make, db):
    made = Group(make)
    db.session.commit()
    return made


def record(scene, kpi, day, value):
    services.record_measurement(
        kpi=kpi, actor=scene.secretary, period_start=day, value=value, source="Survey",
        evidence_url="https://example.org/survey", now=utcnow(),
    )


def kpi_form(scene, **overrides):
    data = {
        "name_th": "จุดความร้อนต่อเดือน", "name_en": "Hotspots per month",
        "description": "From **FIRMS**.", "unit_th": "จุด", "unit_en": "hotspots",
        "direction": "lower", "baseline_value": "120", "baseline_start": "2024-01-01",
        "baseline_end": "2024-12-31", "target_value": "40", "target_date": "2027-12-31",
        "rule": "manual", "station": "0", "district": "0",
        "owners": [str(scene.owner.id), str(scene.other.id)],
        "commitments": [str(scene.commitment.id)],
    }
    data.update(overrides)
    return data


def test_the_list_shows_every_kpi_with_value_target_status_and_group(client, scene):
    first = scene.kpi()
    record(scene, first, date(2025, 6, 1), 12.5)
    scene.kpi(name_en="Hotspots", rule=Rule.HOTSPOTS_PER_MONTH, unit_en="hotspots")
    db.session.commit()
    page = client.get("/kpis?lang=en")
    assert page.status_code == 200
    text = page.text
    assert "Days above the PM2.5 standard" in text and "Hotspots" in text
    assert "12.5" in text
    assert "On track" in text or "At risk" in text or "Off track" in text
    assert "No data yet" in text                      # the hotspot KPI has no value
    assert scene.group.name_en in text
    assert 'role="table"' in text and 'data-label="Status"' in text


def test_the_list_runs_a_fixed_number_of_queries(client, scene, make):
    counts = []
    # The page forgets every loaded row: each round adds KPIs to a group made for it.
    for kpis in (1, 5):
        group = scene if not counts else Group(make)
        for n in range(kpis):
            kpi = group.kpi(name_th=f"ตัวชี้วัด {n}")
            record(group, kpi, date(2025, 1, 1), 10.0)
            record(group, kpi, date(2025, 2, 1), 11.0)
        db.session.commit()
        counts.append(page_queries(client, "/kpis")[0])
    assert counts[0] == counts[1], counts
    assert counts[1] <= 4


def test_the_detail_page_shows_definition_status_rule_chart_and_measurements(client, scene):
    kpi = scene.kpi()
    record(scene, kpi, date(2025, 6, 1), 17.0)
    db.session.commit()
    commitment_id, secretary = scene.commitment.id, scene.secretary.display_name
    count, text = page_queries(client, f"/kpis/{kpi.id}?lang=en")
    assert "Days above the PM2.5 standard" in text
    assert "<strong>month</strong>" in text
    assert "Provincial Natural Resources Office" in text
    assert f'href="/commitments/{commitment_id}"' in text
    assert "How the status is decided" in text and "At risk:" in text
    assert '<svg' in text and 'role="img"' in text
    assert "17 days" in text                          # the value with its unit
    assert 'href="https://example.org/survey"' in text
    assert secretary in text
    assert "Record a value" not in text               # a visitor sees no form
    assert count <= 8


def test_a_derived_kpi_page_says_where_values_come_from(client, scene, login):
    here = station("37t")
    day_readings(here, date(2025, 1, 10), [60.0] * 24)
    kpi = scene.kpi(rule=Rule.PM25_MONTHLY_MEAN, station=here)
    db.session.commit()
    login(scene.secretary)
    text = client.get(f"/kpis/{kpi.id}?lang=en").text
    assert "Station: 37t" in text
    assert "Derived from data" in text and "January 2025" in text
    assert "Record a value" not in text


def test_missing_kpi_is_404(client):
    assert client.get("/kpis/999999").status_code == 404
    assert client.get("/kpis/99999999999").status_code == 404


# Recording a value


def test_an_owner_agency_contact_records_a_value(client, scene, login):
    kpi = scene.kpi()
    db.session.commit()
    login(scene.contact)
    assert "Record a value" in client.get(f"/kpis/{kpi.id}?lang=en").text
    response = client.post(f"/kpis/{kpi.id}/measurements", data={
        "period_start": "2025-05-31", "value": "1,250.5", "source": "Report",
        "evidence_url": "https://example.org/r.pdf",
    })
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Measurement.value)).all() == [1250.5]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "lots"}, "Enter a number."),
        ({"value": "nan"}, "Enter a number."),
        ({"value": "1e400"}, "Enter a number."),
        ({"period_start": "31/05/2025"}, "Not a valid date value."),
        ({"evidence_url": "javascript:alert(1)"}, "http://"),
        ({"source": ""}, "Say where the value comes from."),
    ],
)
def test_bad_values_are_form_errors(client, scene, login, data, message):
    kpi = scene.kpi()
    db.session.commit()
    login(scene.secretary)
    payload = {"period_start": "2025-05-31", "value": "14", "source": "Report",
               "evidence_url": "https://example.org/r.pdf", **data}
    response = client.post(f"/kpis/{kpi.id}/measurements?lang=en", data=payload)
    assert response.status_code == 200
    assert message in response.text
    assert count_rows(Measurement) == 0


def test_a_duplicate_period_is_a_form_error(client, scene, login):
    kpi = scene.kpi()
    record(scene, kpi, date(2025, 5, 31), 10.0)
    db.session.commit()
    login(scene.secretary)
    response = client.post(f"/kpis/{kpi.id}/measurements?lang=en", data={
        "period_start": "2025-05-31", "value": "11", "source": "Report",
        "evidence_url": "https://example.org/r.pdf",
    })
    assert response.status_code == 200
    assert "already recorded" in response.text
    assert count_rows(Measurement) == 1


@pytest.mark.parametrize("who", ["member", "other_contact"])
def test_others_may_not_record_values(client, scene, login, who):
    kpi = scene.kpi()
    db.session.commit()
    login(getattr(scene, who))
    response = client.post(f"/kpis/{kpi.id}/measurements", data={
        "period_start": "2025-05-31", "value": "11", "source": "Report",
        "evidence_url": "https://example.org/r.pdf",
    })
    assert response.status_code == 403
    assert count_rows(Measurement) == 0


def test_a_derived_kpi_takes_no_value_by_hand(client, scene, login):
    kpi = scene.kpi(rule=Rule.HOTSPOTS_PER_MONTH)
    db.session.commit()
    login(scene.secretary)
    response = client.post(f"/kpis/{kpi.id}/measurements", data={
        "period_start": "2025-05-31", "value": "11", "source": "Report",
        "evidence_url": "https://example.org/r.pdf",
    })
    assert response.status_code == 302
    assert count_rows(Measurement) == 0


# Defining and editing


def test_the_secretary_defines_a_kpi(client, scene, login):
    login(scene.secretary)
    form = client.get(f"/kpis/new?group={scene.group.id}&lang=en")
    assert form.status_code == 200
    assert "Daily dust forecasts" in form.text          # the group's commitment is offered
    assert "Elsewhere" not in form.text                 # another group's is not
    response = client.post(f"/kpis/new?group={scene.group.id}", data=kpi_form(scene))
    assert response.status_code == 302
    kpi = db.session.scalars(sa.select(Kpi)).one()
    assert kpi.name_en == "Hotspots per month"
    assert {o.id for o in kpi.owners} == {scene.owner.id, scene.other.id}
    assert [c.id for c in kpi.commitments] == [scene.commitment.id]
    assert response.headers["Location"].endswith(f"/kpis/{kpi.id}")


def test_a_derived_kpi_defined_on_the_form_gets_its_values(client, scene, login):
    mae_moh = district()
    db.session.commit()
    login(scene.chair)
    response = client.post(f"/kpis/new?group={scene.group.id}", data=kpi_form(
        scene, rule="hotspots_per_month", district=str(mae_moh.id)))
    assert response.status_code == 302
    kpi = db.session.scalars(sa.select(Kpi)).one()
    assert kpi.district_id == mae_moh.id and kpi.rule is Rule.HOTSPOTS_PER_MONTH


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_th": " "}, "Enter the Thai name."),
        ({"unit_th": ""}, "Enter the unit in Thai."),
        ({"baseline_value": "abc"}, "Enter a number."),
        ({"baseline_end": "2023-01-01"}, "The baseline period cannot end before it starts."),
        ({"target_date": "2024-06-01"}, "The target date must come after"),
        ({"direction": "sideways"}, "Not a valid choice"),
        ({"rule": "magic"}, "Not a valid choice"),
        ({"station": "x"}, 'class="error"'),
        ({"owners": ["abc"]}, "Invalid choice"),
        ({"commitments": ["999999"]}, "not a valid choice"),
        ({"target_date": "2027-02-30"}, "Not a valid date value."),
    ],
)
def test_bad_kpi_input_is_a_form_error(client, scene, login, overrides, message):
    login(scene.secretary)
    response = client.post(f"/kpis/new?group={scene.group.id}&lang=en",
                           data=kpi_form(scene, **overrides))
    assert response.status_code == 200
    assert message in response.text
    assert count_rows(Kpi) == 0


def test_a_commitment_of_another_group_cannot_be_linked(client, scene, login):
    login(scene.secretary)
    response = client.post(f"/kpis/new?group={scene.group.id}&lang=en", data=kpi_form(
        scene, commitments=[str(scene.foreign_commitment.id)]))
    assert response.status_code == 200
    assert count_rows(Kpi) == 0


@pytest.mark.parametrize("who", ["member", "contact"])
def test_only_managers_define_and_edit_kpis(client, scene, login, who):
    kpi = scene.kpi()
    db.session.commit()
    login(getattr(scene, who))
    assert client.get(f"/kpis/new?group={scene.group.id}").status_code == 403
    assert client.post(f"/kpis/new?group={scene.group.id}",
                       data=kpi_form(scene)).status_code == 403
    assert client.get(f"/kpis/{kpi.id}/edit").status_code == 403
    assert count_rows(Kpi) == 1


def test_a_visitor_is_sent_to_log_in(client, scene):
    response = client.get(f"/kpis/new?group={scene.group.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_new_without_a_known_group_is_404(client, scene, login):
    login(scene.secretary)
    assert client.get("/kpis/new").status_code == 404
    assert client.get("/kpis/new?group=abc").status_code == 404
    assert client.get("/kpis/new?group=999999").status_code == 404


def test_editing_shows_the_current_definition_and_saves_changes(client, scene, login):
    kpi = scene.kpi()
    db.session.commit()
    login(scene.secretary)
    form = client.get(f"/kpis/{kpi.id}/edit?lang=en").text
    assert 'value="Days above the PM2.5 standard"' in form
    assert f'<option selected value="{scene.owner.id}">' in form
    response = client.post(f"/kpis/{kpi.id}/edit", data=kpi_form(scene, name_en="Smoky days"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Kpi, kpi.id).name_en == "Smoky days"


def test_the_list_offers_managers_a_link_to_define_a_kpi(client, scene, login):
    assert "Define a KPI" not in client.get("/kpis?lang=en").text
    login(scene.chair)
    assert f"/kpis/new?group={scene.group.id}" in client.get("/kpis?lang=en").text


# Commitment pages


def reloaded(commitment_id: int) -> dict:
    """What Group.kpi needs, loaded again after a page forgot every row."""
    commitment = db.session.get(Commitment, commitment_id)
    secretary = db.session.scalars(
        sa.select(User).join(Seat, Seat.holder_id == User.id)
        .where(Seat.group_id == commitment.group_id, Seat.role == SeatRole.SECRETARY)
    ).one()
    return {"group": commitment.group, "secretary": secretary, "commitment": commitment,
            "owner": commitment.lead_organisation}


def test_a_commitment_page_lists_its_kpis_with_status_in_fixed_queries(client, scene):
    commitment_id = scene.commitment.id
    without = page_queries(client, f"/commitments/{commitment_id}?lang=en")[0]
    scene = Group.__new__(Group)
    scene.__dict__.update(reloaded(commitment_id))
    kpi = scene.kpi()
    record(scene, kpi, date(2025, 6, 1), 4.0)
    for n in range(3):
        scene.kpi(name_en=f"Linked {n}")
    scene.kpi(name_en="Not linked", commitments=[])
    db.session.commit()
    kpi_id = kpi.id
    count, text = page_queries(client, f"/commitments/{commitment_id}?lang=en")
    assert f'href="/kpis/{kpi_id}"' in text
    assert "Days above the PM2.5 standard" in text and "Linked 2" in text
    assert "Not linked" not in text
    assert "On track" in text
    assert count <= without + 2


def test_the_detail_page_runs_a_fixed_number_of_queries(client, scene):
    kpi = scene.kpi()
    record(scene, kpi, date(2025, 1, 1), 18.0)
    db.session.commit()
    kpi_id = kpi.id
    few = page_queries(client, f"/kpis/{kpi_id}")[0]
    scene = Group.__new__(Group)
    scene.__dict__.update(reloaded(db.session.get(Kpi, kpi_id).commitments[0].id))
    kpi = db.session.get(Kpi, kpi_id)
    for month in range(2, 13):
        record(scene, kpi, date(2025, month, 1), 18.0 - month)
    db.session.commit()
    assert page_queries(client, f"/kpis/{kpi_id}")[0] == few
