"""Several server processes at the same moment: one vote per seat and one support per person.

Six operating-system processes (started with 'spawn', as separate app servers would be), each
with its own app, engine and connection pool on one committed database, log in, wait on a
barrier, and then post the same form at once through the real views. Every request must end in
the page's normal answer (a success or a translated refusal), never an exception (a 500 on a
real server), and the database must hold exactly the rows the rules allow. Several rounds, each
on new ballots and proposals, give the races several chances to show. Runs on SQLite and on
PostgreSQL (PARTICIPATION_TEST_DATABASE_URL)."""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from participation.accounts.models import User
from participation.extensions import db as _db
from participation.proposals.models import Proposal, ProposalState, Support
from participation.votes.models import Vote, VoteChoice
from tests.conftest import build_app
from tests.factories import Factories

PROCESSES = 6
ROUNDS = 3
TIMEOUT = 120  # seconds; a process that hangs (a deadlock) fails the test instead of the run
# The settings build_app gives the test app that the processes must share (the database
# above all); copied from the parent's app, so a new test setting reaches them too.
SHARED_SETTINGS = ("ENV", "SECRET_KEY", "DATABASE_URL", "WTF_CSRF_ENABLED", "DEFAULT_LOCALE",
                   "SIGNING_KEY_FILE", "RATELIMIT_ENABLED")

VOTE_RECORDED = "Your vote is recorded"
SUPPORT_COUNTED = "Thank you: your support is counted."
ALREADY_SUPPORTED = "You already support this proposal."


@dataclass(frozen=True)
class Step:
    """One request a process makes once all processes have reached the barrier."""

    scenario: str
    round: int
    login_id: str  # what Flask-Login keeps in the session (User.get_id())
    url: str
    data: dict[str, str]


@dataclass
class Outcome:
    scenario: str
    round: int
    status: int | None = None
    location: str = ""
    flashes: tuple[tuple[str, str], ...] = ()
    error: str | None = None  # an exception the view raised: a 500 on a real server


@dataclass
class Contest:
    """The committed world, and what every process saw."""

    app: Flask
    member_ids: list[int]
    citizen_ids: list[int]
    ballots: dict[str, list[int]]  # scenario -> ballot id by round
    proposals: dict[str, list[int]]  # scenario -> proposal id by round
    outcomes: list[list[Outcome]]  # by process, in step order


def serve(settings: dict[str, Any], steps: list[Step], barrier: Any, results: Any,
          index: int) -> None:
    """A process of its own: build the app, then take each step together with the others."""
    outcomes: list[Outcome] = []
    try:
        from participation import create_app

        app = create_app(settings)
        client = app.test_client()
        for step in steps:
            outcome = Outcome(step.scenario, step.round)
            with client.session_transaction() as session:
                session.clear()
                session["_user_id"] = step.login_id
                session["_fresh"] = True
            barrier.wait(TIMEOUT)
            try:
                response = client.post(step.url, data=step.data)
            except Exception:  # noqa: BLE001 - the test client raises what would be a 500
                outcome.error = traceback.format_exc(limit=8)
            else:
                outcome.status = response.status_code
                outcome.location = response.headers.get("Location", "")
                with client.session_transaction() as session:
                    outcome.flashes = tuple(
                        (category, str(message))
                        for category, message in session.get("_flashes", [])
                    )
            outcomes.append(outcome)
        with app.app_context():
            _db.engine.dispose()
    except BaseException:  # noqa: BLE001 - reported to the test, which fails on it
        outcomes.append(Outcome("process", -1, error=traceback.format_exc()))
        barrier.abort()  # release the others instead of leaving them to time out
    results.put((index, outcomes))


