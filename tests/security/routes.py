"""Every state-changing route: where it is in the world, who may use it, and a valid payload.

The role matrix, the junk-input and the CSRF tests all read this one table, and a test fails
when the application has a POST route the table does not know."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from participation.core.models import utcnow
from participation.votes.forms import site_zone
from tests.factories import PASSWORD
from tests.security.world import ROLES, World, site_today

Payload = dict[str, Any]

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"visitor"}
ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"chair", "secretary"})  # the group's chair and secretariat
AUTHOR = frozenset({"author"})
COMMENTER = frozenset({"participant"})
VOTERS = frozenset({"voting_member", "chair"})


def no_payload(_world: World, _role: str) -> Payload:
    return {}


@dataclass(frozen=True)
class Route:
    url: Callable[[World], str]
    allowed: frozenset[str]
    payload: Callable[[World, str], Payload] = no_payload
    # The allowed roles whose valid POST changes rows; None: every allowed role.
    changes: frozenset[str] | None = None

    def changers(self) -> frozenset[str]:
        return self.allowed if self.changes is None else self.changes


def day_from_today(days: int) -> str:
    """An ISO date `days` after today in the site's time zone, as a date field sends it."""
    return (site_today() + timedelta(days=days)).isoformat()


def _closing(days: int) -> str:
    """A datetime-local value in the site's time zone, as the browser sends it."""
    return (utcnow() + timedelta(days=days)).astimezone(site_zone()).strftime("%Y-%m-%dT%H:%M")


def _account(world: World, role: str) -> Payload:
    # An agency contact speaks for their organisation and must keep it.
    agency = role == "agency_contact"
    return {
        "display_name": f"Renamed {role}",
        "sector": "government" if agency else "citizen",
        "organisation": world.lead_organisation_name if agency else "",
    }


def _commitment(world: World, _role: str) -> Payload:
    return {
        "title": "Awards for villages with no burning",
        "description": "Give an award each **dry season**.",
        "lead_organisation": str(world.lead_organisation),
        "supporters": [str(world.other_organisation)],
        "start_date": day_from_today(0),
        "due_date": day_from_today(200),
        "milestones-0-title": "Criteria published",
        "milestones-0-due_date": day_from_today(30),
    }


def _progress(_world: World, _role: str) -> Payload:
    return {
        "reported_on": day_from_today(0),
        "completion": "substantial",
        "percent": "60",
        "status": "on_track",
        "note": "The forecast page is online.",
        "evidence": "https://example.org/forecast/2",
        "reason": "",
    }


