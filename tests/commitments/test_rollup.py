"""Milestone completion, weights and the progress roll-up formula; overdue flags."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from participation.commitments import services
from participation.commitments.models import CommitmentStatus, Completion, Milestone
from participation.commitments.tracking import (
    commitment_overdue,
    milestone_overdue,
    roll_up,
    round_half_up,
)
from participation.core.errors import DomainError, NotAllowed
from participation.core.models import utcnow
from participation.extensions import db
from tests.commitments.scene import Scene, bangkok_today, entries, progress
from tests.rows import count_rows


@pytest.fixture
def scene(make) -> Scene:
    return Scene(make)


@pytest.fixture
def context(app):
    with app.test_request_context("/?lang=en"):
        yield


def three_milestones(scene: Scene, **overrides):
    today = bangkok_today()
    arguments = dict(
        milestones=[("Data portal online", today + timedelta(days=10)),
                    ("First monthly report", today + timedelta(days=20)),
                    ("Dashboard launched", today + timedelta(days=30))],
        due_date=today + timedelta(days=100),
    )
    arguments.update(overrides)
    return scene.commit_to(**arguments)


def complete(scene: Scene, milestone: Milestone, level: Completion) -> int:
    return services.set_milestone_completion(milestone=milestone, actor=scene.contact,
                                             completion=level, now=utcnow())


def weigh(scene: Scene, commitment, *weights: str, actor=None):
    chosen = {m.id: Decimal(w) for m, w in zip(commitment.milestones, weights, strict=True)}
    return services.set_weights(commitment=commitment, actor=actor or scene.secretary,
                                weights=chosen, now=utcnow())


# The formula


def test_the_rounding_is_half_up_not_to_even():
    assert [round_half_up(Fraction(n, 2)) for n in (1, 3, 5)] == [1, 2, 3]
    assert round_half_up(Fraction(1, 3)) == 0 and round_half_up(Fraction(2, 3)) == 1


def test_equal_shares_count_each_milestone_in_exact_thirds(scene, context):
    commitment = three_milestones(scene)
    first, second, _third = commitment.milestones
    first.completion, second.completion = Completion.COMPLETE, Completion.SUBSTANTIAL
    rolled = roll_up(commitment.milestones)
    # (1 + 2/3 + 0) / 3 = 5/9 = 55.6%
    assert rolled.equal_shares and rolled.value == Fraction(5, 9) and rolled.percent == 56
    assert rolled.formula() == "Progress = 1/3 × 100% + 1/3 × 67% + 1/3 × 0% = 56%"


def test_set_weights_give_the_formula_the_issue_shows(scene, context):
    commitment = three_milestones(scene)
    weigh(scene, commitment, "0.5", "0.25", "0.25")
    first, second, _third = commitment.milestones
    first.completion, second.completion = Completion.COMPLETE, Completion.SUBSTANTIAL
    rolled = roll_up(commitment.milestones)
    assert not rolled.equal_shares and rolled.percent == 67
    assert rolled.formula() == "Progress = 0.50 × 100% + 0.25 × 67% + 0.25 × 0% = 67%"


def test_an_exact_half_percent_rounds_up(scene, context):
    commitment = three_milestones(scene, milestones=[("Small", date(2027, 1, 1)),
                                                    ("Large", date(2027, 2, 1))])
    weigh(scene, commitment, "0.005", "0.995")
    assert complete(scene, commitment.milestones[0], Completion.COMPLETE) == 1  # 0.5% → 1%
    assert roll_up(commitment.milestones).formula().startswith("Progress = 0.005 × 100%")


def test_no_milestones_no_roll_up(scene):
    assert roll_up(scene.commit_to(milestones=[]).milestones) is None


# Completion of milestones


def test_setting_a_milestone_completion_rolls_the_percent_up_and_is_logged(scene):
    commitment = three_milestones(scene)
    first, second, _third = commitment.milestones
    assert complete(scene, first, Completion.COMPLETE) == 33
    assert complete(scene, second, Completion.LIMITED) == 44  # (1 + 1/3) / 3 = 44.4%
    assert commitment.percent == 44 and second.completion == Completion.LIMITED
    logged = entries("commitment.milestone_updated")
    assert [entry.data for entry in logged] == [
        {"milestone_id": first.id, "completion": "complete", "percent": 33},
        {"milestone_id": second.id, "completion": "limited", "percent": 44},
    ]
    assert all(entry.actor_id == scene.contact.id for entry in logged)


def test_only_those_who_post_progress_update_milestones(scene):
    commitment = three_milestones(scene)
    milestone = commitment.milestones[0]
    for outsider in (scene.member, scene.other_contact, scene.lead_staff):
        with pytest.raises(NotAllowed):
            services.set_milestone_completion(milestone=milestone, actor=outsider,
                                              completion=Completion.COMPLETE, now=utcnow())
    assert milestone.completion == Completion.NOT_STARTED and commitment.percent == 0
    assert services.set_milestone_completion(milestone=milestone, actor=scene.chair,
                                             completion=Completion.COMPLETE, now=utcnow()) == 33


def test_setting_the_same_completion_again_is_refused(scene):
    commitment = three_milestones(scene)
    with pytest.raises(DomainError) as caught:
        complete(scene, commitment.milestones[0], Completion.NOT_STARTED)
    assert caught.value.field == "completion"
    assert entries("commitment.milestone_updated") == []


# Weights


def test_weights_summing_to_one_are_set_rolled_up_and_logged(scene):
    commitment = three_milestones(scene)
    complete(scene, commitment.milestones[0], Completion.COMPLETE)
    assert commitment.percent == 33
    weigh(scene, commitment, "0.6", "0.25", "0.150")
    assert [m.weight for m in commitment.milestones] == [Decimal("0.6"), Decimal("0.25"),
                                                         Decimal("0.15")]
    assert commitment.percent == 60
    [entry] = entries("commitment.weights_set")
    ids = [m.id for m in commitment.milestones]
    assert entry.data == {"weights": {str(ids[0]): "0.600", str(ids[1]): "0.250",
                                      str(ids[2]): "0.150"}}
    assert entry.actor_id == scene.secretary.id


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (("0.3", "0.3", "0.3"), "they add up to 0.9."),
        (("0.5", "0.5", "0.001"), "they add up to 1.001."),
        (("1.2", "-0.1", "-0.1"), "must be a number from 0 to 1"),
        (("0.3333", "0.3333", "0.3334"), "has more than three decimals"),
        (("NaN", "0.5", "0.5"), "must be a number from 0 to 1"),
    ],
)
def test_weights_that_do_not_sum_exactly_to_one_are_refused(scene, context, weights, message):
    commitment = three_milestones(scene)
    with pytest.raises(DomainError, match=message) as caught:
        weigh(scene, commitment, *weights)
    assert caught.value.field == "weights"
    db.session.rollback()
    assert all(m.weight is None for m in commitment.milestones)
    assert entries("commitment.weights_set") == []


def test_thirds_can_be_weighed_to_three_decimals(scene):
    commitment = three_milestones(scene)
    weigh(scene, commitment, "0.333", "0.333", "0.334")
    assert sum(m.weight for m in commitment.milestones) == 1


def test_equal_shares_clear_the_weights(scene):
    commitment = three_milestones(scene)
    weigh(scene, commitment, "0.5", "0.25", "0.25")
    complete(scene, commitment.milestones[0], Completion.COMPLETE)
    assert commitment.percent == 50
    services.set_weights(commitment=commitment, actor=scene.chair, weights=None, now=utcnow())
    assert all(m.weight is None for m in commitment.milestones)
    assert commitment.percent == 33
    assert entries("commitment.weights_set")[-1].data == {"weights": {}}


def test_weights_must_name_exactly_the_commitments_milestones(scene):
    commitment = three_milestones(scene)
    first, second, _third = commitment.milestones
    with pytest.raises(DomainError, match="milestones have changed"):
        services.set_weights(commitment=commitment, actor=scene.secretary,
                             weights={first.id: Decimal("0.5"), second.id: Decimal("0.5")},
                             now=utcnow())


def test_only_the_secretariat_and_chair_weigh_milestones(scene):
    commitment = three_milestones(scene)
    with pytest.raises(NotAllowed):
        weigh(scene, commitment, "0.5", "0.25", "0.25", actor=scene.contact)
    assert all(m.weight is None for m in commitment.milestones)
    assert weigh(scene, commitment, "0.5", "0.25", "0.25", actor=scene.chair)


def test_a_commitment_without_milestones_has_nothing_to_weigh(scene):
    commitment = scene.commit_to(milestones=[])
    with pytest.raises(DomainError, match="no milestones"):
        services.set_weights(commitment=commitment, actor=scene.secretary, weights=None,
                             now=utcnow())


def test_adding_a_milestone_to_a_weighted_commitment_restores_equal_shares(scene):
    commitment = three_milestones(scene)
    weigh(scene, commitment, "0.5", "0.25", "0.25")
    complete(scene, commitment.milestones[0], Completion.COMPLETE)
    assert commitment.percent == 50
    services.add_milestone(commitment=commitment, actor=scene.secretary, title="Evaluation",
                           due_date=bangkok_today() + timedelta(days=60), now=utcnow())
    assert len(commitment.milestones) == 4
    assert all(m.weight is None for m in commitment.milestones)
    assert commitment.percent == 25
    entry = entries("commitment.milestone_added")[-1]
    assert entry.data["weights_cleared"] is True and entry.data["percent"] == 25


# Progress reports and the roll-up


def test_progress_on_a_commitment_with_milestones_records_the_rolled_up_percent(scene):
    commitment = three_milestones(scene)
    complete(scene, commitment.milestones[0], Completion.SUBSTANTIAL)
    update = progress(scene, commitment, percent=90)
    assert update.percent == 22 and commitment.percent == 22  # 2/3 / 3 = 22.2%
    assert entries("progress.posted")[-1].data["percent"] == 22
    assert progress(scene, commitment, percent=None).percent == 22


def test_progress_without_milestones_still_needs_a_percent(scene):
    commitment = scene.commit_to(milestones=[])
    with pytest.raises(DomainError) as caught:
        progress(scene, commitment, percent=None)
    assert caught.value.field == "percent"
    assert progress(scene, commitment, percent=45).percent == 45


# Overdue


@pytest.mark.parametrize(
    ("days", "completion", "overdue"),
    [(-1, Completion.LIMITED, True), (-1, Completion.COMPLETE, False),
     (0, Completion.NOT_STARTED, False), (3, Completion.SUBSTANTIAL, False)],
)
def test_a_milestone_is_overdue_when_past_due_and_not_complete(days, completion, overdue):
    today = date(2026, 11, 26)
    milestone = Milestone(title="x", due_date=today + timedelta(days=days), completion=completion)
    assert milestone_overdue(milestone, today) is overdue


@pytest.mark.parametrize(
    ("days", "status", "overdue"),
    [(-1, CommitmentStatus.ON_TRACK, True), (-1, CommitmentStatus.DELAYED, True),
     (-1, CommitmentStatus.COMPLETED, False), (-1, CommitmentStatus.WITHDRAWN, False),
     (0, CommitmentStatus.DELAYED, False)],
)
def test_a_commitment_is_overdue_when_past_due_and_not_ended(scene, days, status, overdue):
    commitment = scene.commit_to(milestones=[])
    today = commitment.due_date - timedelta(days=days)
    commitment.status = status
    assert commitment_overdue(commitment, today) is overdue


# Pages


def test_commitment_page_explains_the_formula_with_the_actual_numbers(scene, client):
    commitment = three_milestones(scene)
    weigh(scene, commitment, "0.5", "0.25", "0.25")
    complete(scene, commitment.milestones[0], Completion.COMPLETE)
    complete(scene, commitment.milestones[1], Completion.SUBSTANTIAL)
    db.session.commit()
    text = client.get(f"/commitments/{commitment.id}?lang=en").text
    assert "Progress = 0.50 × 100% + 0.25 × 67% + 0.25 × 0% = 67%" in text
    assert "not started 0, limited 1/3, substantial 2/3, complete 1" in text
    assert "rounded half up" in text
    assert "67% complete" in text
    assert "Change the completion" not in text  # a visitor gets no forms


def test_equal_shares_are_said_on_the_page(scene, client):
    commitment = three_milestones(scene)
    text = client.get(f"/commitments/{commitment.id}?lang=en").text
    assert "each of the 3 milestones counts an equal share, 1/3." in text
    assert "Progress = 1/3 × 0% + 1/3 × 0% + 1/3 × 0% = 0%" in text


def test_a_page_without_milestones_says_the_percent_is_reported(scene, client):
    commitment = scene.commit_to(milestones=[])
    text = client.get(f"/commitments/{commitment.id}?lang=en").text
    assert "its percentage is the one given with each progress report" in text


def test_the_lead_agency_sets_a_milestone_completion_from_the_commitment_page(scene, login):
    commitment = three_milestones(scene)
    milestone = commitment.milestones[0]
    client = login(scene.contact)
    page = client.get(f"/commitments/{commitment.id}?lang=en").text
    assert f'action="/milestones/{milestone.id}/completion"' in page
    response = client.post(f"/milestones/{milestone.id}/completion",
                           data={"completion": "complete"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/commitments/{commitment.id}#milestones")
    text = client.get(f"/commitments/{commitment.id}").text
    assert "The milestone is updated. The commitment is now 33% complete." in text
    assert "Progress = 1/3 × 100% + 1/3 × 0% + 1/3 × 0% = 33%" in text


def test_milestone_completion_page_shows_errors_and_refuses_outsiders(scene, login):
    commitment = three_milestones(scene)
    milestone = commitment.milestones[0]
    url = f"/milestones/{milestone.id}/completion"
    assert login(scene.member).post(url, data={"completion": "complete"}).status_code == 403
    client = login(scene.secretary)
    assert client.get(url).status_code == 200
    text = client.post(url, data={"completion": "not_started"}).text
    assert "The milestone is already at this completion level." in text
    text = client.post(url, data={"completion": "finished"}).text
    assert 'class="error"' in text
    assert entries("commitment.milestone_updated") == []
    assert client.get("/milestones/987654/completion").status_code == 404


def test_weights_page_saves_weights_and_refuses_a_wrong_sum(scene, login):
    commitment = three_milestones(scene)
    url = f"/commitments/{commitment.id}/weights"
    assert login(scene.contact).get(url).status_code == 403
    client = login(scene.secretary)
    form = client.get(url + "?lang=en").text
    assert "Weight of “Data portal online”" in form and "weights-2" in form
    text = client.post(url, data={"shares": "set", "weights-0": "0.5", "weights-1": "0.25",
                                  "weights-2": "0.2"}).text
    assert "The weights must add up to exactly 1; they add up to 0.95." in text
    assert 'value="0.2"' in text
    assert count_rows(Milestone, Milestone.weight.is_not(None)) == 0
    text = client.post(url, data={"shares": "set", "weights-0": "0.5", "weights-1": "",
                                  "weights-2": "abc"}).text
    assert "Enter a number from 0 to 1, such as 0.25." in text
    assert "Enter a weight from 0 to 1 for every milestone." in text
    response = client.post(url, data={"shares": "set", "weights-0": "0.5", "weights-1": "0.25",
                                      "weights-2": "0.25"})
    assert response.status_code == 302
    assert [m.weight for m in commitment.milestones] == [Decimal("0.5"), Decimal("0.25"),
                                                         Decimal("0.25")]
    assert 'value="0.250"' in client.get(url).text


def test_weights_typed_before_a_milestone_was_added_are_one_short_and_not_saved(scene, login):
    commitment = three_milestones(scene)
    services.add_milestone(commitment=commitment, actor=scene.secretary, title="Evaluation",
                           due_date=bangkok_today() + timedelta(days=40), now=utcnow())
    db.session.commit()
    client = login(scene.secretary)
    text = client.post(f"/commitments/{commitment.id}/weights?lang=en", data={
        "shares": "set", "weights-0": "0.5", "weights-1": "0.25", "weights-2": "0.25",
    }).text
    assert "Enter a weight from 0 to 1 for every milestone." in text
    assert count_rows(Milestone, Milestone.weight.is_not(None)) == 0


def test_weights_page_returns_to_equal_shares(scene, login):
    commitment = three_milestones(scene)
    weigh(scene, commitment, "0.5", "0.25", "0.25")
    db.session.commit()
    client = login(scene.chair)
    response = client.post(f"/commitments/{commitment.id}/weights",
                           data={"shares": "equal", "weights-0": "junk"})
    assert response.status_code == 302
    assert all(m.weight is None for m in commitment.milestones)
    assert "The milestones now count in equal shares." in client.get(
        f"/commitments/{commitment.id}").text


def test_adding_a_milestone_says_the_weights_were_cleared(scene, login):
    commitment = three_milestones(scene)
    weigh(scene, commitment, "0.5", "0.25", "0.25")
    db.session.commit()
    client = login(scene.secretary)
    url = f"/commitments/{commitment.id}/milestones/new"
    assert "Adding one clears them" in client.get(url).text
    client.post(url, data={"title": "Evaluation", "due_date": "2027-06-01"})
    text = client.get(f"/commitments/{commitment.id}").text
    assert "The weights were cleared: the milestones now count in equal shares" in text


def test_progress_form_does_not_ask_the_percent_of_a_commitment_with_milestones(scene, login):
    commitment = three_milestones(scene)
    complete(scene, commitment.milestones[0], Completion.COMPLETE)
    db.session.commit()
    client = login(scene.contact)
    url = f"/commitments/{commitment.id}/progress/new"
    form = client.get(url + "?lang=en").text
    assert 'name="percent"' not in form
    assert "Percent complete: 33%" in form and "rolled up from their completion" in form
    response = client.post(url, data={
        "reported_on": bangkok_today().isoformat(), "completion": "limited", "percent": "90",
        "status": "on_track", "note": "", "evidence": "", "reason": "",
    })
    assert response.status_code == 302
    assert commitment.percent == 33 and entries("progress.posted")[-1].data["percent"] == 33


def test_overdue_commitment_and_milestones_are_flagged_in_words(scene, client):
    today = bangkok_today()
    commitment = scene.commit_to(
        start_date=today - timedelta(days=90), due_date=today - timedelta(days=3),
        milestones=[("Late one", today - timedelta(days=5)),
                    ("Done one", today - timedelta(days=6)),
                    ("Future one", today + timedelta(days=5))],
    )
    services.set_milestone_completion(milestone=commitment.milestones[0], actor=scene.contact,
                                      completion=Completion.COMPLETE, now=utcnow())
    db.session.commit()
    text = client.get(f"/commitments/{commitment.id}?lang=en").text
    assert "Overdue by 3 days:" in text and "neither completed nor withdrawn" in text
    assert "1 milestone is overdue." in text
    assert "Overdue by 5 days" in text
    listing = client.get("/commitments?lang=en").text
    assert "Overdue" in listing and "1 milestone overdue" in listing


def test_completed_and_future_commitments_are_not_flagged(scene, client):
    today = bangkok_today()
    commitment = three_milestones(scene)
    text = client.get(f"/commitments/{commitment.id}?lang=en").text
    assert "Overdue" not in text and "overdue" not in text.replace("flag-overdue", "")
    commitment.due_date = today - timedelta(days=1)
    commitment.start_date = today - timedelta(days=10)
    commitment.status = CommitmentStatus.COMPLETED
    db.session.commit()
    assert "Overdue by" not in client.get(f"/commitments/{commitment.id}?lang=en").text
    assert "Overdue" not in client.get("/commitments?lang=en").text
