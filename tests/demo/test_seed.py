"""The demo instance: built through the real services, consistent, and in Thai."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from participation.accountability.models import Checkpoint, LogEntry
from participation.accountability.services import (
    check_checkpoint,
    saved_checkpoint,
    verify_log,
)
from participation.accounts.models import Organisation, User
from participation.accounts.services import authenticate
from participation.answers.models import Answer, AnswerState
from participation.answers.queries import deadline
from participation.comments.models import Comment
from participation.commitments.models import Commitment, Milestone, ProgressUpdate
from participation.core.i18n import site_date
from participation.decisions.models import Decision
from participation.demo.services import DEMO_PASSWORD, DatabaseNotEmpty, seed_demo
from participation.evaluations.models import Assessment, AssessmentKind, Review, ReviewKind
from participation.extensions import db as _db
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.proposals.models import Category, Proposal, ProposalState, Support
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from participation.votes.models import Ballot, BallotKind, BallotResult, BallotStatus, Vote
from participation.votes.queries import reminders_for
from tests.accountability.test_checkpoints import allow_rewriting, rewrite_from
from tests.demo.conftest import NOW
from tests.rows import count_rows


def test_demo_has_the_lampang_group_with_every_seat_held(demo, db):
    group = db.session.scalars(sa.select(WorkingGroup)).one()
    assert group.name_th.startswith("คณะทำงานส่งเสริมการมีส่วนร่วม")
    assert "Lampang" in group.name_en
    seats = db.session.scalars(sa.select(Seat).where(Seat.group_id == group.id)).all()
    roles = [seat.role for seat in seats]
    assert roles.count(SeatRole.CHAIR) == 1
    assert roles.count(SeatRole.VICE_CHAIR) == 1
    assert roles.count(SeatRole.MEMBER) == 11
    assert roles.count(SeatRole.SECRETARY) == 1
    assert roles.count(SeatRole.ASSISTANT_SECRETARY) == 2
    assert all(seat.holder is not None for seat in seats)
    assert sum(seat.voting for seat in seats) == 13
    assert {seat.sector.value for seat in seats if seat.role == SeatRole.MEMBER} == {
        "government", "civil_society", "private_sector"
    }
    assert all(seat.holder.email.endswith("@demo.ruam.example") for seat in seats)
    deputised = [seat for seat in seats if seat.deputy is not None]
    assert [(seat.organisation.name_en, seat.sector.value) for seat in deputised] == [
        ("Lampang Provincial Office", "government")
    ]
    assert deputised[0].deputy == demo.users["deputy"]
    assert deputised[0].deputy.email == "deputy.provincial@demo.ruam.example"
    assert group.reminder_hours == 168


def test_demo_counts(demo, db):
    assert count_rows(User) == 27  # moderation lane A1: the moderator and an advertiser
    assert count_rows(User, User.is_admin.is_(True)) == 1
    contact = db.session.scalars(sa.select(User).where(User.is_agency_contact.is_(True))).one()
    assert contact.organisation_id == demo.commitment.lead_organisation_id
    assert count_rows(Organisation) == 17
    assert count_rows(Category) == 12
    assert count_rows(Proposal) == 9
    states = dict(
        db.session.execute(
            sa.select(Proposal.state, sa.func.count()).group_by(Proposal.state)
        ).all()
    )
    assert states == {
        ProposalState.OPEN: 5,
        ProposalState.UNDER_CONSIDERATION: 1,
        ProposalState.WITHDRAWN: 1,
        ProposalState.ADOPTED: 1,
        ProposalState.REJECTED: 1,
    }
    assert count_rows(Support) == 45
    assert count_rows(Comment) == 17  # moderation lane A1: the advert, hidden as spam
    assert count_rows(Comment, Comment.parent_id.is_not(None)) == 2
    assert count_rows(Ballot, Ballot.status == BallotStatus.CLOSED) == 2
    assert count_rows(Ballot, Ballot.status == BallotStatus.OPEN) == 1
    assert count_rows(Vote) == 12 + 11 + 5
    assert count_rows(Answer) == 6
    assert count_rows(Commitment) == 1
    assert count_rows(Milestone) == 4
    assert count_rows(ProgressUpdate) == 3
    assert count_rows(VolunteerTask) == 3
    assert count_rows(Review) == 2
    assert count_rows(Assessment) == 2
    assert count_rows(Checkpoint) == 1


def test_the_closed_ballot_adopted_the_proposal_with_a_thai_resolution(demo, db):
    decision = db.session.scalars(
        sa.select(Decision).where(Decision.result == BallotResult.ADOPTED)
    ).one()
    assert decision == demo.decision
    assert decision.block_count == 0
    assert (decision.yes_count, decision.no_count, decision.abstain_count) == (10, 1, 1)
    assert decision.eligible_count == 13 and decision.quorum == 7
    assert decision.resolution.startswith("ที่ประชุมมีมติเห็นชอบ")
    assert decision.proposal.state == ProposalState.ADOPTED
    assert decision.decided_at < NOW
    commitment = demo.commitment
    assert commitment.decision_id == decision.id
    # 0.15 × 100% + 0.35 × 100% + 0.20 × 1/3 + 0.30 × 0 = 56.7%
    assert commitment.percent == 57
    assert [milestone.weight for milestone in commitment.milestones] == [
        Decimal("0.150"), Decimal("0.350"), Decimal("0.200"), Decimal("0.300")
    ]
    reported = db.session.scalars(
        sa.select(ProgressUpdate.percent).order_by(ProgressUpdate.reported_on)
    ).all()
    assert reported == [10, 27, 57]
    assert commitment.status.value == "delayed" and commitment.status_reason
    assert {org.name_en for org in commitment.supporters} >= {
        "Digital Government Development Agency (DGA)"
    }


def test_every_moment_is_in_the_past_except_the_open_ballot_and_the_volunteer_tasks(demo, db):
    assert demo.open_ballot.closes_at > NOW
    assert demo.open_ballot.opened_at < NOW
    assert all(task.starts_at > NOW for task in demo.tasks)
    times = db.session.scalars(sa.select(LogEntry.created_at).order_by(LogEntry.id)).all()
    assert times == sorted(times)
    # The daily run (overdue answers and the checkpoint) happens at the moment of seeding.
    assert times[-1] == NOW
    assert times[-2] < NOW
    opened = sorted(db.session.scalars(sa.select(Proposal.opened_at)).all())
    assert all(moment.year == 2026 and moment.month <= 6 for moment in opened[:-1])
    assert NOW - timedelta(days=9) < opened[-1] < NOW - timedelta(days=7)
    answered = db.session.scalars(sa.select(Answer.answered_at)).all()
    reviewed = db.session.scalars(sa.select(Review.created_at)).all()
    assert all(moment < NOW for moment in answered + reviewed)


def test_the_demo_log_verifies(demo, runner):
    assert verify_log().ok
    result = runner.invoke(args=["verify-log"])
    assert result.exit_code == 0
    assert "intact" in result.output


def test_demo_accounts_log_in_with_the_shared_password(demo, db):
    user = authenticate(email="chair@demo.ruam.example", password=DEMO_PASSWORD, now=NOW)
    assert user is not None and user.display_name == "นายวรเชษฐ์ อินทรสุวรรณ"


def test_seeding_twice_is_refused(demo):
    with pytest.raises(DatabaseNotEmpty):
        seed_demo(now=NOW)


def test_pages_render_in_thai_with_buddhist_era_dates(demo, client):
    proposal = demo.proposals["open_data"]
    page = client.get(f"/proposals/{proposal.id}?lang=th")
    assert page.status_code == 200
    assert '<html lang="th">' in page.text
    assert "เปิดเผยข้อมูลฝุ่น PM2.5 รายพื้นที่" in page.text
    assert "1 มีนาคม 2569" in page.text  # opened 270 days before NOW
    assert "<li>ค่า PM2.5 เฉลี่ย 24 ชั่วโมงรายสถานี" in page.text  # Markdown body

    decision = client.get(f"/decisions/{demo.decision.id}?lang=th")
    assert decision.status_code == 200
    assert "ที่ประชุมมีมติเห็นชอบ" in decision.text
    assert "27 ตุลาคม 2569" in decision.text

    commitment = client.get(f"/commitments/{demo.commitment.id}?lang=th")
    assert commitment.status_code == 200
    assert "เปิดข้อมูลฝุ่น PM2.5 รายพื้นที่ของจังหวัดลำปางเป็นข้อมูลเปิด" in commitment.text
    assert "29 ตุลาคม 2569" in commitment.text  # start date
    assert "2570" in commitment.text  # due in the next Buddhist year

    home = client.get("/?lang=th")
    assert home.status_code == 200
    assert "จัดทำระบบข้อมูลจำนวนการเผารายเดือน" in home.text
    assert "2569" in home.text

    log = client.get("/log?lang=th")
    assert log.status_code == 200
    assert "2569" in log.text


def test_lists_and_log_render_the_demo(demo, client):
    for path in ("/", "/proposals", "/decisions", "/commitments", "/groups", "/log",
                 f"/ballots/{demo.open_ballot.id}", f"/groups/{demo.group.id}"):
        assert client.get(path).status_code == 200, path


def test_command_refuses_a_non_empty_database(demo, runner, db):
    users = count_rows(User)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert "--force" in result.output
    assert count_rows(User) == users


def test_command_if_empty_leaves_the_loaded_demo_and_reprints_its_logins(demo, runner, db):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "The demo is already loaded." in result.output
    assert "chair@demo.ruam.example" in result.output
    assert "Password for every demo account: ruam-demo-2569" in result.output
    assert "deputy.provincial@demo.ruam.example" in result.output
    assert count_rows(User) == 27  # moderation lane A1: the moderator and an advertiser


def test_command_if_empty_is_a_silent_no_op_on_another_non_empty_database(make, runner, db):
    make.user()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert result.output == ""
    assert count_rows(User) == 1


def test_command_refuses_force_with_if_empty(runner):
    result = runner.invoke(args=["seed-demo", "--force", "--if-empty"])
    assert result.exit_code == 2


def test_command_seeds_refuses_then_force_replaces_everything(fresh_app):
    runner = fresh_app.test_cli_runner()
    with fresh_app.app_context():
        first = runner.invoke(args=["seed-demo", "--if-empty"])
        assert first.exit_code == 0, first.output
        assert "Password for every demo account: ruam-demo-2569" in first.output
        assert "chair@demo.ruam.example" in first.output
        assert "agency.environment@demo.ruam.example" in first.output
        # The followers' e-mails, and the advertiser's about the hidden advert.
        assert "16 notification e-mails to demo people are queued, not sent" in first.output
        assert "send-notifications" in first.output

        again = runner.invoke(args=["seed-demo"])
        assert again.exit_code == 1

        forced = runner.invoke(args=["seed-demo", "--force"])
        assert forced.exit_code == 0, forced.output
        assert count_rows(User) == 27  # moderation lane A1: the moderator and an advertiser
        assert count_rows(Proposal) == 9
        assert verify_log().ok
        _db.session.remove()


def test_demo_has_a_year_of_readings_and_hotspots_with_a_dry_season_peak(demo, db):
    from participation.environment.models import Hotspot, Reading, Station

    codes = set(db.session.scalars(sa.select(Station.code)))
    assert codes == {"37t", "38t", "39t", "40t"}
    first, last, count = db.session.execute(
        sa.select(sa.func.min(Reading.measured_at), sa.func.max(Reading.measured_at),
                  sa.func.count())
    ).one()
    assert count > 4 * 24 * 350
    assert (last - first).days >= 364 and last < NOW
    by_month = Counter(moment.month for moment in db.session.scalars(sa.select(Hotspot.detected_at)))
    assert by_month[3] > 10 * by_month[8]


def test_demo_commitment_has_kpis_that_move(demo, db):
    from participation.kpis.models import Kpi, Measurement

    kpis = db.session.scalars(sa.select(Kpi).order_by(Kpi.id)).all()
    linked = [kpi for kpi in kpis if demo.commitment in kpi.commitments]
    assert len(linked) >= 2
    assert {kpi.rule.value for kpi in linked} >= {"pm25_days_above_standard", "manual"}
    for kpi in linked:
        values = db.session.scalars(
            sa.select(Measurement.value).where(Measurement.kpi_id == kpi.id)
        ).all()
        assert len(values) >= 3 and len(set(values)) > 1, kpi.name_en
    entered = db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == "kpi.measurement_recorded")
    ).all()
    assert len(entered) == 3
    assert db.session.scalars(
        sa.select(LogEntry.verb).where(LogEntry.verb == "data.imported")
    ).all() == ["data.imported", "data.imported"]


def test_a_consent_ballot_was_blocked_by_the_private_sector_with_its_reason_shown(demo, client,
                                                                                   db):
    blocked = demo.blocked_decision
    assert blocked.ballot.kind == BallotKind.CONSENT
    assert blocked.ballot.sector_quorum == {"civil_society": 1, "private_sector": 1}
    assert blocked.result == BallotResult.REJECTED
    assert blocked.proposal == demo.proposals["enforcement"]
    assert blocked.proposal.state == ProposalState.REJECTED
    assert (blocked.yes_count, blocked.no_count, blocked.abstain_count, blocked.block_count) == (
        7, 1, 2, 1
    )
    assert blocked.tally_by_sector["government"] == {"yes": 6, "no": 1, "abstain": 2, "block": 0}
    assert blocked.tally_by_sector["civil_society"] == {"yes": 1, "no": 0, "abstain": 0,
                                                         "block": 0}
    assert blocked.tally_by_sector["private_sector"] == {"yes": 0, "no": 0, "abstain": 0,
                                                          "block": 1}
    reasons = db.session.scalars(
        sa.select(Vote.reason).where(Vote.ballot_id == blocked.ballot_id)
    ).all()
    assert len(reasons) == 11 and all(reasons)

    page = client.get(f"/decisions/{blocked.id}?lang=th")
    assert page.status_code == 200
    assert "ภาคเอกชนไม่คัดค้านการบังคับใช้กฎหมาย" in page.text  # the block's reason
    assert "หอการค้าจังหวัดลำปาง" in page.text
    assert "ที่ประชุมยังไม่มีฉันทามติ" in page.text
    english = client.get(f"/decisions/{blocked.id}?lang=en").text
    assert "1 seat blocked this proposal" in english
    assert "Private sector" in english and "Civil society" in english


def test_the_deputy_voted_in_the_provincial_seats_name_and_the_roll_call_says_so(demo, client,
                                                                                 db):
    deputy, holder = demo.users["deputy"], demo.users["provincial"]
    seat = db.session.scalars(sa.select(Seat).where(Seat.holder_id == holder.id)).one()
    vote = db.session.scalars(
        sa.select(Vote).where(Vote.ballot_id == demo.decision.ballot_id, Vote.seat_id == seat.id)
    ).one()
    assert vote.voter_id == deputy.id and vote.choice.value == "yes"
    closed = db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == "ballot.closed",
                                  LogEntry.subject_id == demo.decision.ballot_id)
    ).one()
    entry = next(item for item in closed.data["roll_call"] if item["seat_id"] == seat.id)
    assert entry["voter_id"] == deputy.id and entry["sector"] == "government"

    page = client.get(f"/decisions/{demo.decision.id}?lang=en").text
    assert "voted by" in page and deputy.display_name in page


def test_members_who_have_not_voted_are_reminded_a_week_before_the_ballot_closes(demo):
    users = demo.users
    for key in ("chair", "private", "deputy"):  # the deputy's seat has not voted either
        reminders = reminders_for(user_id=users[key].id, now=NOW)
        assert [reminder.ballot_id for reminder in reminders] == [demo.open_ballot.id], key
    assert reminders_for(user_id=users["disaster"].id, now=NOW) == []  # voted already
    assert reminders_for(user_id=users["citizen1"].id, now=NOW) == []  # holds no seat


def test_answers_came_on_time_late_or_not_yet_and_one_is_overdue(demo, db, client):
    made = demo.proposals
    today = site_date(NOW)
    answers = {answer.proposal_id: answer for answer in db.session.scalars(sa.select(Answer))}
    on_time = answers[made["open_data"].id]
    assert on_time.state == AnswerState.ACCEPTED and on_time.on_time
    assert on_time.organisation.name_en.startswith("Lampang Provincial Natural Resources")
    late = answers[made["enforcement"].id]
    assert not late.on_time and (late.answered_on - late.due_on).days == 7
    referred = answers[made["technology"].id]
    assert referred.state == AnswerState.REFERRED
    assert referred.referred_to.name_en == "Digital Government Development Agency (DGA)"

    waiting = deadline(made["clean_rooms"], None, today)
    assert waiting.needs_answer and not waiting.overdue
    assert waiting.due_on == today + timedelta(days=22) and waiting.waiting_days == 8
    assert made["clean_rooms"].agency.name_en == "Lampang Provincial Office of Local Administration"
    overdue = deadline(made["law_review"], None, today)
    assert overdue.overdue and overdue.overdue_days == 150
    assert made["law_review"].answer_overdue_at == NOW
    logged = db.session.scalars(
        sa.select(LogEntry.subject_id).where(LogEntry.verb == "proposal.answer_overdue")
    ).all()
    assert logged == [made["law_review"].id]
    unanswered = {key for key, proposal in made.items() if proposal.id not in answers}
    assert unanswered == {"integration", "law_review", "clean_rooms"}

    page = client.get(f"/proposals/{made['law_review'].id}?lang=en").text
    assert "Overdue by" in page
    page = client.get(f"/proposals/{made['clean_rooms'].id}?lang=th").text
    assert "18 ธันวาคม 2569" in page  # its answer deadline, 30 days after opening


def test_the_commitment_offers_volunteer_tasks_one_full_with_a_waiting_list(demo, db, client):
    statuses = {
        task.title: Counter(db.session.scalars(
            sa.select(Signup.status).where(Signup.task_id == task.id)
        ))
        for task in demo.tasks
    }
    fire_watch, fuel, awareness = demo.tasks
    assert fire_watch.capacity == 4
    assert statuses[fire_watch.title] == {
        SignupStatus.CONFIRMED: 4, SignupStatus.WAITING: 2, SignupStatus.WITHDRAWN: 1
    }
    assert statuses[fuel.title] == {SignupStatus.CONFIRMED: 5}
    assert statuses[awareness.title] == {SignupStatus.CONFIRMED: 3}
    # The one who withdrew freed a place for the first person waiting.
    moved_up = db.session.scalars(
        sa.select(Signup).where(Signup.task_id == fire_watch.id,
                                Signup.user_id == demo.users["business"].id)
    ).one()
    assert moved_up.status == SignupStatus.CONFIRMED

    page = client.get(f"/commitments/{demo.commitment.id}?lang=th").text
    assert all(task.title in page for task in demo.tasks)
    assert demo.users["citizen3"].display_name not in page  # the public sees counts only


def test_progress_is_confirmed_and_disputed_and_assessed_both_ways(demo, db, client):
    reviews = db.session.scalars(sa.select(Review).order_by(Review.id)).all()
    confirmation, dispute = reviews
    assert confirmation.kind == ReviewKind.CONFIRM and confirmation.answer_due_on is None
    assert dispute.kind == ReviewKind.DISPUTE and dispute.answered_at is None
    assert dispute.answer_due_on == site_date(NOW) + timedelta(days=13)
    assert dispute.evidence_url.startswith("https://") and "40t" in dispute.comment
    assert dispute.update.percent == 57 and confirmation.update.percent == 27
    assessments = db.session.scalars(sa.select(Assessment).order_by(Assessment.id)).all()
    assert [(a.kind, a.author) for a in assessments] == [
        (AssessmentKind.SELF, demo.users["agency"]),
        (AssessmentKind.INDEPENDENT, demo.users["civil"]),
    ]

    page = client.get(f"/commitments/{demo.commitment.id}?lang=en").text
    assert "0.35 × 100%" in page and "= 57%" in page  # the roll-up formula
    assert "สถานี 40t (แม่เมาะ)" in page  # the dispute
    assert "ชมรมอาสาสมัครได้ดาวน์โหลดบัญชีรายการข้อมูล" in page  # the confirmation
    assert "เผยแพร่ชุดข้อมูลด้านฝุ่นเป็นข้อมูลเปิดแล้ว 10 ชุด" in page  # self-assessment
    assert "เครือข่ายภาคประชาสังคมจะประเมินอีกครั้ง" in page  # independent assessment


def test_the_demo_checkpoint_verifies_and_a_rewritten_log_fails(demo, db, runner, tmp_path):
    entries = count_rows(LogEntry)
    assert demo.checkpoint.entry_count == entries
    saved = saved_checkpoint(demo.checkpoint)
    assert check_checkpoint(saved).ok
    path = tmp_path / "checkpoint.json"
    path.write_text(json.dumps(saved.document()), encoding="utf-8")
    result = runner.invoke(args=["verify-log", "--checkpoint", str(path)])
    assert result.exit_code == 0, result.output

    # Someone rewrites the blocked ballot's record to hide the block, hashes and all.
    closed = db.session.scalars(
        sa.select(LogEntry).where(LogEntry.verb == "ballot.closed",
                                  LogEntry.subject_id == demo.blocked_decision.ballot_id)
    ).one()
    forged = {**closed.data, "result": "adopted"}
    allow_rewriting(db)
    rewrite_from(db, closed.id, forged)
    db.session.expire_all()
    assert verify_log().ok  # consistent in itself
    result = runner.invoke(args=["verify-log", "--checkpoint", str(path)])
    assert result.exit_code == 1
    assert "REWRITTEN" in result.output
