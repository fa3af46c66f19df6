"""The demo instance: built through the real services, consistent, and in Thai."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from functools import cache

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accountability.services import verify_log
from participation.accounts import services as accounts_services
from participation.accounts.models import Organisation, User
from participation.accounts.services import authenticate
from participation.comments.models import Comment
from participation.commitments.models import Commitment, Milestone, ProgressUpdate
from participation.core.security import hash_password
from participation.decisions.models import Decision
from participation.demo.services import DEMO_PASSWORD, DatabaseNotEmpty, seed_demo
from participation.extensions import db as _db
from participation.groups.models import Seat, SeatRole, WorkingGroup
from participation.proposals.models import Category, Proposal, ProposalState, Support
from participation.votes.models import Ballot, BallotResult, BallotStatus, Vote
from tests.rows import count_rows

NOW = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)

# Every demo account has the same password: hash it once per run, argon2 is deliberately slow.
_hash_once = cache(hash_password)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts_services, "hash_password", _hash_once)


@pytest.fixture
def demo(db):
    return seed_demo(now=NOW)


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


def test_demo_counts(demo, db):
    assert count_rows(User) == 24
    assert count_rows(User, User.is_admin.is_(True)) == 1
    contact = db.session.scalars(sa.select(User).where(User.is_agency_contact.is_(True))).one()
    assert contact.organisation_id == demo.commitment.lead_organisation_id
    assert count_rows(Organisation) == 17
    assert count_rows(Category) == 12
    assert count_rows(Proposal) == 8
    states = dict(
        db.session.execute(
            sa.select(Proposal.state, sa.func.count()).group_by(Proposal.state)
        ).all()
    )
    assert states == {
        ProposalState.OPEN: 4,
        ProposalState.UNDER_CONSIDERATION: 2,
        ProposalState.WITHDRAWN: 1,
        ProposalState.ADOPTED: 1,
    }
    assert count_rows(Support) == 39
    assert count_rows(Comment) == 14
    assert count_rows(Comment, Comment.parent_id.is_not(None)) == 2
    assert count_rows(Ballot, Ballot.status == BallotStatus.CLOSED) == 1
    assert count_rows(Ballot, Ballot.status == BallotStatus.OPEN) == 1
    assert count_rows(Vote) == 12 + 5
    assert count_rows(Commitment) == 1
    assert count_rows(Milestone) == 4
    assert count_rows(ProgressUpdate) == 3


def test_the_closed_ballot_adopted_the_proposal_with_a_thai_resolution(demo, db):
    decision = db.session.scalars(sa.select(Decision)).one()
    assert decision.result == BallotResult.ADOPTED
    assert (decision.yes_count, decision.no_count, decision.abstain_count) == (10, 1, 1)
    assert decision.eligible_count == 13 and decision.quorum == 7
    assert decision.resolution.startswith("ที่ประชุมมีมติเห็นชอบ")
    assert decision.proposal.state == ProposalState.ADOPTED
    assert decision.decided_at < NOW
    commitment = demo.commitment
    assert commitment.decision_id == decision.id
    assert commitment.percent == 55
    assert commitment.status.value == "delayed" and commitment.status_reason
    assert {org.name_en for org in commitment.supporters} >= {
        "Digital Government Development Agency (DGA)"
    }


def test_every_moment_is_in_the_past_except_the_open_ballots_closing(demo, db):
    assert demo.open_ballot.closes_at > NOW
    assert demo.open_ballot.opened_at < NOW
    times = db.session.scalars(sa.select(LogEntry.created_at).order_by(LogEntry.id)).all()
    assert times == sorted(times)
    assert times[-1] < NOW
    opened = db.session.scalars(sa.select(Proposal.opened_at)).all()
    assert all(moment.year == 2026 and moment.month <= 6 for moment in opened)


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
    assert count_rows(User) == 24


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

        again = runner.invoke(args=["seed-demo"])
        assert again.exit_code == 1

        forced = runner.invoke(args=["seed-demo", "--force"])
        assert forced.exit_code == 0, forced.output
        assert count_rows(User) == 24
        assert count_rows(Proposal) == 8
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