ROUTES: dict[str, Route] = {
    # Accounts: anyone may try to log in, log out or register; a signed-in person is sent on.
    "accounts.login": Route(
        lambda w: "/login", EVERYONE,
        lambda w, r: {"email": w.emails["participant"], "password": PASSWORD},
        changes=frozenset({"visitor"}),
    ),
    "accounts.logout": Route(lambda w: "/logout", EVERYONE, changes=frozenset()),
    "accounts.register": Route(
        lambda w: "/register", EVERYONE,
        lambda w, r: {
            "email": "new.neighbour@example.org", "display_name": "New Neighbour",
            "password": PASSWORD, "confirm": PASSWORD, "sector": "citizen",
            "organisation": "", "consent": "y",  # privacy lane: the notice agreed to
        },
        changes=frozenset({"visitor"}),
    ),
    "accounts.account": Route(lambda w: "/account", SIGNED_IN, _account),
    "accounts.admin_user": Route(
        lambda w: f"/admin/users/{w.users['participant']}", ADMIN,
        lambda w, r: {"organisation": str(w.lead_organisation)},
    ),
    "accounts.admin_set_admin": Route(
        lambda w: f"/admin/users/{w.users['participant']}/admin", ADMIN,
        lambda w, r: {"is_admin": "1"},
    ),
    "accounts.admin_organisation_new": Route(
        lambda w: "/admin/organisations/new", ADMIN,
        lambda w, r: {"name_th": "สำนักงานพัฒนารัฐบาลดิจิทัลทดสอบ", "name_en": "Test DGA",
                      "sector": "government"},
    ),
    "accounts.admin_organisation_edit": Route(
        lambda w: f"/admin/organisations/{w.other_organisation}", ADMIN,
        lambda w, r: {"name_th": "เครือข่ายอากาศสะอาดทดสอบ", "name_en": "Test clean-air network",
                      "sector": "civil_society"},
    ),
    # Working groups and seats: administrators only.
    "groups.admin_group_new": Route(
        lambda w: "/admin/groups/new", ADMIN,
        lambda w, r: {"name_th": "คณะทำงานสิงห์บุรีทดสอบ", "name_en": "Test Sing Buri group",
                      "description": "Fine dust in Sing Buri."},
    ),
    "groups.admin_group_edit": Route(
        lambda w: f"/admin/groups/{w.group}/edit", ADMIN,
        lambda w, r: {"name_th": "คณะทำงานลำปางทดสอบ", "name_en": "Test Lampang group",
                      "description": "Renamed."},
    ),
    "groups.admin_seat_new": Route(
        lambda w: f"/admin/groups/{w.group}/seats/new", ADMIN,
        lambda w, r: {"role": "member", "organisation": "0", "sector": "academia",
                      "voting": "y", "position": "9"},
    ),
    "groups.admin_seat_edit": Route(
        lambda w: f"/admin/seats/{w.seats['vacant']}", ADMIN,
        lambda w, r: {"role": "member", "organisation": str(w.other_organisation),
                      "sector": "civil_society", "voting": "y", "position": "3"},
    ),
    "groups.admin_seat_holder": Route(
        lambda w: f"/admin/seats/{w.seats['vacant']}/holder", ADMIN,
        lambda w, r: {"holder-email": w.emails["participant"]},
    ),
    "groups.admin_seat_remove": Route(lambda w: f"/admin/seats/{w.seats['vacant']}/remove",
                                      ADMIN),
    # Proposals: anyone signed in proposes and supports; the author edits, submits and
    # withdraws; the group's chair and secretariat move it on and merge it.
    "proposals.new": Route(
        lambda w: "/proposals/new", SIGNED_IN,
        lambda w, r: {"title": "Dust-suppression spray near schools",
                      "body": "Spray water on the roads near schools.",
                      "category": str(w.category), "group": str(w.group),
                      "submit_for_comment": "Submit for comment"},
    ),
    "proposals.edit": Route(
        lambda w: f"/proposals/{w.proposals['open']}/edit", AUTHOR,
        lambda w, r: {"title": "Open PM2.5 readings per sub-district every hour",
                      "body": "Per **sub-district**, every hour.", "category": str(w.category)},
    ),
    "proposals.open_for_comment": Route(
        lambda w: f"/proposals/{w.proposals['draft']}/open", AUTHOR),
    "proposals.start_consideration": Route(
        lambda w: f"/proposals/{w.proposals['open']}/consider", MANAGERS),
    "proposals.withdraw": Route(lambda w: f"/proposals/{w.proposals['open']}/withdraw", AUTHOR),
    "proposals.merge": Route(
        lambda w: f"/proposals/{w.proposals['open']}/merge", MANAGERS,
        lambda w, r: {"into": str(w.proposals["merge_target"])},
    ),
    # The author cannot support their own proposal; the participant already supports it.
    "proposals.support": Route(
        lambda w: f"/proposals/{w.proposals['open']}/support", SIGNED_IN,
        changes=SIGNED_IN - {"author", "participant"},
    ),
    "proposals.withdraw_support": Route(
        lambda w: f"/proposals/{w.proposals['open']}/unsupport", SIGNED_IN,
        changes=frozenset({"participant"}),
    ),
    "proposals.category_new": Route(
        lambda w: "/admin/categories/new", ADMIN,
        lambda w, r: {"name_th": "การบังคับใช้กฎหมายทดสอบ", "name_en": "Test law enforcement",
                      "position": "2"},
    ),
    "proposals.category_edit": Route(
        lambda w: f"/admin/categories/{w.category}/edit", ADMIN,
        lambda w, r: {"name_th": "การสื่อสารทดสอบ", "name_en": "Test communication",
                      "position": "5"},
    ),
    # Comments: anyone signed in comments; only the author edits or deletes.
    "comments.add": Route(
        lambda w: f"/proposals/{w.proposals['open']}/comments", SIGNED_IN,
        lambda w, r: {"body": "Schools in Mae Moh need this too.", "stance": "for"},
    ),
    "comments.edit": Route(
        lambda w: f"/comments/{w.comments['participant']}/edit", COMMENTER,
        lambda w, r: {"body": "Please include **Mae Moh** and Mae Tha.", "stance": "for"},
    ),
    "comments.delete": Route(lambda w: f"/comments/{w.comments['participant']}/delete",
                             COMMENTER),
    # Ballots: the chair and secretariat open and close; voting members (the chair is one)
    # vote.
    "votes.open_ballot": Route(
        lambda w: f"/proposals/{w.proposals['considered']}/ballot/new", MANAGERS,
        lambda w, r: {"closes_at": _closing(3), "quorum": ""},
    ),
    "votes.cast": Route(lambda w: f"/ballots/{w.open_ballot}/vote", VOTERS,
                        lambda w, r: {"choice": "abstain"}),
    "votes.close": Route(
        lambda w: f"/ballots/{w.open_ballot}/close", MANAGERS,
        lambda w, r: {"resolution": "The meeting adopted the app."},
    ),
    # Decisions and commitments: the chair and secretariat; the lead agency's contact reports
    # progress too.
    "decisions.resolution": Route(
        lambda w: f"/decisions/{w.decisions['adopted']}/resolution", MANAGERS,
        lambda w, r: {"text": "The meeting resolved to publish a **3-day** forecast."},
    ),
    "commitments.create": Route(
        lambda w: f"/decisions/{w.decisions['pending']}/commitment/new", MANAGERS, _commitment,
    ),
    "commitments.post_progress": Route(
        lambda w: f"/commitments/{w.commitment}/progress/new",
        MANAGERS | {"agency_contact"}, _progress,
    ),
    "commitments.add_milestone": Route(
        lambda w: f"/commitments/{w.commitment}/milestones/new", MANAGERS,
        lambda w, r: {"title": "Forecast app released", "due_date": day_from_today(90)},
    ),
}


