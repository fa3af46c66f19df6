"""The privacy notice and consent to it; downloading one's data and erasing one's account
register their routes on the same blueprint from `data_views`."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from participation.accounts.permissions import has_current_consent, is_signed_in
from participation.core.i18n import current_language
from participation.core.models import utcnow
from participation.core.security import safe_next
from participation.core.views import me, unit_of_work
from participation.privacy import services
from participation.privacy.forms import ConsentForm
from participation.privacy.notices import (
    current_notice_version,
    is_notice_version,
    notice_date,
    notice_text,
    notice_versions,
)

bp = Blueprint("privacy", __name__)


@bp.app_template_global()
def privacy_consent_missing() -> bool:
    """Whether the signed-in reader has yet to agree to the current notice (the banner)."""
    return is_signed_in(current_user) and not has_current_consent(current_user)


def _notice_page(version: str):
    text, written_in = notice_text(version, current_language())
    return render_template(
        "privacy/notice.html",
        version=version,
        text=text,
        written_in=written_in,
        current=current_notice_version(),
        versions=[(each, notice_date(each)) for each in reversed(notice_versions())],
        notice_date=notice_date,
        controller=current_app.config["PRIVACY_CONTROLLER"],
        contact=current_app.config["PRIVACY_CONTACT"],
    )


@bp.get("/privacy")
def notice():
    return _notice_page(current_notice_version())


@bp.get("/privacy/<version>")
def notice_version(version: str):
    if not is_notice_version(version):
        abort(404)
    return _notice_page(version)


def _answers_get(target: str) -> bool:
    """The address is a page of this site (not, say, the address a support button posts to)."""
    path = urlsplit(target).path
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root):]
    adapter = current_app.url_map.bind(request.host, script_name=request.script_root or None)
    try:
        adapter.match(path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


def _back() -> str:
    """Where to go once the person agreed: `next` when it is a page of this site. When it is
    the address of a button (the guard stopped a POST), the page the button was on: browsers
    keep the referrer through the guard's redirect. Else the home page."""
    referrer = urlsplit(request.referrer or "")
    same_site = referrer.netloc == request.host and referrer.path != request.path
    candidates = [request.args.get("next")]
    if same_site:
        candidates.append(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
    for candidate in candidates:
        target = safe_next(candidate)
        if target and _answers_get(target):
            return target
    return url_for("home.index")


@bp.route("/privacy/consent", methods=["GET", "POST"])
@login_required
def consent():
    user = me()
    back = _back()
    form = ConsentForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            agreed_now = services.record_consent(
                user=user, version=current_notice_version(), now=utcnow()
            )
        if work.ok:
            if agreed_now:
                flash(_("Thank you: you agreed to the privacy notice."))
            else:
                flash(_("You had already agreed to the current privacy notice."))
            return redirect(back)
    current = current_notice_version()
    text, written_in = notice_text(current, current_language())
    return render_template(
        "privacy/consent.html",
        form=form,
        back=back,
        current=current,
        current_date=notice_date(current),
        agreed=has_current_consent(user),
        # The version they agreed to, if it is still published, to compare with.
        earlier=user.privacy_version if is_notice_version(user.privacy_version or "") else None,
        notice_date=notice_date,
        text=text,
        written_in=written_in,
    )


# Routes kept in their own module, registered on `bp` when imported.
from participation.privacy import data_views  # noqa: E402, F401
