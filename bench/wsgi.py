"""The application as the load run serves it: production settings plus a ceiling route.

    gunicorn -c deploy/gunicorn.conf.py bench.wsgi:app

`app` is `create_app()` with its settings from the PARTICIPATION_* environment, as in
production, plus `/bench/ceiling`: a constant string that goes through the same server, the
same request and response hooks (language, security and cache headers) and the same access
log as every page, so its requests per second are the most any page could reach on this
machine. bench/load.py reports each page as a share of it.
"""

from __future__ import annotations

from participation import create_app

CEILING_PATH = "/bench/ceiling"
CEILING_BODY = "ceiling\n"

app = create_app()


def ceiling() -> str:
    """Return a constant string: the cheapest answer the application can give."""
    return CEILING_BODY


app.add_url_rule(CEILING_PATH, "bench_ceiling", ceiling)
