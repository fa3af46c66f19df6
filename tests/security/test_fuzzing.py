"""Property-based fuzzing of every form with Hypothesis: whatever is posted, never a 500.

For every form the junk-input test knows (its FORMS table, the route table and the security
world are reused), Hypothesis builds requests from the valid payload by spoiling some fields:
text of any Unicode (Thai, control characters, NUL, right-to-left marks), lengths around the
limits and far beyond, bytes that are not UTF-8, integers and numbers out of range, malformed
dates and times, values outside the choices, fields left out, fields sent twice, fields the
form does not have (is_admin, author_id...), and for the data upload, files of any content.
Each request is posted as a person allowed to use the form, then undone.

The properties: the answer is never a server error; a request that is refused (an error shown
beside a field, flashed, or an error page) changes no row; a request that changes rows answers
with a redirect and stores no NUL byte.

Reproducible: derandomised, without the example database. PARTICIPATION_FUZZ_EXAMPLES
(environment) sets the examples per form for a deeper local run."""

from __future__ import annotations

import os
from io import BytesIO
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.routes import ROUTES, acting_role
from tests.security.test_junk_input import (
    CHOICE,
    DATE,
    DATETIME,
    EMAIL,
    FORMS,
    ID_CHOICE,
    INTEGER,
    MISSING,
    NUMBER,
    Kind,
    Raw,
    body_of,
    quick_passwords,  # noqa: F401 - a fixture used below
    shows_an_error,
    stored_nul,
)
from tests.security.world import World, browse_as, fingerprint, tried

