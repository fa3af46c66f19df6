"""The minutes' steps in the public accountability log: translated verbs, short summaries and
the meeting they are about."""

from __future__ import annotations

from participation.core.models import utcnow
from participation.minutes import services


def test_every_step_of_the_minutes_reads_well_in_the_log(scene, client, db):
    now = utcnow()
    services.edit_minutes(meeting=scene.meeting, actor=scene.secretary,
                          minutes={scene.report.id: "Hotspots fell."},
                          minutes_taker=scene.secretary, now=now)
    services.publish_minutes(meeting=scene.meeting, actor=scene.secretary, now=now)
    services.approve_minutes(meeting=scene.meeting, actor=scene.secretary,
                             at_meeting=scene.later, now=now)
    services.record_correction(meeting=scene.meeting, item=scene.budget, actor=scene.chair,
                               text="The budget was **spent**.", now=now)
    db.session.commit()

    page = client.get(f"/log?subject_type=meeting&subject_id={scene.meeting.id}&lang=en").text

    for phrase in (
        "Meeting minutes edited", "item 2.1", f"minutes taker: person #{scene.secretary.id}",
        "Meeting minutes published", "1 agenda item with minutes",
        "Meeting minutes approved at a later meeting", f"approved at meeting #{scene.later.id}",
        "Correction of approved meeting minutes", "item 2.2",
    ):
        assert phrase in page, phrase
    assert scene.meeting.title in page
    assert f'href="/meetings/{scene.meeting.id}"' in page


def test_the_log_filters_offer_the_minutes_verbs_and_meetings(client):
    page = client.get("/log?lang=en").text
    assert 'value="minutes.corrected"' in page
    assert 'value="meeting"' in page
