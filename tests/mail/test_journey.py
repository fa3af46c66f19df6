"""The issue's promise, end to end: following a proposal and posting a comment on it delivers
an e-mail to a local SMTP server in the follower's language."""

from __future__ import annotations

import re

import flask_babel

from participation.extensions import db

PASSWORD = "a long enough passphrase"


def test_a_comment_on_a_followed_proposal_reaches_the_follower_by_mail_in_thai(
    make, client, login, mailbox, runner
):
    proposal = make.proposal(title="ห้ามเผาในที่โล่งช่วงฤดูฝุ่น")
    # A Thai reader registers on the Thai site, so their e-mails come in Thai.
    client.post("/register?lang=th", data={
        "email": "mali@example.org", "display_name": "มาลี", "password": PASSWORD,
        "confirm": PASSWORD, "sector": "citizen", "organisation": "", "consent": "y",
    })
    # Registering logs nobody in: they log in (reading and following need no confirmation).
    client.post("/login?lang=th", data={"email": "mali@example.org", "password": PASSWORD})
    assert client.post(f"/follow/proposal/{proposal.id}").status_code == 302
    login(make.user(display_name="Somchai"))
    response = client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "ควรมีจุดรับแจ้งการเผาในทุกตำบล", "stance": "for"})
    assert response.status_code == 302
    db.session.commit()

    result = runner.invoke(args=["send-notifications"])

    assert "Sent: 2;" in result.output, result.output
    # The account mail goes first: the link to confirm the address, in Thai too.
    confirm, mail = mailbox.to("mali@example.org")
    assert confirm.message["Content-Language"] == "th"
    assert "https://ruam.example/verify/" in confirm.text
    with flask_babel.force_locale("th"):
        event = flask_babel.gettext("New comment")
    assert mail.message["Subject"] == f"{event}: ห้ามเผาในที่โล่งช่วงฤดูฝุ่น"
    assert mail.message["Content-Language"] == "th"
    assert "> ควรมีจุดรับแจ้งการเผาในทุกตำบล" in mail.text
    link = re.search(r"https://ruam\.example(/comments/(\d+)\?lang=th)", mail.text)
    # The link leads to the comment in its thread, in the reader's language.
    opened = client.get(link.group(1))
    assert opened.headers["Location"] == (
        f"/proposals/{proposal.id}?lang=th#comment-{link.group(2)}")
    assert '<html lang="th">' in mail.html