def _kpi(world: World, _role: str) -> Payload:
    return {
        "name_th": "จุดความร้อนต่อเดือนทดสอบ", "name_en": "Test hotspots per month",
        "description": "From **FIRMS**.", "unit_th": "จุด", "unit_en": "hotspots",
        "direction": "lower", "baseline_value": "120", "baseline_start": "2024-01-01",
        "baseline_end": "2024-12-31", "target_value": "40", "target_date": "2027-12-31",
        "rule": "manual", "station": "0", "district": "0",
        "owners": [str(world.lead_organisation), str(world.other_organisation)],
        "commitments": [str(world.commitment)],
    }


def _measurement(_world: World, _role: str) -> Payload:
    return {"period_start": day_from_today(-1), "value": "12.5", "source": "Monthly report",
            "evidence_url": "https://example.org/kpi/report.pdf"}


# KPIs: the group's chair and secretariat, and administrators, define and edit them; the
# owner agency's contact records values too.
ROUTES.update({
    "kpis.create": Route(lambda w: f"/kpis/new?group={w.group}", MANAGERS | ADMIN, _kpi),
    "kpis.edit": Route(lambda w: f"/kpis/{w.kpi}/edit", MANAGERS | ADMIN, _kpi),
    "kpis.record_measurement": Route(
        lambda w: f"/kpis/{w.kpi}/measurements", MANAGERS | ADMIN | {"agency_contact"},
        _measurement,
    ),
})

STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def state_changing_endpoints(app) -> set[str]:
    """Every endpoint of the application that accepts a state-changing method."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and rule.methods & STATE_CHANGING_METHODS
    }


# Whom to act as when one allowed person is enough, most specific first.
PREFERRED = ("visitor", "author", "participant", "agency_contact", "voting_member",
             "secretary", "chair", "admin")


def acting_role(endpoint: str) -> str:
    """The role a test acts as to use the route as intended."""
    route = ROUTES[endpoint]
    candidates = route.changers() or route.allowed
    return next(role for role in PREFERRED if role in candidates)


# Lane IMPORT: the secretariat's data upload. The test client sends a (stream, name) tuple as
# a multipart file; each call makes a new stream, so every request reads a whole file.
def _data_file(_world: World, _role: str) -> Payload:
    from io import BytesIO

    return {
        "kind": "air",
        "file": (BytesIO(b"station_id,timestamp,pm25\n37t,2026-03-01T01:00,41.5\n"), "pm25.csv"),
    }


ROUTES["environment.upload"] = Route(
    lambda w: "/data/import", frozenset({"secretary", "admin"}), _data_file,
)


# Checkpoints lane: an administrator publishes a signed checkpoint of the log on demand.
ROUTES.update({
    "accountability.publish": Route(lambda w: "/log/checkpoints", ADMIN),
})


# Answers lane: the group's chair and secretariat name the agency responsible for answering a
# proposal; they and that agency's contact give the official answer (here: a referral).
ROUTES.update({
    "proposals.assign_agency": Route(
        lambda w: f"/proposals/{w.proposals['open']}/agency", MANAGERS,
        lambda w, r: {"agency": str(w.lead_organisation)},
    ),
    "answers.answer": Route(
        lambda w: f"/proposals/{w.proposals['answerable']}/answer",
        MANAGERS | {"agency_contact"},
        lambda w, r: {"answer-state": "referred",
                      "answer-body": "The **district office** keeps this register.",
                      "answer-referred_to": str(w.other_organisation),
                      "answer-merged_into": "0"},
    ),
})


# Volunteering lane: the group's chair and secretariat and the lead agency's contact offer and
# edit volunteer tasks; anyone signed in signs up (the world's task is full, so they join the
# waiting list; the participant already has a place) and withdraws (only the participant and
# the vice-chair, not a role here, hold a place).
def _task(_world: World, _role: str) -> Payload:
    return {
        "title": "Fuel clearing day", "description": "Clear the **firebreak** by hand.",
        "place": "Ban Tha Si, Mae Moh", "starts_at": _closing(20), "ends_at": _closing(21),
        "capacity": "30",
    }


ROUTES.update({
    "volunteering.create": Route(
        lambda w: f"/commitments/{w.commitment}/tasks/new", MANAGERS | {"agency_contact"}, _task,
    ),
    "volunteering.edit": Route(
        lambda w: f"/tasks/{w.task}/edit", MANAGERS | {"agency_contact"}, _task,
    ),
    "volunteering.sign_up": Route(
        lambda w: f"/tasks/{w.task}/signup", SIGNED_IN, changes=SIGNED_IN - {"participant"},
    ),
    "volunteering.withdraw": Route(
        lambda w: f"/tasks/{w.task}/withdraw", SIGNED_IN, changes=frozenset({"participant"}),
    ),
})


# Votes lane: the groups' deadlines, deputies, and the options of a ballot and the reason of a
# vote (the entries of these routes above are replaced with the full forms).
_GROUP_SETTINGS = {"answer_days": "30", "dispute_days": "14", "reminder_hours": "24"}
ROUTES.update({
    "groups.admin_group_new": Route(
        lambda w: "/admin/groups/new", ADMIN,
        lambda w, r: {"name_th": "คณะทำงานสิงห์บุรีทดสอบ", "name_en": "Test Sing Buri group",
                      "description": "Fine dust in Sing Buri.", **_GROUP_SETTINGS},
    ),
    "groups.admin_group_edit": Route(
        lambda w: f"/admin/groups/{w.group}/edit", ADMIN,
        lambda w, r: {"name_th": "คณะทำงานลำปางทดสอบ", "name_en": "Test Lampang group",
                      "description": "Renamed.", "answer_days": "45", "dispute_days": "10",
                      "reminder_hours": "48"},
    ),
    "groups.admin_seat_deputy": Route(
        lambda w: f"/admin/seats/{w.seats['vacant']}/deputy", ADMIN,
        lambda w, r: {"deputy-email": w.emails["participant"]},
    ),
    "votes.open_ballot": Route(
        lambda w: f"/proposals/{w.proposals['considered']}/ballot/new", MANAGERS,
        lambda w, r: {"closes_at": _closing(3), "quorum": "", "kind": "consent",
                      "reasons": "optional", "hide_results": "y", "quorum_civil_society": "1"},
    ),
    "votes.cast": Route(lambda w: f"/ballots/{w.open_ballot}/vote", VOTERS,
                        lambda w, r: {"choice": "abstain", "reason": "Costs are not known yet."}),
})


# Evaluations lane: anyone signed in but the report's author (the agency contact) confirms or
# disputes it, once (the participant already disputed it); the lead agency's contact answers
# the dispute and records the self-assessment (no role here holds a civil-society seat); those
# who report progress set a milestone's completion; the chair and secretariat weigh milestones.
ROUTES.update({
    "evaluations.review": Route(
        lambda w: f"/progress/{w.progress_update}/review", SIGNED_IN - {"agency_contact"},
        lambda w, r: {"kind": "confirm", "comment": "The forecast page shows today's data.",
                      "evidence_url": "https://example.org/forecast/today"},
        changes=SIGNED_IN - {"agency_contact", "participant"},
    ),
    "evaluations.answer": Route(
        lambda w: f"/reviews/{w.dispute}/answer", frozenset({"agency_contact"}),
        lambda w, r: {"answer": "The page was fixed on Monday; see the **archive**."},
    ),
    "evaluations.assess": Route(
        lambda w: f"/commitments/{w.commitment}/assessments/new", frozenset({"agency_contact"}),
        lambda w, r: {"kind": "self", "assessed_on": day_from_today(0), "completion": "limited",
                      "opened_government": "marginal",
                      "explanation": "The forecast reaches **most** villages."},
    ),
    "commitments.milestone_completion": Route(
        lambda w: f"/milestones/{w.milestone}/completion", MANAGERS | {"agency_contact"},
        lambda w, r: {"completion": "substantial"},
    ),
    "commitments.weights": Route(
        lambda w: f"/commitments/{w.commitment}/weights", MANAGERS,
        lambda w, r: {"shares": "set", "weights-0": "1"},
    ),
})


# Following lane: anyone signed in follows and unfollows (the participant already follows the
# open proposal) and marks their notifications read; only the participant has one.
ROUTES.update({
    "notifications.follow": Route(
        lambda w: f"/follow/proposal/{w.proposals['open']}", SIGNED_IN,
        changes=SIGNED_IN - {"participant"},
    ),
    "notifications.unfollow": Route(
        lambda w: f"/unfollow/proposal/{w.proposals['open']}", SIGNED_IN,
        changes=frozenset({"participant"}),
    ),
    "notifications.read": Route(
        lambda w: f"/notifications/{w.notification}/read", frozenset({"participant"}),
    ),
    "notifications.read_all": Route(
        lambda w: "/notifications/read-all", SIGNED_IN, changes=frozenset({"participant"}),
    ),
})


# Mail lane: anyone signed in sets their e-mail settings. The unsubscribe link's signed token
# is its credential (a mail program posts it without a session, RFC 8058), so whoever holds the
# participant's link, visitor included, stops the participant's e-mails.
def _unsubscribe_url(world: World) -> str:
    from participation.mail.tokens import unsubscribe_token

    return f"/unsubscribe/{unsubscribe_token(world.users['participant'])}"


ROUTES.update({
    "mail.preferences": Route(
        lambda w: "/account/notifications", SIGNED_IN,
        lambda w, r: {"email_mode": "daily", "language": "en"},
    ),
    "mail.unsubscribe": Route(_unsubscribe_url, EVERYONE),
})


# Minutes lane: the group's chair and secretariat write the minutes of a held meeting, publish
# them, record their approval at a later held meeting and, once approved, add corrections.
def _minutes(world: World, _role: str) -> Payload:
    return {
        "minutes_taker": str(world.users["secretary"]),
        "items-0-item_id": str(world.minutes_items["draft"]),
        "items-0-minutes": "The chair opened the meeting at **09.30**.",
    }


ROUTES.update({
    "minutes.edit": Route(
        lambda w: f"/meetings/{w.minutes_meetings['draft']}/minutes/edit", MANAGERS, _minutes,
    ),
    "minutes.publish": Route(
        lambda w: f"/meetings/{w.minutes_meetings['draft']}/minutes/publish", MANAGERS,
    ),
    "minutes.approve": Route(
        lambda w: f"/meetings/{w.minutes_meetings['published']}/minutes/approve", MANAGERS,
        lambda w, r: {"at_meeting": str(w.minutes_meetings["later"])},
    ),
    "minutes.correct": Route(
        lambda w: (f"/meetings/{w.minutes_meetings['approved']}/minutes/items/"
                   f"{w.minutes_items['approved']}/correction"),
        MANAGERS, lambda w, r: {"text": "The meeting opened at **10.00**, not 09.30."},
    ),
})


# Meetings lane: the group's chair and secretariat schedule, edit, cancel and hold meetings,
# change the agenda and take attendance (the world's meeting started an hour ago).
def _meeting(_world: World, _role: str) -> Payload:
    return {
        "title": "การประชุมคณะทำงาน ครั้งที่ 5/2569", "starts_at": _closing(10),
        "ends_at": _closing(11), "place": "ห้องประชุม 2 ศาลากลางจังหวัด",
        "online_url": "https://meet.example.org/lampang", "guests": "นายอำเภอแม่เมาะ",
    }


def _attendance(world: World, _role: str) -> Payload:
    # Chair, vice-chair, two members, the seat with a deputy, the secretary, the vacant seat.
    statuses = ("present", "present", "present", "excused", "deputy", "present", "absent")
    payload: Payload = {}
    for index, (seat_id, status) in enumerate(zip(world.meeting_seats, statuses, strict=True)):
        payload[f"seats-{index}-seat_id"] = str(seat_id)
        payload[f"seats-{index}-status"] = status
        payload[f"seats-{index}-note"] = "ติดราชการ" if status == "excused" else ""
    return payload


ROUTES.update({
    "meetings.schedule": Route(lambda w: f"/groups/{w.group}/meetings/new", MANAGERS, _meeting),
    "meetings.edit": Route(lambda w: f"/meetings/{w.meeting}/edit", MANAGERS, _meeting),
    "meetings.cancel": Route(
        lambda w: f"/meetings/{w.meeting}/cancel", MANAGERS,
        lambda w, r: {"reason": "The provincial governor was called to Bangkok."},
    ),
    "meetings.mark_held": Route(lambda w: f"/meetings/{w.meeting}/held", MANAGERS),
    "meetings.add_item": Route(
        lambda w: f"/meetings/{w.meeting}/items/new", MANAGERS,
        lambda w, r: {"section": "2", "title": "Hotspot report for March",
                      "description": "From **GISTDA**.", "proposal": "0"},
    ),
    "meetings.edit_item": Route(
        lambda w: f"/agenda-items/{w.meeting_items['considered']}/edit", MANAGERS,
        lambda w, r: {"section": "3", "title": "Enforce the Factory Act in Mae Moh",
                      "description": "", "proposal": str(w.proposals["considered"]),
                      "resolution": "ที่ประชุม**เห็นชอบ**ให้เปิดลงมติ"},
    ),
    "meetings.move_item": Route(
        lambda w: f"/agenda-items/{w.meeting_items['first']}/move", MANAGERS,
        lambda w, r: {"direction": "down"},
    ),
    "meetings.remove_item": Route(
        lambda w: f"/agenda-items/{w.meeting_items['second']}/remove", MANAGERS),
    "meetings.attendance": Route(
        lambda w: f"/meetings/{w.meeting}/attendance", MANAGERS, _attendance),
})


# Two-factor lane: the set-up form carries the key the page showed, signed for its person, and
# the key's current code. Nobody in the world has two-factor authentication on, so making new
# recovery codes or turning it off changes nothing; nobody has a log-in waiting for its code.
def _two_factor_setup(world: World, role: str) -> Payload:
    import pyotp

    from participation.accounts.two_factor import new_secret, setup_token

    secret = new_secret()
    return {"token": setup_token(world.user(role), secret), "code": pyotp.TOTP(secret).now()}


ROUTES.update({
    "accounts.two_factor_setup": Route(lambda w: "/account/two-factor", SIGNED_IN,
                                       _two_factor_setup),
    "accounts.two_factor_recovery_codes": Route(
        lambda w: "/account/two-factor/recovery-codes", SIGNED_IN,
        lambda w, r: {"regenerate-password": PASSWORD}, changes=frozenset(),
    ),
    "accounts.two_factor_disable": Route(
        lambda w: "/account/two-factor/disable", SIGNED_IN,
        lambda w, r: {"disable-password": PASSWORD}, changes=frozenset(),
    ),
    "accounts.two_factor_login": Route(
        lambda w: "/login/two-factor", EVERYONE, lambda w, r: {"code": "123456"},
        changes=frozenset(),
    ),
    "accounts.admin_two_factor": Route(
        lambda w: "/admin/two-factor", ADMIN, lambda w, r: {"roles": ["secretariat"]},
    ),
})


# E-mail lane: anyone may ask for a reset link and use one (the signed link is the credential;
# the world's people are confirmed, so asking for the confirmation link again changes nothing);
# a signed-in person changes their address with their password and ends their other sessions.
def _reset_url(world: World) -> str:
    from participation.accounts.models import User
    from participation.accounts.tokens import reset_token
    from participation.extensions import db

    person = db.session.get(User, world.users["participant"])
    return f"/password/reset/{reset_token(person, now=utcnow())}"


ROUTES.update({
    "accounts.resend_verification": Route(
        lambda w: "/account/verify/resend", SIGNED_IN, changes=frozenset(),
    ),
    "accounts.forgot_password": Route(
        lambda w: "/password/forgot", EVERYONE, lambda w, r: {"email": w.emails["participant"]},
    ),
    "accounts.reset_password": Route(
        _reset_url, EVERYONE,
        lambda w, r: {"password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    ),
    "accounts.change_email": Route(
        lambda w: "/account/email", SIGNED_IN,
        lambda w, r: {"email": f"moved.{r}@example.org", "password": PASSWORD},
    ),
    "accounts.end_sessions": Route(lambda w: "/account/sessions/end", SIGNED_IN),
})


# Privacy lane: anyone signed in agrees to the privacy notice. Everyone in the world already
# agreed to the current version, so agreeing again changes nothing.
ROUTES["privacy.consent"] = Route(
    lambda w: "/privacy/consent", SIGNED_IN, lambda w, r: {"consent": "y"}, changes=frozenset(),
)

# Privacy lane B2: anyone signed in may erase their own account with their password. The
# world's chair, voting member and secretary hold seats (a public office: refused), and its
# administrator is the only one (refused); the others' accounts are erased.
ROUTES["privacy.erase"] = Route(
    lambda w: "/account/delete", SIGNED_IN, lambda w, r: {"password": PASSWORD, "confirm": "y"},
    changes=frozenset({"participant", "author", "agency_contact", "moderator"}),
)


# Moderation lane A2: moderators (and administrators) block the participant and lift the
# block on the world's troll; administrators grant the moderator role.
MODERATORS = frozenset({"moderator", "admin"})
ROUTES.update({
    "moderation.block": Route(
        lambda w: f"/moderation/users/{w.users['participant']}/block", MODERATORS,
        lambda w, r: {"reason": "abuse", "days": "7"},
    ),
    "moderation.unblock": Route(lambda w: f"/moderation/users/{w.troll}/unblock", MODERATORS),
    "accounts.admin_set_moderator": Route(
        lambda w: f"/admin/users/{w.users['participant']}/moderator", ADMIN,
        lambda w, r: {"is_moderator": "1"},
    ),
})


# Moderation lane A1: anyone signed in but its author reports the open proposal; moderators
# (and administrators) hide or dismiss the reported comment and restore the hidden one.
ROUTES.update({
    "moderation.report": Route(
        lambda w: f"/report/proposal/{w.proposals['open']}", SIGNED_IN - AUTHOR,
        lambda w, r: {"reason": "misleading", "note": "The figures are from 2019."},
    ),
    "moderation.hide": Route(
        lambda w: f"/moderation/comment/{w.moderated_comments['reported']}/hide", MODERATORS,
        lambda w, r: {"reason": "spam"},
    ),
    "moderation.restore": Route(
        lambda w: f"/moderation/comment/{w.moderated_comments['hidden']}/restore", MODERATORS,
    ),
    "moderation.dismiss": Route(
        lambda w: f"/moderation/comment/{w.moderated_comments['reported']}/dismiss",
        MODERATORS,
    ),
})
