"""A title written in the other language than the page's is marked with its own (WCAG 3.1.2)."""

from __future__ import annotations

import pytest

from participation.proposals.models import ProposalState
from tests.proposals.fixtures import proposal_in


@pytest.mark.parametrize(
    ("page_language", "title", "marked"),
    [
        ("en", "เปิดเผยข้อมูลฝุ่น PM2.5 รายพื้นที่", ' lang="th"'),
        ("th", "Publish burn counts monthly", ' lang="en"'),
        ("en", "Publish burn counts monthly", ""),
        ("th", "เปิดเผยข้อมูลฝุ่น PM2.5 รายพื้นที่", ""),
    ],
)
def test_a_proposal_title_in_the_other_language_carries_its_own_lang(
    page_language, title, marked, client, make, cast, db,
):
    proposal = proposal_in(make, ProposalState.OPEN, cast=cast, title=title)
    db.session.commit()

    detail = client.get(f"/proposals/{proposal.id}?lang={page_language}").text
    listing = client.get(f"/proposals?lang={page_language}").text

    assert f'<html lang="{page_language}">' in detail
    assert f'<h1 id="proposal-title"{marked}>{title}</h1>' in detail
    assert f'<a href="/proposals/{proposal.id}"{marked}>{title}</a>' in listing
