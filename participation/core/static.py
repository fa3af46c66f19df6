"""Static files: URLs carry a digest of the file's content and are cached for a year.

`url_for("static", filename=...)` adds `?v=<digest>`. A request whose `v` matches the file as
it is now may be cached by browsers and proxies forever (a changed file gets a new URL); any
other request for a static file must be revalidated, so an old page never pins a stale file.

Written by hand: Flask-Static-Digest needs a build step that writes digested copies, which a
checkout served by `make run` would then have to keep in step; this is a few lines.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, request
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600


class StaticDigests:
    """Content digests of the files under one folder, recomputed when a file changes."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._known: dict[str, tuple[tuple[int, int], str]] = {}

    def of(self, filename: str) -> str | None:
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        path = os.path.normpath(path)  # css/./site.css and css//site.css are one file
        try:
            status = os.stat(path)
            known = self._known.get(path)
            if known is None or known[0] != (status.st_mtime_ns, status.st_size):
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
                known = self._known[path] = ((status.st_mtime_ns, status.st_size), digest)
        except OSError:  # missing, a folder, or gone since
            return None
        return known[1]


def init_static_files(app: Flask) -> None:
    digests = StaticDigests(app.static_folder or "")

    @app.url_defaults
    def add_digest(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            digest = digests.of(values.get("filename", ""))
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_static(response):
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args.get("v") == digests.of(filename):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        else:
            response.cache_control.no_cache = True
            response.cache_control.max_age = None
        return response
