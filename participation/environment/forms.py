"""The data upload form."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField
from wtforms.validators import InputRequired, ValidationError

from participation.core.forms import FlaskForm
from participation.environment.models import DataKind

EXTENSIONS = {DataKind.AIR.value: ("csv", "json"), DataKind.HOTSPOTS.value: ("csv",)}


def upload_limit() -> int:
    """The largest file the upload page takes (config DATA_UPLOAD_MAX_BYTES)."""
    return int(current_app.config["DATA_UPLOAD_MAX_BYTES"])


def megabytes(size: int) -> str:
    """A size in MB for people: "20", "0.1"."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


class FileSize:
    """Refuse a file larger than the upload limit (read when the form validates)."""

    def __call__(self, form, field) -> None:
        storage = field.data
        if storage is None or not hasattr(storage, "stream"):
            return
        stream = storage.stream
        position = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(position)
        if size == 0:
            raise ValidationError(_("The file is empty."))
        if size > upload_limit():
            raise ValidationError(
                _("The file is larger than %(max)s MB.", max=megabytes(upload_limit()))
            )


def kind_choices() -> list[tuple[str, str]]:
    return [
        (DataKind.AIR.value,
         _l("PM2.5 readings: Air4Thai JSON or CSV (station_id,timestamp,pm25)")),
        (DataKind.HOTSPOTS.value, _l("Fire hotspots: NASA FIRMS CSV (VIIRS or MODIS)")),
    ]


class UploadForm(FlaskForm):
    kind = RadioField(
        _l("What the file holds"),
        choices=kind_choices,
        default=DataKind.AIR.value,
        validators=[InputRequired(message=_l("Choose what the file holds."))],
    )
    file = FileField(
        _l("File"),
        validators=[
            FileRequired(_l("Choose a file to upload.")),
            FileAllowed(("csv", "json"), _l("Upload a .csv or .json file.")),
            FileSize(),
        ],
    )

    def validate_file(self, field) -> None:
        storage = field.data
        allowed = EXTENSIONS.get(self.kind.data or "", ())
        name = (getattr(storage, "filename", "") or "").lower()
        if allowed and not name.endswith(tuple(f".{ext}" for ext in allowed)):
            raise ValidationError(_("Fire hotspot files are CSV files (.csv)."))
