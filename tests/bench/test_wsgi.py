"""The load run's application: production settings from the environment, and a ceiling route
that goes through everything a page goes through."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SERVE_THE_CEILING = textwrap.dedent(
    """
    import json

    from bench.wsgi import app

    answer = app.test_client().get("/bench/ceiling")
    print(json.dumps({"env": app.config["ENV"], "status": answer.status_code,
                      "body": answer.text, "headers": dict(answer.headers)}))
    """
)


def test_the_ceiling_is_a_constant_string_served_like_a_public_page(tmp_path: Path):
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PARTICIPATION_")}
    environment.update(
        PARTICIPATION_ENV="production",
        PARTICIPATION_SECRET_KEY="s" * 64,
        PARTICIPATION_DATABASE_URL=f"sqlite:///{tmp_path / 'unused.db'}",
        PARTICIPATION_SIGNING_KEY_FILE=str(tmp_path / "signing-key.pem"),
    )
    done = subprocess.run(
        [sys.executable, "-c", SERVE_THE_CEILING], capture_output=True, text=True, check=True,
        env=environment, cwd=Path(__file__).parents[2],
    )
    answer = json.loads(done.stdout.splitlines()[-1])

    assert answer["env"] == "production"
    assert (answer["status"], answer["body"]) == (200, "ceiling\n")
    headers = answer["headers"]
    # The same after-request hooks as every page: security headers, language, shared caching.
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Content-Language"] == "th"
    assert headers["Cache-Control"].startswith("public")
    assert "ETag" in headers
