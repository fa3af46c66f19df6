"""The deployment files say what the application does: every setting, its limits, its headers,
its commands and its secret links."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from participation import config, create_app
from participation.core.headers import SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX = (DEPLOY / "nginx" / "ruam.conf").read_text()


@pytest.fixture(scope="module")
def site():
    return create_app({"ENV": "testing", "DATABASE_URL": "sqlite://"})


@pytest.fixture(scope="module")
def gunicorn_conf():
    spec = importlib.util.spec_from_file_location("ruam_gunicorn_conf", DEPLOY / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_environment_file_lists_every_setting_the_application_reads_and_no_other():
    example = (DEPLOY / "ruam.env.example").read_text()
    listed = set(re.findall(r"^#?PARTICIPATION_([A-Z0-9_]+)=", example, re.MULTILINE))

    assert listed == set(config.DEFAULTS)
    # Each with a comment line just above it.
    lines = example.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"#?PARTICIPATION_", line):
            above = lines[number - 1]
            assert above.startswith("# ") or re.match(r"#?PARTICIPATION_", above), line


def _body_limit(text: str) -> int:
    size = re.fullmatch(r"(\d+)([km]?)", text)
    return int(size[1]) * {"": 1, "k": 1024, "m": 1024 * 1024}[size[2]]


def test_nginx_takes_the_largest_requests_the_application_takes():
    limits = re.findall(r"client_max_body_size (\S+);", NGINX)
    upload = re.search(r"location = /data/import \{\s*client_max_body_size (\S+);", NGINX)

    everywhere = _body_limit(limits[0])
    assert everywhere == config.DEFAULTS["MAX_CONTENT_LENGTH"]
    # The upload view allows its limit plus 8 KB for the form's other fields.
    assert _body_limit(upload[1]) >= config.DEFAULTS["DATA_UPLOAD_MAX_BYTES"] + 8 * 1024


def test_static_files_from_nginx_carry_the_applications_security_headers():
    static = NGINX[NGINX.index("location /static/"):]
    static = static[:static.index("\n    }\n")]
    sent = dict(re.findall(r'add_header (\S+) "([^"]*)" always;', static))

    assert sent == {**SECURITY_HEADERS, "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY}


def _secret_link_prefixes(site) -> set[str]:
    """The fixed start of every route with a secret token in its path."""
    return {
        rule.rule.split("/<", 1)[0] for rule in site.url_map.iter_rules()
        if "token" in rule.arguments
    }


def test_the_access_logs_leave_out_every_secret_link(site, gunicorn_conf):
    prefixes = _secret_link_prefixes(site)
    nginx_map = re.search(r"~\^/\(\?<secret_link>([^)]*)\)/", NGINX)[1]

    assert prefixes == {"/verify", "/password/reset", "/unsubscribe"}
    assert {f"/{name}" for name in nginx_map.split("|")} == prefixes
    for prefix in prefixes:
        assert gunicorn_conf.private_path(f"{prefix}/s3cret") == f"{prefix}/[hidden]"
    assert gunicorn_conf.private_path("/proposals/7") == "/proposals/7"
    # No network address in gunicorn's access lines; nginx's format has none either.
    assert "%(h)s" not in gunicorn_conf.access_log_format
    log_format = NGINX[NGINX.index("log_format ruam_private"):]
    assert "$remote_addr" not in log_format[:log_format.index(";")]


def test_the_periodic_commands_are_commands_of_the_application(site):
    units = DEPLOY / "systemd"
    run = [command for unit in units.glob("*.service") for command in re.findall(
        r"^ExecStart=-?\S+/flask --app participation (\S+)", unit.read_text(), re.MULTILINE
    )]
    timed = [timer.name.removeprefix("ruam-task@").removesuffix(".timer")
             for timer in units.glob("ruam-task@*.timer")]

    assert {"check-deadlines", "publish-checkpoint", "verify-log", "send-notifications"} <= set(run)
    assert set(timed) == {"send-notifications", "close-due-ballots"}
    for command in run + timed:
        if command != "%i":
            assert command in site.cli.commands, command
