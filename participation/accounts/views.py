"""Registration, login and logout."""

from flask import Blueprint

from participation.accounts.models import User
from participation.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.get("/login")
def login():
    return "TODO"


@bp.post("/logout")
def logout():
    return "TODO"


@bp.get("/register")
def register():
    return "TODO"
