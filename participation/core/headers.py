"""HTTP hardening: the security headers of every response, and trusting the reverse proxy.

The site runs no JavaScript and has no inline style (SVG charts colour with classes from
site.css), so the Content-Security-Policy allows scripts and styles from this site only, with
no nonce and no 'unsafe-inline'. Every response carries the headers: pages, error pages,
static files, feeds and downloads.

Written by hand rather than with Flask-Talisman: the policy is one fixed string, and Talisman
would also redirect to HTTPS and set cookie flags that participation.config already sets.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Features the site never uses, refused to the page and to anything it could embed.
PERMISSIONS_POLICY = "camera=(), geolocation=(), microphone=(), payment=(), usb=()"
# Sent only over HTTPS (a browser ignores it over plain HTTP, and it must not pin a
# development server on 127.0.0.1 to HTTPS).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # No address of this site's pages (which proposal, which person's page) leaves the site
    # when a reader follows a link elsewhere; links within the site keep it (the error page's
    # "go back" link uses it). Stricter than strict-origin-when-cross-origin, and nothing here
    # needs other sites to know where their visitors came from.
    "Referrer-Policy": "same-origin",
    # frame-ancestors 'none' says the same to browsers that read CSP level 2.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def add_security_headers(response: Response) -> Response:
    """Set the security headers a view has not set itself."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def trust_proxy(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, read the client's address and the scheme
    (X-Forwarded-For, X-Forwarded-Proto) from them, so HTTPS is recognised (HSTS, secure
    redirects) and per-address limits count people, not the proxy. The host is never taken
    from a forwarded header: the proxy passes the Host header on."""
    count = int(app.config.get("PROXY_COUNT", 0))
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    trust_proxy(app)
    app.after_request(add_security_headers)
