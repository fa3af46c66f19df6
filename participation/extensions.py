"""Extensions, created unbound and initialised by create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from participation.core.models import Base, json_text

db = SQLAlchemy(model_class=Base, engine_options={"json_serializer": json_text})
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# Every limit names its key (address, e-mail, person): participation/accounts/limits.py.
# If the shared storage (Redis) cannot be reached, each server counts in its own memory until it
# can again: limits keep holding per server instead of every limited request failing.
limiter = Limiter(key_func=get_remote_address, in_memory_fallback_enabled=True)
