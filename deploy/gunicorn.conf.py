"""Gunicorn settings for one Ruam app server: `gunicorn -c deploy/gunicorn.conf.py`.

Sized for a 2-core machine behind nginx (deploy/nginx/ruam.conf). Command-line flags and
GUNICORN_CMD_ARGS override anything here, e.g. `GUNICORN_CMD_ARGS="--bind 10.0.0.11:8000"` in
the environment file of an app server that nginx reaches over the network.
"""

from __future__ import annotations

import os
import re

from gunicorn.glogging import Logger

wsgi_app = "participation:create_app()"
proc_name = "ruam"

# Loopback by default: nginx on the same machine. An app server on its own machine binds its
# private address, reachable from the nginx host only (firewall).
bind = ["127.0.0.1:8000"]

# Workers and threads. A page is mostly Python (templates, Markdown) holding the GIL, with
# waits on PostgreSQL in between: one process per core keeps the cores busy, a second one per
# core fills the gaps while the first waits, and four threads each let a worker overlap those
# waits without another copy of the application in memory. 2 cores: 4 workers x 4 threads =
# 16 requests at once (bench/load.py measures the workers' memory). Slow clients cost
# nothing: nginx buffers requests and responses, so a thread works only for the application.
# Each thread may hold a database connection: count servers x workers x threads against
# PostgreSQL's max_connections (100 by default); past that, put PgBouncer in between.
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = 2 * (_cores or 1)
worker_class = "gthread"
threads = 4

# A worker whose main loop is silent this long (stuck in C code holding the GIL) is killed
# and replaced. With threads this never cuts a slow request short: nginx stops waiting for
# one after proxy_read_timeout (35 s).
timeout = 30
# On stop or restart, requests in progress get this long to finish.
graceful_timeout = 30
# Longer than nginx's idle time for its kept-alive connections to the app servers
# (keepalive_timeout 60s in the upstream block), so nginx always closes first and never sends
# a request down a connection gunicorn has just closed.
keepalive = 75

# Bound memory: a worker is replaced after about 50,000 requests (whatever Python's allocator
# fragmented or a cache grew to goes with it); the jitter staggers the replacements, so the
# workers of a server never restart all at once. Not much sooner: a replaced worker closes its
# keep-alive connections and starts without its copies of pages (participation/core/
# pagecache.py with memory://), and at 2,000 the workers of a busy server (700 pages a second)
# were replaced every few seconds, which made one answer in a hundred wait up to 2 s.
max_requests = 50_000
max_requests_jitter = 5_000

# Preload: the application is imported once in the master and the workers are forked from it.
# Workers start in milliseconds (a replaced worker costs no import), share the master's pages
# until they write to them, and a broken release fails at start instead of in every worker.
# The price: `kill -HUP` no longer loads new code, so a release is a restart
# (`systemctl restart ruam`, one app server at a time behind nginx). Nothing opens a database
# connection while the application is created; post_fork below makes sure none is shared.
preload_app = True

# The worker heartbeat file lives in memory: on a disk-backed /tmp its fchmod can stall a
# worker (gunicorn's documentation on blocking os.fchmod).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# systemd starts, restarts and stops the server: no control socket (gunicorn 25.1+ would
# otherwise create one in the home folder, which the unit makes read-only).
control_socket_disable = True

# Whether a request came over HTTPS, and from whom, is decided by the application alone
# (PARTICIPATION_PROXY_COUNT, participation/core/headers.py): gunicorn trusts no forwarded
# header itself, from any address.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}

# Logs go to standard output and error: the journal, under systemd.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Time, method, path, status, bytes, milliseconds. No network address (behind nginx it would
# be nginx's anyway), no query string (search words), no referrer, no user agent: the privacy
# notice promises that network addresses go nowhere but short-lived, hashed counters and the
# proxy's own short-lived logs. An operator who wants more adds atoms here, knowingly.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Addresses that carry a secret in their path: the e-mailed links to confirm an address, to
# choose a new password and to unsubscribe.
SECRET_PATH = re.compile(r"^/(verify|password/reset|unsubscribe)/[^/]+")


def private_path(path: str) -> str:
    """The path as the access log shows it: the secret of an e-mailed link left out."""
    return SECRET_PATH.sub(r"/\1/[hidden]", path or "")


class PrivateAccessLog(Logger):
    """Gunicorn's logger, with the secrets of e-mailed links left out of access lines."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = private_path(atoms["U"])
        atoms["r"] = f"{atoms['m']} {atoms['U']} {atoms['H']}"
        atoms["q"] = "-"
        return atoms


logger_class = PrivateAccessLog


def when_ready(server):
    """In the master, once the application is loaded and before any worker forks: load the
    Thai dictionary of the search and compile every template once for every worker, instead
    of on each worker's first search and first page, and move everything loaded so far out of
    the garbage collector's sight (gc.freeze), so that collections neither walk it nor write
    to its pages, which the workers keep sharing with the master instead of each copying
    them."""
    if not server.cfg.preload_app:
        return
    import gc

    from participation.search.text import load_dictionary

    load_dictionary()
    templates = server.app.wsgi().jinja_env
    for name in templates.list_templates(extensions=("html", "txt")):
        templates.get_template(name)
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """Give each worker its own database connections: a pooled connection opened in the
    master before the fork would otherwise be shared by every worker, and corrupted."""
    if not server.cfg.preload_app:
        return
    from participation.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)