def build_contest(app: Flask) -> Contest:
    """Commit a group of six voting members, six citizens, and for every round two open
    ballots and two proposals open for support."""
    make = Factories()
    with app.app_context():
        group = make.group()
        members = [make.member(group) for _ in range(PROCESSES)]
        citizens = [make.user() for _ in range(PROCESSES)]
        ballots: dict[str, list[Any]] = {"one member": [], "every member": []}
        proposals: dict[str, list[Any]] = {"one citizen": [], "every citizen": []}
        for round_ in range(ROUNDS):
            for scenario in ballots:
                considered = make.proposal(group=group, state=ProposalState.UNDER_CONSIDERATION,
                                           title=f"Ballot for {scenario}, round {round_}")
                ballots[scenario].append(make.ballot(considered, quorum=3))
            for scenario in proposals:
                proposals[scenario].append(
                    make.proposal(group=group, title=f"Support of {scenario}, round {round_}")
                )
        _db.session.commit()
        contest = Contest(
            app=app,
            member_ids=[user.id for user in members],
            citizen_ids=[user.id for user in citizens],
            ballots={name: [ballot.id for ballot in rows] for name, rows in ballots.items()},
            proposals={name: [row.id for row in rows] for name, rows in proposals.items()},
            outcomes=[],
        )
        logins = {user.id: user.get_id() for user in members + citizens}
        _db.session.remove()
    contest.outcomes = run_processes(app, plans(contest, logins))
    return contest


def plans(contest: Contest, logins: dict[int, str]) -> list[list[Step]]:
    """The steps of each process: the same scenarios, in the same order, round after round."""
    choices = ("yes", "no")
    result = []
    for index in range(PROCESSES):
        member, citizen = contest.member_ids[index], contest.citizen_ids[index]
        steps = []
        for round_ in range(ROUNDS):
            one = contest.ballots["one member"][round_]
            every = contest.ballots["every member"][round_]
            steps += [
                # The same member votes from every process, a different choice from each half.
                Step("one member", round_, logins[contest.member_ids[0]],
                     f"/ballots/{one}/vote", {"choice": choices[index % 2]}),
                # Every process votes as a different member.
                Step("every member", round_, logins[member], f"/ballots/{every}/vote",
                     {"choice": choices[index % 2]}),
                Step("one citizen", round_, logins[contest.citizen_ids[0]],
                     f"/proposals/{contest.proposals['one citizen'][round_]}/support", {}),
                Step("every citizen", round_, logins[citizen],
                     f"/proposals/{contest.proposals['every citizen'][round_]}/support", {}),
            ]
        result.append(steps)
    return result


def run_processes(app: Flask, plans: list[list[Step]]) -> list[list[Outcome]]:
    settings = {key: app.config[key] for key in SHARED_SETTINGS if key in app.config}
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(plans))
    results = context.Queue()
    processes = [
        context.Process(target=serve, args=(settings, steps, barrier, results, index))
        for index, steps in enumerate(plans)
    ]
    for process in processes:
        process.start()
    outcomes: dict[int, list[Outcome]] = {}
    try:
        for _ in processes:
            index, seen = results.get(timeout=TIMEOUT * 2)
            outcomes[index] = seen
    except queue.Empty:
        pass
    finally:
        for process in processes:
            process.join(TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
    missing = sorted(set(range(len(plans))) - set(outcomes))
    assert not missing, f"processes {missing} never reported (killed after {TIMEOUT * 2} s)"
    return [outcomes[index] for index in range(len(plans))]


@pytest.fixture(scope="module")
def contest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Contest]:
    app, teardown = build_app(Path(tmp_path_factory.mktemp("processes")))
    try:
        yield build_contest(app)
    finally:
        teardown()


@pytest.fixture(autouse=True)
def db() -> Iterator[object]:
    """The processes commit for real on the contest's own database: no rolled-back session
    (this replaces the security package's `db` fixture)."""
    yield _db


def outcomes_of(contest: Contest, scenario: str, round_: int) -> list[Outcome]:
    return [
        outcome
        for seen in contest.outcomes
        for outcome in seen
        if outcome.scenario in (scenario, "process") and outcome.round in (round_, -1)
    ]


