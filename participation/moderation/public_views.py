"""The public moderation page: counts and reasons, never who reported."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from participation.core.models import utcnow
from participation.moderation import stats
from participation.moderation.models import ContentKind, ModerationReason
from participation.moderation.views import bp

# What each reason covers, for the page's explanation.
MEANINGS = {
    ModerationReason.SPAM: _l(
        "Advertising, the same text posted again and again, or links unrelated to the "
        "discussion."),
    ModerationReason.ABUSE: _l(
        "Attacks on a person or a group of people rather than on ideas, threats, or hate "
        "speech."),
    ModerationReason.PERSONAL_DATA: _l(
        "Someone's telephone number, address, ID card number or other private details, "
        "published without their consent."),
    ModerationReason.MISLEADING: _l(
        "Claims presented as facts that are deliberately false and could mislead readers, for "
        "example about health or the air quality."),
    ModerationReason.OFF_TOPIC: _l(
        "Nothing to do with the proposal or with the working group's subject."),
    ModerationReason.ILLEGAL: _l("Content that Thai law forbids publishing."),
    ModerationReason.OTHER: _l(
        "Anything else a reporter wants the moderators to look at. Moderators hide a "
        "contribution or block an account only for one of the reasons above."),
}


@bp.get("/moderation")
def public():
    period = request.args.get("period")
    if period not in stats.PERIODS:
        period = "all"
    return render_template(
        "moderation/public.html",
        tally=stats.tally(now=utcnow()),
        period=period,
        actions=stats.latest_actions(),
        moderators=stats.moderators(),
        reasons=list(ModerationReason),
        kinds=list(ContentKind),
        recent_days=stats.RECENT_DAYS,
        meanings=MEANINGS,
    )
