"""The open data of meaningful participation: roll-calls with deputies and secret ballots,
tallies by sector, official answers, volunteer tasks, reviews, assessments, milestone weights
and signed log checkpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.accountability.signing import signature_matches, statement_bytes
from participation.accounts.models import Sector
from participation.comments.models import Comment, Stance
from participation.extensions import db
from participation.opendata.datasets import DATASETS, KEY_CODES, SECTOR_CODES
from participation.proposals.models import Support
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from participation.votes.models import VoteChoice
from tests.opendata.scene import NOW, build
from tests.opendata.test_downloads import csv_rows
from tests.querycount import count_queries, forget_loaded_rows


def rows(client, name: str, **filters: object) -> list[dict]:
    response = client.get(f"/open-data/{name}.json", query_string=filters)
    assert response.status_code == 200
    return response.get_json()


def by_id(client, name: str, key: str = "id") -> dict[int, dict]:
    return {row[key]: row for row in rows(client, name)}


def test_votes_show_the_seat_sector_the_reason_and_who_actually_voted(client, make):
    scene = build(make)
    votes = [v for v in rows(client, "votes") if v["ballot_id"] == scene.closed_ballot_id]

    assert [(v["seat_sector"], v["choice"]) for v in votes] == [
        ("government", "yes"), ("civil_society", "yes"), ("private_sector", "no"),
    ]
    assert votes[0]["reason"] == "ช่วยลดฝุ่น"
    by_deputy = votes[2]
    assert by_deputy["voter_id"] == scene.deputy_id
    assert by_deputy["member_name"] == "ผู้แทน ภาคเอกชน"


def test_a_secret_ballot_publishes_who_voted_but_not_how_or_why(client, make):
    scene = build(make)
    secret = [v for v in rows(client, "votes") if v["ballot_id"] == scene.secret_ballot_id]
    as_csv = [v for v in csv_rows(client.get("/open-data/votes.csv"))
              if v["ballot_id"] == str(scene.secret_ballot_id)]

    assert len(secret) == len(as_csv) == 2
    assert all(v["member_name"] and v["seat_sector"] for v in secret)
    assert {(v["choice"], v["reason"]) for v in secret} == {(None, None)}
    assert {(v["choice"], v["reason"]) for v in as_csv} == {("", "")}


def test_votes_on_an_open_ballot_are_never_published(client, make):
    scene = build(make)

    assert scene.open_ballot_id not in {v["ballot_id"] for v in rows(client, "votes")}
    assert rows(client, "votes", ballot=scene.open_ballot_id) == []


def test_ballots_and_decisions_carry_their_options_blocks_and_sector_tallies(client, make):
    scene = build(make)
    ballots = by_id(client, "ballots")
    decisions = by_id(client, "decisions")
    (row,) = [b for b in csv_rows(client.get("/open-data/ballots.csv"))
              if b["id"] == str(scene.secret_ballot_id)]

    secret = ballots[scene.secret_ballot_id]
    assert (secret["kind"], secret["reasons"], secret["secret"], secret["hide_results"]) == (
        "consent", "optional", True, False)
    assert secret["sector_quorum"] == {"civil_society": 1}
    assert row["sector_quorum"] == '{"civil_society":1}'
    assert ballots[scene.closed_ballot_id]["sector_quorum"] == {}
    assert decisions[scene.secret_decision_id]["block_count"] == 1
    assert decisions[scene.secret_decision_id]["tally_by_sector"] == {
        "government": {"yes": 1}, "civil_society": {"block": 1}, "private_sector": {},
        "academia": {}, "citizen": {},
    }


def test_sector_tallies_count_supports_stances_and_votes_by_sector(client, make):
    scene = build(make)
    tallies = {
        (t["subject_type"], t["subject_id"], t["measure"], t["sector"], t["key"]): t["count"]
        for t in rows(client, "sector-tallies")
    }

    # The deleted comment's stance, the draft's comment and support do not count.
    assert tallies == {
        ("proposal", scene.proposal_id, "support", "government", "support"): 1,
        ("proposal", scene.proposal_id, "support", "citizen", "support"): 1,
        ("proposal", scene.proposal_id, "stance", "citizen", "for"): 1,
        ("proposal", scene.proposal_id, "stance", "civil_society", "against"): 1,
        ("decision", scene.decision_id, "vote", "government", "yes"): 1,
        ("decision", scene.decision_id, "vote", "civil_society", "yes"): 1,
        ("decision", scene.decision_id, "vote", "private_sector", "no"): 1,
        ("decision", scene.secret_decision_id, "vote", "government", "yes"): 1,
        ("decision", scene.secret_decision_id, "vote", "civil_society", "block"): 1,
    }


def test_sector_tallies_group_many_people_into_one_count(client, make):
    scene = build(make)
    for _ in range(3):
        person = make.user(sector=Sector.ACADEMIA)
        db.session.add_all([
            Support(proposal_id=scene.proposal_id, user_id=person.id),
            Comment(proposal_id=scene.proposal_id, author_id=person.id, body="Data says so",
                    stance=Stance.FOR),
        ])
    db.session.flush()

    of_proposal = rows(client, "sector-tallies", subject_type="proposal",
                       subject_id=scene.proposal_id)
    supports = rows(client, "sector-tallies", measure="support")

    assert [(t["sector"], t["key"], t["count"]) for t in of_proposal] == [
        ("government", "support", 1), ("academia", "support", 3), ("citizen", "support", 1),
        ("academia", "for", 3), ("citizen", "for", 1), ("civil_society", "against", 1),
    ]
    assert supports == of_proposal[:3]
    of_decision = rows(client, "sector-tallies", subject_type="decision",
                       subject_id=scene.decision_id)
    assert {(t["subject_type"], t["subject_id"], t["measure"]) for t in of_decision} == {
        ("decision", scene.decision_id, "vote")}
    assert client.get("/open-data/sector-tallies.json?measure=likes").status_code == 400


def test_sector_tally_ids_are_stable_and_say_what_they_count(client, make):
    scene = build(make)
    first = rows(client, "sector-tallies")
    make.proposal()
    again = rows(client, "sector-tallies")

    assert first == again
    assert len({t["id"] for t in first}) == len(first)
    for tally in first:
        assert tally["id"] == (tally["subject_id"] * 100 + KEY_CODES[tally["key"]] * 10
                               + SECTOR_CODES[tally["sector"]])
    assert {t["id"] for t in first if t["subject_id"] == scene.decision_id} >= {
        scene.decision_id * 100 + 40}


def test_every_sector_stance_and_choice_has_a_tally_code():
    assert set(SECTOR_CODES) == {sector.value for sector in Sector}
    assert set(KEY_CODES) == {"support", *(s.value for s in Stance),
                              *(c.value for c in VoteChoice)}
    assert len(set(KEY_CODES.values())) == len(KEY_CODES) and max(KEY_CODES.values()) < 10
    assert len(set(SECTOR_CODES.values())) == len(SECTOR_CODES)
    assert max(SECTOR_CODES.values()) < 10


def test_proposals_show_their_agency_deadline_answer_and_tally_by_sector(client, make):
    scene = build(make)
    proposals = by_id(client, "proposals")

    answered = proposals[scene.proposal_id]
    assert answered["agency_id"] is not None
    assert answered["answer_due_on"] == "2026-03-31"
    assert (answered["answer_state"], answered["answered_on"]) == ("accepted", "2026-03-01")
    assert answered["tally_by_sector"] == {
        "government": {"support": 1}, "civil_society": {"against": 1},
        "private_sector": {}, "academia": {}, "citizen": {"support": 1, "for": 1},
    }
    assert list(answered["tally_by_sector"]["citizen"]) == ["support", "for"]
    decided = by_id(client, "decisions")[scene.secret_decision_id]["proposal_id"]
    unanswered = proposals[decided]
    assert unanswered["answer_state"] is None and unanswered["agency_id"] is None
    assert unanswered["tally_by_sector"] == {sector.value: {} for sector in Sector}


def test_answers_say_who_answered_and_whether_on_time(client, make):
    scene = build(make)
    answers = by_id(client, "answers", key="proposal_id")

    on_time, late = answers[scene.proposal_id], answers[scene.late_proposal_id]
    assert (on_time["state"], on_time["on_time"], on_time["body"]) == (
        "accepted", True, "รับไว้พิจารณา")
    assert on_time["organisation_id"] == answers[scene.late_proposal_id]["referred_to_id"]
    assert (late["state"], late["due_on"], late["answered_on"], late["on_time"]) == (
        "referred", "2026-02-01", "2026-03-01", False)
    assert late["organisation_id"] is None  # answered by the secretariat
    assert [a["proposal_id"] for a in rows(client, "answers", state="referred")] == [
        scene.late_proposal_id]
    assert {row["on_time"] for row in csv_rows(client.get("/open-data/answers.csv"))} == {
        "true", "false"}


def test_volunteer_tasks_count_places_without_naming_anyone(client, make):
    scene = build(make)
    (task,) = rows(client, "volunteer-tasks")

    assert task["id"] == scene.task_id
    # One signed up, one waiting; the one who withdrew is not counted.
    assert (task["capacity"], task["confirmed_count"], task["waiting_count"]) == (1, 1, 1)
    assert set(task) == {"id", "commitment_id", "title", "description", "place", "starts_at",
                         "ends_at", "capacity", "confirmed_count", "waiting_count",
                         "created_at"}
    assert rows(client, "volunteer-tasks", commitment=scene.commitment_id + 1) == []


def test_progress_reviews_name_the_reviewer_and_carry_the_agency_answer(client, make):
    scene = build(make)
    confirm, dispute = rows(client, "progress-reviews", commitment=scene.commitment_id)

    assert (confirm["kind"], confirm["reviewer_name"], confirm["answer_due_on"]) == (
        "confirm", "Commenter One", None)
    assert dispute["kind"] == "dispute"
    assert dispute["evidence_url"] == "https://example.org/photo.jpg"
    assert (dispute["answer_due_on"], dispute["answer"]) == ("2026-03-15",
                                                            "We told them on radio")
    assert dispute["answered_at"] == "2026-03-01T03:00:00Z"
    assert rows(client, "progress-reviews", kind="dispute") == [dispute]


def test_assessments_publish_both_views_side_by_side(client, make):
    scene = build(make)
    assessments = rows(client, "assessments", commitment=scene.commitment_id)

    assert [(a["kind"], a["completion"], a["opened_government"]) for a in assessments] == [
        ("self", "limited", "major"), ("independent", "limited", "marginal")]
    assert assessments[0]["organisation_id"] is not None
    assert assessments[1]["explanation"] == "Too slow"


def test_milestones_carry_their_weights(client, make):
    scene = build(make)
    milestones = rows(client, "milestones", commitment=scene.commitment_id)
    as_csv = csv_rows(client.get("/open-data/milestones.csv"))

    assert [(m["title"], m["weight"], m["completion"]) for m in milestones] == [
        ("Criteria", 0.25, "complete"), ("Awards", 0.75, "not_started")]
    assert [m["weight"] for m in as_csv] == ["0.25", "0.75"]


def test_a_downloaded_checkpoint_verifies_with_the_published_public_key(client, make):
    scene = build(make)
    (checkpoint,) = rows(client, "log-checkpoints")
    statement = statement_bytes(entries=checkpoint["entry_count"],
                                head=checkpoint["head_hash"], time=checkpoint["created_at"])

    assert checkpoint["public_key"] == scene.checkpoint_key
    assert signature_matches(public_key=checkpoint["public_key"],
                             signature=checkpoint["signature"], statement=statement)
    assert not signature_matches(public_key=checkpoint["public_key"],
                                 signature=checkpoint["signature"],
                                 statement=statement.replace(b'"entries":2', b'"entries":1'))


NEW_DATASETS = ["sector-tallies", "answers", "milestones", "progress-reviews", "assessments",
                "volunteer-tasks", "log-checkpoints", "proposals", "votes", "decisions"]


@pytest.mark.parametrize("name", NEW_DATASETS)
def test_a_download_runs_one_query_whatever_its_size(client, make, name):
    scene = build(make)

    def queries_for(url: str) -> int:
        forget_loaded_rows()
        with count_queries() as queries:
            response = client.get(url)
            assert response.status_code == 200 and response.data  # streamed: read it all
        return len(queries)

    small = queries_for(f"/open-data/{name}.csv")
    for n in range(5):
        person = make.user(sector=Sector.CIVIL_SOCIETY)
        db.session.add_all([
            Support(proposal_id=scene.proposal_id, user_id=person.id),
            Comment(proposal_id=scene.proposal_id, author_id=person.id, body="Yes",
                    stance=Stance.FOR),
            VolunteerTask(commitment_id=scene.commitment_id, title=f"Task {n}", place="Wat",
                          starts_at=NOW + timedelta(days=n), ends_at=NOW + timedelta(days=n + 1),
                          capacity=2, created_by_id=person.id),
            Signup(task_id=scene.task_id, user_id=person.id, status=SignupStatus.WAITING,
                   queued_at=NOW + timedelta(hours=n)),
        ])
    db.session.flush()
    big = queries_for(f"/open-data/{name}.csv")

    assert small == big == 1


def test_every_new_dataset_is_listed_with_its_rows(client, make):
    build(make)
    text = client.get("/open-data").text

    for name in NEW_DATASETS:
        assert f'id="dataset-{name}"' in text
        assert str(DATASETS[name].title) in text
    tasks_row = text.split('id="dataset-volunteer-tasks"')[1].split("</tr>")[0]
    assert 'class="number">1</td>' in tasks_row