def problems(outcomes: list[Outcome]) -> list[str]:
    """Every request that did not end in the page's normal answer: a redirect back with a
    message, no exception, no error message."""
    found = []
    for outcome in outcomes:
        if outcome.error:
            found.append(f"{outcome.scenario} round {outcome.round}: {outcome.error}")
        elif outcome.status != 302 or not outcome.flashes:
            found.append(f"{outcome.scenario} round {outcome.round}: {outcome.status} "
                         f"{outcome.location} {outcome.flashes}")
        elif any(category == "error" for category, _ in outcome.flashes):
            found.append(f"{outcome.scenario} round {outcome.round}: refused {outcome.flashes}")
    return found


def messages(outcomes: list[Outcome]) -> Counter[str]:
    return Counter(message for outcome in outcomes for _category, message in outcome.flashes)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_one_member_voting_from_six_processes_at_once_leaves_exactly_one_vote(contest, round_):
    outcomes = outcomes_of(contest, "one member", round_)
    assert not problems(outcomes), "\n".join(problems(outcomes))
    assert len(outcomes) == PROCESSES
    assert all(message.startswith(VOTE_RECORDED) for message in messages(outcomes))
    ballot_id, member_id = contest.ballots["one member"][round_], contest.member_ids[0]
    with contest.app.app_context():
        votes = _db.session.execute(
            sa.select(Vote.voter_id, Vote.choice).where(Vote.ballot_id == ballot_id)
        ).all()
    assert len(votes) == 1
    assert votes[0].voter_id == member_id
    assert votes[0].choice in (VoteChoice.YES, VoteChoice.NO)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_six_members_voting_from_six_processes_at_once_each_leave_their_one_vote(
    contest, round_
):
    outcomes = outcomes_of(contest, "every member", round_)
    assert not problems(outcomes), "\n".join(problems(outcomes))
    assert len(outcomes) == PROCESSES
    assert all(message.startswith(VOTE_RECORDED) for message in messages(outcomes))
    ballot_id = contest.ballots["every member"][round_]
    with contest.app.app_context():
        voters = _db.session.scalars(
            sa.select(Vote.voter_id).where(Vote.ballot_id == ballot_id)
        ).all()
    assert sorted(voters) == sorted(contest.member_ids)


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_one_citizen_supporting_from_six_processes_at_once_leaves_exactly_one_support(
    contest, round_
):
    outcomes = outcomes_of(contest, "one citizen", round_)
    assert not problems(outcomes), "\n".join(problems(outcomes))
    assert len(outcomes) == PROCESSES
    # One request adds the support; the others are told, in words, that it is already there.
    assert messages(outcomes) == Counter({SUPPORT_COUNTED: 1, ALREADY_SUPPORTED: PROCESSES - 1})
    proposal_id = contest.proposals["one citizen"][round_]
    with contest.app.app_context():
        supporters = _db.session.scalars(
            sa.select(Support.user_id).where(Support.proposal_id == proposal_id)
        ).all()
        count = _db.session.get(Proposal, proposal_id).support_count
    assert supporters == [contest.citizen_ids[0]]
    assert count == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_six_citizens_supporting_from_six_processes_at_once_are_all_counted(contest, round_):
    outcomes = outcomes_of(contest, "every citizen", round_)
    assert not problems(outcomes), "\n".join(problems(outcomes))
    assert messages(outcomes) == Counter({SUPPORT_COUNTED: PROCESSES})
    proposal_id = contest.proposals["every citizen"][round_]
    with contest.app.app_context():
        supporters = _db.session.scalars(
            sa.select(Support.user_id).where(Support.proposal_id == proposal_id)
        ).all()
        count = _db.session.get(Proposal, proposal_id).support_count
    assert sorted(supporters) == sorted(contest.citizen_ids)
    # The stored count, recomputed by each writer, saw every other writer's row.
    assert count == PROCESSES


def test_the_processes_really_ran_as_separate_servers(contest):
    """Each process reported every step it was given: none of the checks above is vacuous."""
    assert len(contest.outcomes) == PROCESSES
    assert all(len(seen) == 4 * ROUNDS for seen in contest.outcomes), [
        [(outcome.scenario, outcome.error) for outcome in seen] for seen in contest.outcomes
    ]
    with contest.app.app_context():
        assert _db.session.scalar(sa.select(sa.func.count(User.id))) >= 2 * PROCESSES
