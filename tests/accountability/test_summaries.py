"""The short phrases the log shows for the data of the participation events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from participation.accountability.models import LogEntry
from participation.accountability.services import record
from participation.accountability.views import summarise


def phrases(app, verb: str, data: dict, *, subject_type: str = "proposal",
            language: str = "en") -> list[str]:
    entry = LogEntry(id=1, created_at=datetime(2026, 3, 1, tzinfo=UTC), verb=verb,
                     subject_type=subject_type, subject_id=1, data=data)
    with app.test_request_context(f"/log?lang={language}"):
        return summarise(entry)


def test_an_answer_shows_its_state_agency_dates_and_timeliness(app):
    assert phrases(app, "proposal.answered", {
        "state": "referred", "organisation_id": 4, "due_on": "2026-03-31",
        "answered_on": "2026-03-20", "on_time": True, "referred_to_id": 7,
    }) == [
        "Referred to another agency", "responsible: organisation #4",
        "referred to organisation #7", "answer due March 31, 2026",
        "answered March 20, 2026", "answered on time",
    ]


def test_an_overdue_answer_of_the_secretariat_names_the_secretariat(app):
    assert phrases(app, "proposal.answer_overdue",
                   {"due_on": "2026-03-31", "organisation_id": None}) == [
        "responsible: the secretariat", "answer due March 31, 2026",
    ]


def test_a_late_merged_answer_says_so(app):
    summary = phrases(app, "proposal.answered", {"state": "merged", "merged_into_id": 12,
                                                 "on_time": False})
    assert summary == ["Merged with another proposal", "merged into proposal #12",
                       "answered late"]


def test_a_consent_ballot_shows_its_options_reasons_secrecy_and_sector_quorum(app):
    summary = phrases(app, "ballot.opened", {
        "quorum": 5, "kind": "consent", "reasons": "required", "hide_results": True,
        "secret": False, "sector_quorum": {"private_sector": 1, "civil_society": 1, "academia": 2},
    }, subject_type="ballot")
    assert summary == [
        "quorum 5", "Consent: agree / abstain / disagree / block", "Every vote needs a reason",
        "results hidden until the ballot closes",
        "sector quorum: Civil society 1, Private sector 1, Academia 2",
    ]


def test_blocks_in_a_tally_are_counted(app):
    summary = phrases(app, "ballot.closed", {
        "result": "rejected", "tally": {"yes": 4, "no": 0, "abstain": 1, "block": 1},
    }, subject_type="ballot")
    assert summary == ["Rejected", "yes 4, no 0, abstain 1", "1 block"]
    no_block = phrases(app, "ballot.closed", {"tally": {"yes": 4, "block": 0}},
                       subject_type="ballot")
    assert not any("block" in phrase for phrase in no_block)


def test_deputies_tasks_weights_and_reviews_are_summarised(app):
    assert phrases(app, "seat.deputy_named", {"group_id": 2, "deputy_id": 31},
                   subject_type="seat") == ["deputy: person #31"]
    assert phrases(app, "task.created", {
        "task_id": 3, "capacity": 12, "starts_at": "2026-03-07T01:00:00+00:00",
    }, subject_type="commitment") == ["12 places", "starts March 7, 2026, 08:00"]
    assert phrases(app, "commitment.weights_set",
                   {"weights": {"10": "0.500", "9": "0.250", "11": "0.250"}},
                   subject_type="commitment") == ["weights: #9 0.250, #10 0.500, #11 0.250"]
    assert phrases(app, "progress.disputed", {"update_id": 8, "review_id": 2,
                                              "due_on": "2026-03-15"},
                   subject_type="commitment") == ["answer due March 15, 2026",
                                                  "progress update #8"]
    assert phrases(app, "dispute.answered", {"update_id": 8, "review_id": 2, "on_time": True},
                   subject_type="commitment") == ["answered on time", "progress update #8"]


def test_an_assessment_shows_its_kind_completion_and_the_ogp_scale(app):
    summary = phrases(app, "assessment.recorded", {
        "assessment_id": 1, "kind": "independent", "completion": "substantial",
        "opened_government": "major", "assessed_on": "2026-06-30",
    }, subject_type="commitment")
    assert summary == [
        "Substantial", "Independent assessment by civil society",
        "did it open government? Major", "assessed June 30, 2026",
    ]


def test_a_milestone_update_names_the_milestone_and_the_rolled_up_percent(app):
    summary = phrases(app, "commitment.milestone_updated",
                      {"milestone_id": 5, "completion": "complete", "percent": 40},
                      subject_type="commitment")
    assert summary == ["40% complete", "Complete", "milestone #5"]


@pytest.mark.parametrize("verb, data", [
    ("proposal.answered", {"state": "lost", "organisation_id": "x", "due_on": "soon",
                           "on_time": "yes", "referred_to_id": None}),
    ("ballot.opened", {"kind": 3, "sector_quorum": ["civil_society"], "secret": "no"}),
    ("commitment.weights_set", {"weights": []}),
    ("task.created", {"capacity": "many", "starts_at": "tomorrow"}),
    ("assessment.recorded", {"kind": None, "opened_government": "enormous"}),
])
def test_odd_data_is_shown_as_codes_or_left_out_never_an_error(app, verb, data):
    summary = phrases(app, verb, data)
    assert all(isinstance(phrase, str) for phrase in summary)


def test_a_kind_is_read_by_the_event_that_stored_it(app):
    assert phrases(app, "progress.confirmed", {"kind": "confirm"}) == ["Confirmed"]
    assert phrases(app, "ballot.opened", {"kind": "standard"}) == ["Yes / no / abstain"]
    assert phrases(app, "group.edited", {"kind": "consent"}) == []


def test_organisation_ids_outside_proposals_are_not_called_responsible(app):
    assert phrases(app, "user.agency_contact_set", {"organisation_id": 3},
                   subject_type="user") == []


def test_the_log_page_shows_the_new_phrases_in_thai(client):
    record(actor=None, verb="proposal.answered", subject_type="proposal", subject_id=1,
           data={"state": "accepted", "organisation_id": None, "on_time": True})
    english = client.get("/log?lang=en").text
    assert "Accepted for consideration · responsible: the secretariat · answered on time" \
        in english
    thai = client.get("/log?lang=th").text.split("<tbody", 1)[1]
    assert "accepted" not in thai
