"""The public list of working groups and each group's page with its seats."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import Sector
from participation.extensions import db as _db
from participation.groups.models import SeatRole


def test_group_list_shows_every_group_with_its_seat_counts(client, make):
    group = make.group(voting_members=3)
    make.seat(group, role=SeatRole.SECRETARY)
    empty = make.group()

    page = client.get("/groups").get_data(as_text=True)

    assert group.name_en in page and empty.name_en in page
    assert "4 seats" in page and "3 voting" in page
    assert "0 seats" in page
    assert f'href="/groups/{group.id}"' in page


def test_group_list_when_there_are_none(client):
    response = client.get("/groups")
    assert response.status_code == 200
    assert "There are no working groups yet." in response.get_data(as_text=True)


def test_group_page_shows_description_and_seats_in_position_order(client, make):
    group = make.group()
    group.description = "Duties:\n\n1. **Set guidelines**\n2. Monitor\n\n<script>alert(1)</script>"
    governor = make.organisation(name_th="จังหวัดลำปาง", name_en="Lampang Province")
    chair = make.user(display_name="The Governor")
    opdc = make.organisation(name_en="OPDC")
    make.seat(group, role=SeatRole.SECRETARY, organisation=opdc)  # position 0, vacant
    seat = make.seat(group, role=SeatRole.CHAIR, organisation=governor, holder=chair)
    seat.position = -1  # listed first
    make.seat(group, role=SeatRole.MEMBER, sector=Sector.CIVIL_SOCIETY)
    _db.session.flush()
    _db.session.expire(group)

    response = client.get(f"/groups/{group.id}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{group.name_en}</h1>" in page
    assert "<strong>Set guidelines</strong>" in page
    assert "<script>" not in page
    table = page[page.index("<tbody"):page.index("</tbody>")]
    assert table.index("Chair") < table.index("Secretary") < table.index("Member")
    assert "Lampang Province" in table and "The Governor" in table
    assert "Vacant" in table
    assert "Civil society" in table
    assert "Non-voting" in table and "Voting" in table


def test_group_page_in_thai_shows_the_thai_name(client, make):
    group = make.group()
    page = client.get(f"/groups/{group.id}?lang=th").get_data(as_text=True)
    assert f"<h1>{group.name_th}</h1>" in page


def test_unknown_group_is_404(client):
    assert client.get("/groups/999999").status_code == 404
    assert client.get("/groups/abc").status_code == 404


def count_queries(client, url) -> int:
    statements = []
    engine = _db.engine

    def before(*args):
        statements.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    # The test's own savepoints are not the page's queries.
    return len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE"))])


def test_group_page_and_list_use_a_fixed_number_of_queries(client, make, db):
    small = make.group(voting_members=1)
    large = make.group(voting_members=12)
    db.session.commit()
    db.session.expire_all()
    assert count_queries(client, f"/groups/{small.id}") == count_queries(
        client, f"/groups/{large.id}"
    )
    few = count_queries(client, "/groups")
    make.group(voting_members=2)
    make.group(voting_members=2)
    db.session.commit()
    assert count_queries(client, "/groups") == few