EXAMPLES = int(os.environ.get("PARTICIPATION_FUZZ_EXAMPLES", "12"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Lengths just under, at and over the limits the forms and services have (titles of 200 and
# 300 characters, names of 255, bodies of MAX_BODY_LENGTH = 50,000) and the 1 MB request cap.
BOUNDARY_LENGTHS = (199, 200, 201, 255, 256, 300, 301, 2_000, 49_999, 50_000, 50_001)
SPECIAL_TEXT = ("", " ", " \t\r\n ", "\x00", "a\x00b", "\u202eabc", "\ufeff", "\u200b",
                "ก\u0e31\u0e49\u0e49\u0e49", "💨" * 40, "<script>alert(1)</script>", "{{7*7}}",
                "' OR 1=1 --", "%s%s%n", "../../etc/passwd", "null", "None", "true", "[]")

thai = st.text(alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F), max_size=40)
any_text = st.text(max_size=60)  # every code point but surrogates: controls, NUL, combining
long_text = st.builds(lambda n, c: c * n, st.sampled_from(BOUNDARY_LENGTHS),
                      st.sampled_from(("x", "ก", "😷", " ")))
huge_text = st.just("x" * 1_100_000)  # over MAX_CONTENT_LENGTH: a 413 is a fine answer
raw_bytes = st.binary(min_size=1, max_size=24).map(lambda data: Raw(quote_from_bytes(data)))
TEXT = st.one_of(any_text, thai, st.sampled_from(SPECIAL_TEXT), long_text, huge_text)

digits = st.integers(min_value=-(2**80), max_value=2**80).map(str)
floats = st.floats(allow_nan=True, allow_infinity=True).map(str)
numberish = st.from_regex(r"\A[-+0-9.,eE _]{0,14}\Z")
INTEGER_VALUES = st.one_of(digits, st.integers(-3, 10_002).map(str), floats, numberish,
                           any_text)
ID_VALUES = st.one_of(digits, st.sampled_from(("0", "-1", "2147483648", "9223372036854775808")),
                      floats, any_text)


def _date(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


malformed_dates = st.builds(_date, st.integers(0, 99_999), st.integers(0, 99), st.integers(0, 99))
DATE_VALUES = st.one_of(st.dates().map(lambda day: day.isoformat()), malformed_dates,
                        st.from_regex(r"\A[0-9/.\- ]{0,12}\Z"), any_text)
DATETIME_VALUES = st.one_of(
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    st.builds(lambda day, hour, minute: f"{day}T{hour:02d}:{minute:02d}",
              malformed_dates, st.integers(0, 99), st.integers(0, 99)),
    st.datetimes().map(lambda moment: moment.isoformat()),
    DATE_VALUES,
)
EMAIL_VALUES = st.one_of(st.emails().map(str), st.from_regex(r"\A[^@]{0,10}@?[^@]{0,10}\Z"),
                         long_text.map(lambda text: text + "@example.org"), any_text)
CHOICE_VALUES = st.one_of(st.sampled_from(("", "0", "1", "none", "None", "y", "on", "true")),
                          any_text, thai)

# Forms that answer an accepted request with a page of their own rather than a redirect: the
# data upload shows its import report (new rows, rows set aside and why) on the upload page.
REPORT_PAGES = frozenset({"environment.upload"})
# Two-factor lane: turning two-factor authentication on, or making new recovery codes, shows the
# codes in the answer itself, once (a redirect would have to store them somewhere to show).
REPORT_PAGES |= {"accounts.two_factor_setup", "accounts.two_factor_recovery_codes"}

# Fields no form has, that a tampering client might hope the server assigns.
SMUGGLED_FIELDS = ("id", "user_id", "author_id", "is_admin", "state", "group_id", "voter_id",
                   "support_count", "email_verified_at", "session_version", "csrf_token")


def values_for(name: str, kind: Kind | None) -> st.SearchStrategy[Any]:
    """The values to try in one field, from what the junk table says the field is."""
    junk = set(kind.junk) if kind else set()
    if set(INTEGER) <= junk or set(NUMBER) <= junk:
        return INTEGER_VALUES
    if set(DATETIME) <= junk:
        return DATETIME_VALUES
    if set(DATE) <= junk:
        return DATE_VALUES
    if set(ID_CHOICE) <= junk:
        return ID_VALUES
    if set(EMAIL) <= junk or "email" in name:
        return EMAIL_VALUES
    if set(CHOICE) <= junk:
        return CHOICE_VALUES
    if kind is not None and kind.text:
        return st.one_of(TEXT, raw_bytes)
    return st.one_of(CHOICE_VALUES, INTEGER_VALUES, TEXT)


csv_cells = st.one_of(st.sampled_from(("37t", "", "2026-03-01T01:00", "41.5", "-1", "NaN",
                                       "1e309", "=HYPERLINK(\"x\")", "\"", "x" * 300)),
                      any_text.filter(lambda text: "\n" not in text and "\r" not in text))
csv_files = st.builds(
    lambda header, rows: (header + "\n" + "\n".join(",".join(row) for row in rows)).encode(),
    st.sampled_from(("station_id,timestamp,pm25", "timestamp,pm25", "", "a,b,c,d")),
    st.lists(st.lists(csv_cells, min_size=0, max_size=5), max_size=6),
)
FILES = st.builds(
    lambda content, name: (BytesIO(content), name),
    st.one_of(csv_files, st.binary(max_size=200)),
    st.sampled_from(("pm25.csv", "pm25.txt", "", "../../pm25.csv", "pm25.csv.exe", "ก.csv")),
)


@st.composite
def requests(draw: st.DrawFn, endpoint: str, valid: dict[str, Any]) -> dict[str, Any]:
    """A request body: the valid payload with each field kept, spoiled, left out or doubled,
    and perhaps fields the form does not have."""
    fields = FORMS[endpoint]
    payload: dict[str, Any] = {}
    has_file = any(isinstance(value, tuple) for value in valid.values())
    for name in sorted(set(valid) | set(fields)):
        current = valid.get(name, MISSING)
        if isinstance(current, tuple):  # a file
            choice = draw(st.sampled_from(("keep", "fuzz", "missing", "text")))
            if choice == "keep":
                payload[name] = current
            elif choice == "fuzz":
                payload[name] = draw(FILES)
            elif choice == "text":
                payload[name] = draw(any_text)
            continue
        values = values_for(name, fields.get(name))
        if has_file:  # multipart: no raw url-encoded bytes
            values = values.filter(lambda value: not isinstance(value, Raw))
        choice = draw(st.sampled_from(("keep", "fuzz", "fuzz", "missing", "twice")))
        if choice == "keep" and current is not MISSING:
            payload[name] = current
        elif choice == "fuzz":
            payload[name] = draw(values)
        elif choice == "twice":
            spoiled = draw(values)
            fallback = "" if current is MISSING else current
            order = draw(st.booleans())
            payload[name] = [spoiled, fallback] if order else [fallback, spoiled]
    smuggled = draw(st.dictionaries(st.sampled_from(SMUGGLED_FIELDS),
                                    st.one_of(digits, st.sampled_from(("1", "y", "open"))),
                                    max_size=2))
    for name, value in smuggled.items():
        payload.setdefault(name, value)
    return payload


def describe(payload: dict[str, Any]) -> str:
    def short(value: Any) -> str:
        text = repr(value)
        return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"

    return ", ".join(f"{name}={short(value)}" for name, value in payload.items()) or "(empty)"


def post(client, world: World, endpoint: str, payload: dict[str, Any], before) -> str | None:
    """Post one fuzzed request as the acting role, undo it, and say what went wrong, if
    anything."""
    route = ROUTES[endpoint]
    data, content_type = body_of(payload)
    with tried(before) as effect:
        browse_as(client, world.user(acting_role(endpoint)))
        try:
            kwargs = {"content_type": content_type} if content_type else {}
            response = client.post(route.url(world), data=data, **kwargs)
        except Exception as error:  # noqa: BLE001 - the test client raises what would be a 500
            return f"500 ({type(error).__name__}: {str(error)[:300]})"
        refused = shows_an_error(response, client)
    status, changed = response.status_code, effect.changed
    if status >= 500:
        return f"{status}"
    if changed and endpoint in REPORT_PAGES:
        if status != 200:
            return f"changed {changed} but answered {status}"
    elif changed and refused:
        return f"refused ({status}) but changed {changed}"
    elif changed and status != 302:
        return f"changed {changed} but answered {status}"
    if changed and stored_nul(before, effect.after):
        return f"stored a NUL byte in {stored_nul(before, effect.after)}"
    return None


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_fuzzed_form_never_fails_and_a_refusal_changes_nothing(
    endpoint, world, client, quick_passwords  # noqa: F811 - the fixture imported above
):
    before = fingerprint()
    role = acting_role(endpoint)
    tried_payloads = []

    @FUZZ_SETTINGS
    @given(data=st.data())
    def post_anything(data: st.DataObject) -> None:
        valid = ROUTES[endpoint].payload(world, role)
        payload = data.draw(requests(endpoint, valid), label="payload")
        tried_payloads.append(payload)
        problem = post(client, world, endpoint, payload, before)
        assert problem is None, f"{endpoint} as {role}: {problem}\n{describe(payload)}"

    post_anything()
    # Hypothesis ran the examples it was asked for: the property was really checked.
    assert len(tried_payloads) >= min(EXAMPLES, 5)
