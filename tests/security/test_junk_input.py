"""Junk posted to every form, as someone allowed to use it: never a 500, nothing changed, and
the person is told what is wrong. Odd but honest text (Thai, emoji, right-to-left marks) may be
accepted; it must then be stored without NUL bytes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlsplit

import pytest

from participation.accounts import services as account_services
from tests.factories import password_hash
from tests.security.routes import ROUTES, acting_role, day_from_today
from tests.security.world import World, browse_as, changed_tables, fingerprint, tried

MISSING = object()  # leave the field out of the request


@dataclass(frozen=True)
class Raw:
    """Bytes put into the url-encoded body as they are (invalid UTF-8, encoded surrogates)."""

    encoded: str


@dataclass(frozen=True)
class Case:
    label: str
    field: str | None
    value: Any
    must_refuse: bool = True


HUGE = "9" * 400
TOO_LONG = "x" * 60_000  # over every text limit (MAX_BODY_LENGTH is 50,000)
MEGABYTE = "x" * 1_000_000  # near MAX_CONTENT_LENGTH: a 413 is a fine answer

# NUL: PostgreSQL cannot store it (a 500 there, silently stored on SQLite), so every form
# refuses it.
NUL = ("NUL byte", "Smoke\x00 data")
# Odd but honest text: it may be accepted (then stored without NUL), never a 500.
ODD_TEXT = (
    ("encoded lone surrogate", Raw("Smoke%ED%A0%80data")),
    ("invalid UTF-8", Raw("%FF%FE%C0%AF")),
    ("right-to-left override", "\u202eatad ekomS"),
    ("zero-width space", "PM\u200b2.5"),
    ("stacked combining marks", "Sm" + "\u0301\u0323\u0361" * 30 + "oke"),
    ("emoji", "Smoke 😷🔥🌫️"),
    ("Thai", "ฝุ่นละอองขนาดเล็ก PM2.5 ที่ลำปาง"),
)


@dataclass(frozen=True)
class Kind:
    """How to spoil one kind of field."""

    required: bool = True
    junk: tuple[tuple[str, Any], ...] = ()
    text: bool = False  # free text: also too long, and the odd text above


def text(*, required: bool = True) -> Kind:
    return Kind(required=required, text=True)


INTEGER = (("letters", "abc"), ("overflowing float", "1e309"), ("NaN", "NaN"),
           ("negative", "-1"), ("400 digits", HUGE), ("fraction", "1.5"))
ID_CHOICE = (("letters", "abc"), ("negative", "-1"), ("unknown id", "999999"),
             ("400 digits", HUGE), ("overflowing float", "1e309"), ("NaN", "NaN"))
CHOICE = (("unknown choice", "unknown"), ("400 digits", HUGE), ("upper case", "GOVERNMENT"))
DATE = (("letters", "abc"), ("30 February", "2026-02-30"), ("month 13", "2026-13-01"),
        ("negative", "-1"), ("400 digits", HUGE), ("day first", "31/12/2026"))
DATETIME = (("letters", "abc"), ("30 February", "2026-02-30T17:00"), ("date only", "2026-03-01"),
            ("400 digits", HUGE), ("in the past", "2000-01-01T10:00"))
EMAIL = (("no at sign", "not-an-email"), ("no domain", "someone@"),
         ("too long", "x" * 300 + "@example.org"))
# Privacy lane: a box to tick; any other value than the one a ticked box sends is no consent.
CONSENT_JUNK = (("no", "n"), ("false", "false"), ("upper case", "Y"), ("400 digits", HUGE))

TEXT = text()
OPTIONAL_TEXT = text(required=False)

FORMS: dict[str, dict[str, Kind]] = {
    "accounts.register": {
        # A taken address is not refused: it looks like success (its owner gets a mail).
        "email": Kind(junk=EMAIL),
        "display_name": TEXT,
        "password": Kind(junk=(("too short", "short"), ("too long", "x" * 300))),
        "confirm": Kind(junk=(("different", "another password entirely"),)),
        "sector": Kind(junk=CHOICE),
        "organisation": OPTIONAL_TEXT,
        # Privacy lane: only a ticked box ("y") agrees to the notice.
        "consent": Kind(junk=CONSENT_JUNK),
    },
    "accounts.login": {
        "email": Kind(text=True, junk=(("unknown", "nobody@example.org"),)),
        "password": Kind(text=True, junk=(("wrong", "wrong password"),)),
    },
    "accounts.account": {
        "display_name": TEXT,
        "sector": Kind(junk=CHOICE),
        "organisation": OPTIONAL_TEXT,
    },
    "accounts.admin_user": {"organisation": Kind(junk=ID_CHOICE)},
    "accounts.admin_set_admin": {
        "is_admin": Kind(junk=(("two", "2"), ("letters", "yes"), ("400 digits", HUGE))),
    },
    "accounts.admin_organisation_new": {
        "name_th": Kind(text=True, junk=(("taken", "@lead_organisation"),)),
        "name_en": OPTIONAL_TEXT,
        "sector": Kind(junk=CHOICE),
    },
    "accounts.admin_organisation_edit": {
        "name_th": Kind(text=True, junk=(("taken", "@lead_organisation"),)),
        "name_en": OPTIONAL_TEXT,
        "sector": Kind(junk=CHOICE),
    },
    "groups.admin_group_new": {
        "name_th": Kind(text=True, junk=(("taken", "@group"),)),
        "name_en": OPTIONAL_TEXT,
        "description": OPTIONAL_TEXT,
    },
    "groups.admin_group_edit": {
        "name_th": TEXT,
        "name_en": OPTIONAL_TEXT,
        "description": OPTIONAL_TEXT,
    },
    "groups.admin_seat_new": {
        "role": Kind(junk=CHOICE),
        "organisation": Kind(junk=ID_CHOICE),
        "sector": Kind(junk=CHOICE),
        "position": Kind(required=False, junk=INTEGER + (("too big", "10001"),)),
    },
    "groups.admin_seat_edit": {
        "role": Kind(junk=CHOICE),
        "organisation": Kind(junk=ID_CHOICE),
        "sector": Kind(junk=CHOICE),
        "position": Kind(required=False, junk=INTEGER + (("too big", "10001"),)),
    },
    "groups.admin_seat_holder": {
        "holder-email": Kind(required=False,
                             junk=EMAIL + (("nobody's", "nobody@example.org"),)),
    },
    "proposals.new": {
        "title": TEXT,
        "body": TEXT,
        "category": Kind(junk=ID_CHOICE),
        "group": Kind(junk=ID_CHOICE),
    },
    "proposals.edit": {"title": TEXT, "body": TEXT, "category": Kind(junk=ID_CHOICE)},
    "proposals.merge": {
        "into": Kind(junk=ID_CHOICE + (("itself", "@open"), ("a draft", "@draft"))),
    },
    "proposals.category_new": {
        "name_th": TEXT,
        "name_en": OPTIONAL_TEXT,
        "position": Kind(required=False, junk=INTEGER + (("too big", "10001"),)),
    },
    "proposals.category_edit": {
        "name_th": TEXT,
        "name_en": OPTIONAL_TEXT,
        "position": Kind(required=False, junk=INTEGER + (("too big", "10001"),)),
    },
    "comments.add": {
        "body": TEXT,
        "stance": Kind(required=False, junk=CHOICE),
        "parent_id": Kind(required=False,
                          junk=ID_CHOICE + (("another proposal's", "@reply_elsewhere"),)),
    },
    "comments.edit": {"body": TEXT, "stance": Kind(required=False, junk=CHOICE)},
    "votes.open_ballot": {
        "closes_at": Kind(junk=DATETIME),
        "quorum": Kind(required=False, junk=INTEGER + (("zero", "0"), ("over the seats", "99"))),
    },
    "votes.cast": {"choice": Kind(junk=(("maybe", "maybe"), ("400 digits", HUGE)))},
    "votes.close": {"resolution": OPTIONAL_TEXT},
    "decisions.resolution": {"text": TEXT},
    "commitments.create": {
        "title": TEXT,
        "description": OPTIONAL_TEXT,
        "lead_organisation": Kind(junk=ID_CHOICE + (("none chosen", "0"),)),
        "supporters": Kind(required=False, junk=ID_CHOICE),
        "start_date": Kind(junk=DATE),
        "due_date": Kind(junk=DATE + (("before the start", "2000-01-01"),)),
        # A milestone line needs both parts or neither.
        "milestones-0-title": Kind(text=True),
        "milestones-0-due_date": Kind(junk=DATE),
    },
    "commitments.post_progress": {
        "reported_on": Kind(junk=DATE + (("in the future", "@next_year"),)),
        "completion": Kind(junk=CHOICE),
        "percent": Kind(junk=INTEGER + (("over 100", "101"),)),
        "status": Kind(junk=CHOICE),
        "note": OPTIONAL_TEXT,
        "evidence": Kind(required=False, text=True, junk=(
            ("script address", "javascript:alert(1)"), ("not an address", "the report"),
            ("ftp address", "ftp://example.org/report"), ("no host", "https://"),
        )),
        "reason": OPTIONAL_TEXT,
    },
    "commitments.add_milestone": {"title": TEXT, "due_date": Kind(junk=DATE)},
}

NUMBER = (("letters", "abc"), ("overflowing float", "1e309"), ("NaN", "NaN"),
          ("infinity", "-inf"), ("400 digits", HUGE))
KPI_FORM = {
    "name_th": TEXT,
    "name_en": OPTIONAL_TEXT,
    "description": OPTIONAL_TEXT,
    "unit_th": TEXT,
    "unit_en": OPTIONAL_TEXT,
    "direction": Kind(junk=CHOICE),
    "baseline_value": Kind(junk=NUMBER),
    "baseline_start": Kind(junk=DATE),
    "baseline_end": Kind(junk=DATE + (("before the start", "2000-01-01"),)),
    "target_value": Kind(junk=NUMBER),
    "target_date": Kind(junk=DATE + (("before the baseline", "2024-06-01"),)),
    "rule": Kind(junk=CHOICE),
    "station": Kind(junk=ID_CHOICE),
    "district": Kind(junk=ID_CHOICE),
    "owners": Kind(required=False, junk=ID_CHOICE),
    "commitments": Kind(required=False, junk=ID_CHOICE),
}
FORMS.update({
    "kpis.create": KPI_FORM,
    "kpis.edit": KPI_FORM,
    "kpis.record_measurement": {
        "period_start": Kind(junk=DATE + (("in the future", "@next_year"),)),
        "value": Kind(junk=NUMBER),
        "source": TEXT,
        "evidence_url": Kind(text=True, junk=(
            ("script address", "javascript:alert(1)"), ("not an address", "the report"),
            ("ftp address", "ftp://example.org/report"), ("no host", "https://"),
        )),
    },
    "environment.upload": {
        "kind": Kind(junk=CHOICE),
        # The "list, empty first" case also sends the valid file, which is then accepted,
        # so the required cases are listed by hand.
        "file": Kind(required=False, junk=(("text instead of a file", "pm25.csv"),
                                           ("empty", ""), ("missing", MISSING))),
    },
})

# Answers lane (before PACKAGES below, which is read when the module loads).
FORMS.update({
    "proposals.assign_agency": {"agency": Kind(junk=ID_CHOICE)},
    "answers.answer": {
        "answer-state": Kind(junk=CHOICE),
        "answer-body": TEXT,
        "answer-referred_to": Kind(required=False, junk=ID_CHOICE),
        "answer-merged_into": Kind(required=False, junk=ID_CHOICE + (
            ("itself", "@answerable"), ("a draft", "@draft"))),
    },
})

# Volunteering lane (before PACKAGES below, which is read when the module loads).
TASK_FORM = {
    "title": TEXT,
    "description": OPTIONAL_TEXT,
    "place": TEXT,
    "starts_at": Kind(junk=DATETIME),
    # "in the past" here is also before the start.
    "ends_at": Kind(junk=DATETIME),
    "capacity": Kind(junk=INTEGER + (("zero", "0"), ("too big", "10001"))),
}
FORMS.update({
    "volunteering.create": TASK_FORM,
    # The world's task has two people signed up: one place is too few.
    "volunteering.edit": {**TASK_FORM, "capacity": Kind(
        junk=INTEGER + (("zero", "0"), ("too big", "10001"), ("fewer than signed up", "1")))},
})

# Votes lane (before PACKAGES below, which is read when the module loads): the groups' deadlines,
# deputies, the options of a ballot and the reason of a vote.
GROUP_SETTINGS = {
    "answer_days": Kind(junk=INTEGER + (("zero", "0"), ("too big", "366"))),
    "dispute_days": Kind(junk=INTEGER + (("zero", "0"), ("too big", "366"))),
    "reminder_hours": Kind(junk=INTEGER + (("zero", "0"), ("too big", "721"))),
}
# The world's group has one civil-society voting seat and no citizens' seat.
SECTOR_MINIMUMS = {
    f"quorum_{sector}": Kind(required=False, junk=INTEGER + (("over the sector's seats", over),))
    for sector, over in (("government", "9"), ("civil_society", "2"), ("private_sector", "2"),
                         ("academia", "2"), ("citizen", "1"))
}
FORMS.update({
    "groups.admin_group_new": {**FORMS["groups.admin_group_new"], **GROUP_SETTINGS},
    "groups.admin_group_edit": {**FORMS["groups.admin_group_edit"], **GROUP_SETTINGS},
    "groups.admin_seat_deputy": {
        "deputy-email": Kind(required=False, junk=EMAIL + (
            ("nobody's", "nobody@example.org"), ("a seat holder's", "@voting_member"),
            ("another seat's deputy", "@deputy"))),
    },
    "votes.open_ballot": {
        **FORMS["votes.open_ballot"],
        "kind": Kind(required=False, junk=CHOICE),
        "reasons": Kind(required=False, junk=CHOICE),
        **SECTOR_MINIMUMS,
    },
    "votes.cast": {
        "choice": Kind(junk=(("maybe", "maybe"), ("400 digits", HUGE),
                             ("block on a yes/no ballot", "block"))),
        "reason": OPTIONAL_TEXT,
    },
})

# Evaluations lane (before PACKAGES below, which is read when the module loads): reviews,
# answers to disputes, assessments, milestone completion and weights. The world's commitment
# has a milestone, so its progress form no longer takes a percent (it is rolled up).
WEB_ADDRESS_JUNK = (("script address", "javascript:alert(1)"), ("not an address", "the report"),
                    ("ftp address", "ftp://example.org/report"), ("no host", "https://"))
FORMS.update({
    "commitments.post_progress": {
        name: kind for name, kind in FORMS["commitments.post_progress"].items()
        if name != "percent"
    },
    # The world's milestone is not started: choosing that again changes nothing.
    "commitments.milestone_completion": {
        "completion": Kind(junk=CHOICE + (("unchanged", "not_started"),)),
    },
    # One milestone: its weight must be exactly 1.
    "commitments.weights": {
        "shares": Kind(junk=CHOICE),
        "weights-0": Kind(junk=(
            ("letters", "abc"), ("over 1", "1.5"), ("negative", "-0.1"),
            ("four decimals", "0.9999"), ("NaN", "NaN"), ("infinity", "inf"),
            ("400 digits", HUGE), ("not summing to 1", "0.5"), ("comma decimal", "0,5"),
        )),
    },
    "evaluations.review": {
        "kind": Kind(junk=(("maybe", "maybe"), ("400 digits", HUGE), ("upper case", "CONFIRM"))),
        "comment": TEXT,
        "evidence_url": Kind(required=False, text=True, junk=WEB_ADDRESS_JUNK),
    },
    "evaluations.answer": {"answer": TEXT},
    # The world's agency contact may record only a self-assessment.
    "evaluations.assess": {
        "kind": Kind(junk=CHOICE + (("not theirs", "independent"),)),
        "assessed_on": Kind(junk=DATE + (("in the future", "@next_year"),)),
        "completion": Kind(junk=CHOICE),
        "opened_government": Kind(junk=CHOICE),
        "explanation": TEXT,
    },
})

# Edit forms are filled from the row: a field left out of the request keeps its current value
# (WTForms falls back to the form's data), so leaving fields out is no error there.
PREFILLED = frozenset({
    "accounts.account", "accounts.admin_user", "accounts.admin_organisation_edit",
    "groups.admin_group_edit", "groups.admin_seat_edit", "proposals.category_edit",
})
# Every field is optional: closing a ballot needs no resolution, an empty holder makes the seat
# vacant (it is already).
EMPTY_IS_VALID = frozenset({"votes.close", "groups.admin_seat_holder"})
# Votes lane: an empty deputy removes the deputy (the seat has none).
EMPTY_IS_VALID |= {"groups.admin_seat_deputy"}

# Two-factor lane: codes that cannot be right, a set-up key that is not signed, and roles that
# do not exist. No role required is a valid answer (it is the world's state).
TWO_FACTOR_CODE = (("letters", "abcdef"), ("five digits", "12345"), ("seven digits", "1234567"),
                   ("400 digits", HUGE), ("recovery code that was never made", "zzzz-zzzz"))
TWO_FACTOR_PROOF = {"code": Kind(required=False, junk=TWO_FACTOR_CODE),
                    "password": Kind(required=False, junk=(("wrong", "not the password"),))}
FORMS.update({
    "accounts.two_factor_setup": {
        "token": Kind(junk=(("not signed", "abc.def.ghi"), ("400 digits", HUGE))),
        "code": Kind(junk=TWO_FACTOR_CODE),
    },
    "accounts.two_factor_login": {"code": Kind(junk=TWO_FACTOR_CODE)},
    "accounts.two_factor_recovery_codes": {
        f"regenerate-{name}": kind for name, kind in TWO_FACTOR_PROOF.items()},
    "accounts.two_factor_disable": {
        f"disable-{name}": kind for name, kind in TWO_FACTOR_PROOF.items()},
    "accounts.admin_two_factor": {"roles": Kind(required=False, junk=CHOICE)},
})
EMPTY_IS_VALID |= {"accounts.admin_two_factor"}


# Every odd text goes into the first text field of a form; the other text fields, which take
# the same path through the form, get the one the server decodes (into U+FFFD) itself.
ODD_TEXT_ELSEWHERE = ("encoded lone surrogate",)


def cases(endpoint: str) -> Iterator[Case]:
    fields = FORMS[endpoint]
    lenient = endpoint in PREFILLED or endpoint in EMPTY_IS_VALID
    first_text = next((name for name, kind in fields.items() if kind.text), None)
    yield Case("empty body", None, None, must_refuse=not lenient)
    for name, kind in fields.items():
        for label, value in kind.junk:
            yield Case(label, name, value)
        if kind.required:
            yield Case("missing", name, MISSING, must_refuse=endpoint not in PREFILLED)
            yield Case("empty", name, "")
            yield Case("blank", name, " \t\r\n ")
            yield Case("list, empty first", name, ["", "valid"])
        if kind.text:
            yield Case("60,000 characters", name, TOO_LONG)
            yield Case(NUL[0], name, NUL[1])
            if name == first_text:
                yield Case("1,000,000 characters", name, MEGABYTE)
            for label, value in ODD_TEXT:
                if name == first_text or label in ODD_TEXT_ELSEWHERE:
                    yield Case(label, name, value, must_refuse=False)
            yield Case("list, valid first", name, ["A valid line", TOO_LONG],
                       must_refuse=False)
        else:
            yield Case("list, junk first", name, ["junk", "1"])


def resolve(value: Any, world: World, valid: Any) -> Any:
    """Fill in the values that depend on the world ("@name")."""
    if isinstance(value, list):
        return [valid if item == "valid" else item for item in value]
    if not isinstance(value, str) or not value.startswith("@"):
        return value
    name = value[1:]
    if name in world.emails:
        return world.emails[name]
    if name == "lead_organisation":
        return world.lead_organisation_name
    if name == "group":
        return world.group_name
    if name in world.proposals:
        return str(world.proposals[name])
    if name == "reply_elsewhere":
        return str(world.comments["elsewhere"])
    if name == "next_year":
        return day_from_today(366)
    raise KeyError(value)


def body_of(payload: dict[str, Any]) -> tuple[Any, str | None]:
    """The request body: a dict for the test client, or url-encoded bytes when raw bytes are
    to be sent as they are."""
    if not any(isinstance(value, Raw) for value in payload.values()):
        return payload, None
    parts = []
    for key, value in payload.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            encoded = item.encoded if isinstance(item, Raw) else quote_plus(str(item))
            parts.append(f"{quote_plus(key)}={encoded}")
    return "&".join(parts).encode("ascii"), "application/x-www-form-urlencoded"


def flashed(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def shows_an_error(response, client) -> bool:
    """The person sees why: an error beside a field or above the form, an error message
    flashed on the page they are sent to, or an error page."""
    if response.status_code in (400, 404, 413):
        return True
    if response.status_code == 200:
        return 'class="error"' in response.text or 'class="form-errors"' in response.text
    if response.status_code == 302:
        return any(category == "error" for category, _ in flashed(client))
    return False


def stored_nul(before, after) -> list[str]:
    tables = []
    for name in changed_tables(before, after):
        for row in after[name]:
            if any(isinstance(value, str) and "\x00" in value for value in row):
                tables.append(name)
                break
    return tables


def post_case(client, world: World, endpoint: str, case: Case, before) -> str | None:
    route = ROUTES[endpoint]
    role = acting_role(endpoint)
    payload = dict(route.payload(world, role))
    if case.field is None:
        payload = {}
    elif case.value is MISSING:
        payload.pop(case.field, None)
    else:
        payload[case.field] = resolve(case.value, world, payload.get(case.field, ""))
    data, content_type = body_of(payload)
    with tried(before) as effect:
        browse_as(client, world.user(role))
        try:
            kwargs = {"content_type": content_type} if content_type else {}
            response = client.post(route.url(world), data=data, **kwargs)
        except Exception as error:  # noqa: BLE001 - the test client raises what would be a 500
            return f"500 ({type(error).__name__}: {str(error)[:200]})"
        error_shown = shows_an_error(response, client)
    status, changed = response.status_code, effect.changed
    if status >= 500:
        return f"{status}"
    if changed and stored_nul(before, effect.after):
        return f"stored a NUL byte in {stored_nul(before, effect.after)}"
    if case.must_refuse:
        if changed:
            return f"accepted ({status}) and changed {changed}"
        if not error_shown:
            location = urlsplit(response.headers.get("Location", "")).path
            return f"refused without telling why ({status} {location})"
    elif changed and status != 302:
        return f"changed {changed} but answered {status}"
    return None


@pytest.fixture
def quick_passwords(monkeypatch):
    """No junk here logs anyone in: spare the deliberately slow argon2 on every request."""
    monkeypatch.setattr(account_services, "verify_password", lambda _hash, _password: False)
    monkeypatch.setattr(account_services, "hash_password", lambda _password: password_hash())


# Mail lane (before PACKAGES below): a person's e-mail settings.
FORMS["mail.preferences"] = {
    "email_mode": Kind(junk=CHOICE),
    "language": Kind(junk=CHOICE + (("French", "fr"),)),
}

# Minutes lane (before PACKAGES below): the minutes of every agenda item with who took them,
# the later meeting that approves them, and a correction of approved minutes.
FORMS.update({
    "minutes.edit": {
        "minutes_taker": Kind(junk=ID_CHOICE),
        "items-0-item_id": Kind(junk=ID_CHOICE),
        "items-0-minutes": OPTIONAL_TEXT,
    },
    "minutes.approve": {"at_meeting": Kind(junk=ID_CHOICE)},
    "minutes.correct": {"text": TEXT},
})


# Meetings lane (before PACKAGES below): a meeting's details, its cancellation, agenda items
# (a proposal only under item 3, and only one of the group's that is not a draft or
# withdrawn), moving an item, and the attendance of every seat: the first seat (the chair's)
# has no deputy, the last is vacant.
MEETING_FORM = {
    "title": TEXT,
    "starts_at": Kind(junk=DATETIME),
    # "in the past" here is also before the start.
    "ends_at": Kind(required=False, junk=DATETIME),
    "place": OPTIONAL_TEXT,
    "online_url": Kind(required=False, text=True, junk=WEB_ADDRESS_JUNK),
    "guests": OPTIONAL_TEXT,
}
AGENDA_ITEM_FORM = {
    "section": Kind(junk=CHOICE + (("zero", "0"), ("five", "5"), ("negative", "-1"),
                                   ("overflowing float", "1e309"))),
    "title": TEXT,
    "description": OPTIONAL_TEXT,
    "proposal": Kind(required=False, junk=ID_CHOICE + (("a draft", "@draft"),
                                                       ("withdrawn", "@withdrawn"))),
}
FORMS.update({
    "meetings.schedule": MEETING_FORM,
    "meetings.edit": MEETING_FORM,
    "meetings.cancel": {"reason": TEXT},
    "meetings.add_item": AGENDA_ITEM_FORM,
    "meetings.edit_item": {
        **AGENDA_ITEM_FORM,
        # The item brings the proposal under consideration: it stays under item 3.
        "section": Kind(junk=AGENDA_ITEM_FORM["section"].junk + (("another section", "2"),)),
        "resolution": OPTIONAL_TEXT,
    },
    "meetings.move_item": {"direction": Kind(junk=CHOICE + (("sideways", "left"),))},
    "meetings.attendance": {
        "seats-0-seat_id": Kind(junk=ID_CHOICE),
        "seats-0-status": Kind(junk=CHOICE + (("a deputy the seat lacks", "deputy"),)),
        "seats-0-note": OPTIONAL_TEXT,
        "seats-6-status": Kind(junk=(("present in a vacant seat", "present"),)),
    },
})


# E-mail lane (before PACKAGES below): asking for a reset link, choosing a new password with
# it, and changing the address (which needs the current password).
FORMS.update({
    "accounts.forgot_password": {"email": Kind(junk=EMAIL)},
    "accounts.reset_password": {
        "password": Kind(junk=(("too short", "short"), ("too long", "x" * 300))),
        "confirm": Kind(junk=(("different", "another password entirely"),)),
    },
    "accounts.change_email": {
        "email": Kind(junk=EMAIL + (("taken", "@participant"),)),
        "password": Kind(junk=(("wrong", "wrong password"),)),
    },
})


# Privacy lane: agreeing to the privacy notice (everyone in the world already has).
FORMS["privacy.consent"] = {"consent": Kind(junk=CONSENT_JUNK)}

# Privacy lane B2 (before PACKAGES below): erasing one's account takes the password and a
# ticked box; anything else erases nothing.
FORMS["privacy.erase"] = {
    "password": Kind(junk=(("wrong", "wrong password"), ("too long", "x" * 300))),
    "confirm": Kind(junk=CONSENT_JUNK + (("yes", "yes"), ("on", "on"))),
}


# Moderation lane A2 (before PACKAGES below): blocking an account, and the moderator role.
FORMS.update({
    "moderation.block": {
        "reason": Kind(junk=CHOICE + (("another reason", "other"),)),
        "days": Kind(junk=INTEGER + (("zero", "0"), ("over a year", "366"))),
    },
    "accounts.admin_set_moderator": {
        "is_moderator": Kind(junk=(("two", "2"), ("letters", "yes"), ("400 digits", HUGE))),
    },
})


# Moderation lane A1 (before PACKAGES below): reporting a proposal, and hiding a reported
# comment (readers see the reason, so "another reason" is refused).
FORMS.update({
    "moderation.report": {"reason": Kind(junk=CHOICE), "note": OPTIONAL_TEXT},
    "moderation.hide": {"reason": Kind(junk=CHOICE + (("another reason", "other"),))},
})


PACKAGES = sorted({endpoint.split(".")[0] for endpoint in FORMS})


# One test per package's forms, all on the module's one world; every request is undone.
@pytest.mark.parametrize("package", PACKAGES)
def test_junk_is_refused_with_a_message_and_changes_nothing(
    package, world, client, quick_passwords
):
    before = fingerprint()
    problems = []
    for endpoint in sorted(FORMS):
        if endpoint.split(".")[0] != package:
            continue
        for case in cases(endpoint):
            problem = post_case(client, world, endpoint, case, before)
            if problem:
                problems.append(
                    f"{endpoint} as {acting_role(endpoint)}: {case.field or '-'} = "
                    f"{case.label}: {problem}"
                )
    assert not problems, "\n".join(problems)


def test_every_form_route_is_tried_with_junk(app):
    """Each route that reads a form is in the table above (the others take no input)."""
    without_input = {"accounts.logout", "groups.admin_seat_remove", "proposals.open_for_comment",
                     "proposals.start_consideration", "proposals.withdraw", "proposals.support",
                     "proposals.withdraw_support", "comments.delete"}
    without_input.add("accountability.publish")  # checkpoints lane: a button, no fields
    without_input |= {"volunteering.sign_up", "volunteering.withdraw"}  # volunteering lane
    without_input |= {"notifications.follow", "notifications.unfollow",  # following lane
                      "notifications.read", "notifications.read_all"}
    without_input.add("mail.unsubscribe")  # mail lane: the token is in the address
    without_input.add("minutes.publish")  # minutes lane: a button, no fields
    without_input |= {"meetings.mark_held", "meetings.remove_item"}  # meetings lane: buttons
    without_input |= {"accounts.resend_verification", "accounts.end_sessions"}  # e-mail lane
    without_input.add("moderation.unblock")  # moderation lane A2: a button, no fields
    without_input |= {"moderation.restore", "moderation.dismiss"}  # moderation lane A1
    assert set(FORMS) | without_input == set(ROUTES)
    assert not set(FORMS) & without_input


def test_an_id_beyond_any_row_is_not_found(world, client):
    """Ids in addresses that no row can have: 404 and nothing changed, never an overflow."""
    before = fingerprint()
    problems = []
    for endpoint, route in sorted(ROUTES.items()):
        url = route.url(world)
        role = acting_role(endpoint)
        for huge in ("2147483648", "9223372036854775808", HUGE):
            spoiled = "/".join(huge if part.isdigit() else part for part in url.split("/"))
            if spoiled == url:
                continue
            with tried(before) as effect:
                browse_as(client, world.user(role))
                try:
                    response = client.post(spoiled, data=route.payload(world, role))
                except Exception as error:  # noqa: BLE001 - what would be a 500
                    problems.append(f"{endpoint} {huge[:20]}: {type(error).__name__}")
                    continue
            if response.status_code != 404 or effect.changed:
                problems.append(
                    f"{endpoint} {huge[:20]}: {response.status_code} {effect.changed}"
                )
    assert not problems, "\n".join(problems)


LIST_JUNK = (
    "page=abc", "page=-1", "page=0", f"page={HUGE}", "page=9223372036854775808",
    "page=2147483648", "q=%00", "q=" + "x" * 5000, "q=%ED%A0%80", "category=abc",
    f"category={HUGE}", "state=unknown", "sector=%00", "sort=%FF", f"subject_id={HUGE}",
    "verb=%00", "subject_type=proposal&subject_id=-1", "lang=%00",
)


@pytest.mark.parametrize(
    "path", ["/proposals", "/decisions", "/commitments", "/log", "/admin/users", "/", "/search",
             "/meetings"],
)
def test_junk_in_list_addresses_never_breaks_a_page(path, world, client):
    browse_as(client, world.users["admin"])
    problems = []
    for query in LIST_JUNK:
        try:
            response = client.get(f"{path}?{query}")
        except Exception as error:  # noqa: BLE001 - the test client raises what would be a 500
            problems.append(f"{query[:60]}: 500 ({type(error).__name__}: {str(error)[:200]})")
            continue
        if response.status_code != 200:
            problems.append(f"{query[:60]}: {response.status_code}")
    assert not problems, f"{path}:\n" + "\n".join(problems)
