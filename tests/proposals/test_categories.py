"""Category administration: administrators only; names and positions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.proposals.models import Category
from tests.rows import count_rows


@pytest.mark.parametrize("role", ["secretary", "author", "outsider"])
@pytest.mark.parametrize("url", ["/admin/categories", "/admin/categories/new"])
def test_only_administrators_reach_categories(url, role, cast, login, db):
    db.session.commit()
    assert login(cast[role]).get(url).status_code == 403
    if url.endswith("/new"):
        assert login(cast[role]).post(url, data={"name_th": "x"}).status_code == 403
        assert db.session.scalar(sa.select(Category).where(Category.name_th == "x")) is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/admin/categories")
    assert response.status_code == 302 and "/login" in response.location


def test_administrator_adds_lists_and_edits_categories(cast, login, db):
    db.session.commit()
    client = login(cast.admin)

    page = client.post("/admin/categories/new", data={
        "name_th": "การสื่อสารสาธารณะ", "name_en": "Public communication", "position": "2",
    }, follow_redirects=True)
    assert "The category was added." in page.text
    assert "การสื่อสารสาธารณะ" in page.text and "Public communication" in page.text

    category = db.session.scalars(
        sa.select(Category).where(Category.name_th == "การสื่อสารสาธารณะ")
    ).one()
    form = client.get(f"/admin/categories/{category.id}/edit").text
    assert 'value="Public communication"' in form

    client.post(f"/admin/categories/{category.id}/edit", data={
        "name_th": "การสื่อสาร", "name_en": "Communication", "position": "0",
    })
    db.session.expire_all()
    category = db.session.get(Category, category.id)
    assert (category.name_th, category.name_en, category.position) == (
        "การสื่อสาร", "Communication", 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [({"name_th": ""}, "This field is required."),
     ({"name_th": "x" * 201}, "Field cannot be longer than 200 characters."),
     ({"position": "first"}, "Not a valid integer value."),
     ({"name_th": "DUPLICATE"}, "Another category already has this name.")],
)
def test_bad_category_input_is_shown_beside_the_field(data, message, cast, login, db):
    db.session.commit()
    form = {"name_th": "ใหม่", "name_en": "New", "position": "1", **data}
    if form["name_th"] == "DUPLICATE":
        form["name_th"] = cast.category.name_th
    count = count_rows(Category)

    page = login(cast.admin).post("/admin/categories/new", data=form)

    assert page.status_code == 200 and message in page.text
    assert count_rows(Category) == count


def test_unknown_category_is_404(cast, login, db):
    db.session.commit()
    assert login(cast.admin).get("/admin/categories/999999/edit").status_code == 404


def test_adding_and_editing_a_category_is_logged_in_the_administrators_name(cast, login, db):
    """Role-matrix lane: categories sort every proposal, so changing them is a public act."""
    db.session.commit()
    client = login(cast.admin)
    client.post("/admin/categories/new", data={
        "name_th": "การสื่อสารสาธารณะ", "name_en": "Public communication", "position": "2",
    })
    category = db.session.scalars(
        sa.select(Category).where(Category.name_th == "การสื่อสารสาธารณะ")
    ).one()
    edit = {"name_th": "การสื่อสารสาธารณะ", "name_en": "Communication", "position": "2"}
    client.post(f"/admin/categories/{category.id}/edit", data=edit)
    client.post(f"/admin/categories/{category.id}/edit", data=edit)  # changes nothing

    entries = db.session.execute(
        sa.select(LogEntry.verb, LogEntry.actor_id, LogEntry.data)
        .where(LogEntry.subject_type == "category", LogEntry.subject_id == category.id)
        .order_by(LogEntry.id)
    ).all()
    assert [tuple(entry) for entry in entries] == [
        ("category.created", cast.admin.id, {}),
        ("category.edited", cast.admin.id, {"changed": ["name_en"]}),
    ]
    log = client.get("/log?lang=en").text
    assert "Proposal category added" in log and "Proposal category edited" in log
    assert "Communication" in log
