"""Where a notification leads, and the line of detail it shows, whatever its stored data."""

from __future__ import annotations

import flask_babel
import pytest

from participation.notifications.queries import event_detail, subject_title, subject_url


@pytest.mark.parametrize(("subject_type", "url"), [
    ("proposal", "/proposals/7"), ("decision", "/decisions/7"),
    ("commitment", "/commitments/7"), ("kpi", "/kpis/7"), ("group", "/groups/7"),
    ("meeting", "/meetings/7"),
])
def test_each_subject_leads_to_its_page(app, subject_type, url):
    with app.test_request_context():
        assert subject_url(subject_type, 7, {"title": "x"}) == url
        assert subject_url(subject_type, 7, None, _external=True) == f"http://localhost{url}"


def test_a_comment_leads_to_its_place_on_the_proposal_page(app):
    with app.test_request_context():
        assert subject_url("proposal", 3, {"comment_id": 12}) == "/comments/12"
        # Junk in the stored data is ignored rather than put in the address.
        assert subject_url("proposal", 3, {"comment_id": "x\"><"}) == "/proposals/3"


def test_a_title_stored_in_two_languages_is_shown_in_the_readers(app):
    data = {"title": "วันฝุ่นเกินมาตรฐาน", "title_en": "Days above the standard"}
    with app.test_request_context(), flask_babel.force_locale("en"):
        assert subject_title(data) == "Days above the standard"
        assert subject_title({"title": "ห้ามเผา"}) == "ห้ามเผา"
        assert subject_title({"title": 5}) == "" and subject_title(None) == ""
    with app.test_request_context(), flask_babel.force_locale("th"):
        assert subject_title(data) == "วันฝุ่นเกินมาตรฐาน"


@pytest.mark.parametrize(("event", "data", "expected"), [
    ("comment.posted", {"author": "Malee", "excerpt": "Yes."}, "Malee: “Yes.”"),
    ("proposal.state_changed", {"state": "adopted"}, "Now: Adopted"),
    ("decision.recorded", {"result": "no_quorum"}, "Result: No quorum"),
    ("progress.posted", {"percent": 40, "status": "delayed"}, "40% complete, Delayed"),
    ("ballot.opened", {"closes_at": "2026-03-01T10:00:00+00:00"}, "Voting closes "),
    ("meeting.scheduled", {"starts_at": "2026-03-01T10:00:00+00:00"}, "Starts "),
    ("kpi.off_track", {"title": "x"}, ""),
    # Stored data that is missing or odd shows no detail rather than an error.
    ("proposal.state_changed", {"state": "exploded"}, ""),
    ("decision.recorded", {}, ""),
    ("progress.posted", {"percent": "40", "status": "delayed"}, ""),
    ("ballot.opened", {"closes_at": "tomorrow"}, ""),
    ("comment.posted", {"author": None, "excerpt": "Yes."}, ""),
])
def test_the_detail_line_reads_the_stored_data_safely(app, event, data, expected):
    with app.test_request_context(), flask_babel.force_locale("en"):
        detail = event_detail(event, data)
    assert detail.startswith(expected) if expected else detail == ""
