"""The read-only JSON API under /api/v1/: an index, a keyset-paginated list and a detail for
every open dataset, its OpenAPI document, JSON errors and CORS for everyone."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RequestRedirect

from participation.api.openapi import openapi_document
from participation.core.errors import MAX_ID
from participation.extensions import csrf
from participation.opendata import queries
from participation.opendata.datasets import DATASETS, Dataset, InvalidFilter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The API only reads; its routes take no form and change nothing.
csrf.exempt(bp)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Query-string parameters every list takes besides its filters (`lang` picks the language of
# messages and descriptions, as on every page).
COMMON_PARAMETERS = ("limit", "cursor", "lang")
READ_METHODS = "GET, HEAD, OPTIONS"


class ApiError(Exception):
    """A refusal answered as {"error": {"code", "message"}} with an HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def json_response(payload: Any, status: int = 200) -> Response:
    """JSON in the registry's field order, with Thai as UTF-8 rather than escapes."""
    body = current_app.json.dumps(payload, sort_keys=False, ensure_ascii=False)
    return current_app.response_class(body + "\n", status=status, mimetype="application/json")


def error_response(status: int, code: str, message: str) -> Response:
    response = json_response({"error": {"code": code, "message": message}}, status)
    if status == 405:
        response.headers["Allow"] = READ_METHODS
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if isinstance(error, MethodNotAllowed):
        return error_response(405, "method_not_allowed",
                              _("This API only reads: use GET, HEAD or OPTIONS."))
    if status == 404:
        return error_response(404, "not_found", _("There is nothing at this address."))
    if status == 400:
        return error_response(400, "bad_request", _("The request could not be understood."))
    return error_response(status, "http_error", error.name)


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error_response(error.status, error.code, error.message)


@bp.errorhandler(HTTPException)
def api_http_error(error: HTTPException):
    return _http_error(error)


@bp.before_app_request
def api_routing_errors():
    """Addresses under /api/ that match no route (or not with this method) answer in JSON too;
    the blueprint's own handlers never see them, since no endpoint was found."""
    error = request.routing_exception
    if error is None or isinstance(error, RequestRedirect) or not is_api_path(request.path):
        return None
    if isinstance(error, HTTPException):
        return _http_error(error)
    return None


@bp.after_app_request
def cors(response: Response) -> Response:
    """Anyone may read the API from any site; no credentials are involved."""
    if is_api_path(request.path):
        response.headers["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = READ_METHODS
            response.headers["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(str(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The key a cursor stands for; ApiError unless it is exactly one this API wrote."""
    try:
        key = int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        key = 0
    if not 1 <= key <= MAX_ID or encode_cursor(key) != cursor:
        raise ApiError(400, "invalid_cursor",
                       _("The cursor is not valid: use the next_cursor of a previous page."))
    return key


def _dataset(name: str) -> Dataset:
    dataset = DATASETS.get(name)
    if dataset is None:
        raise ApiError(404, "not_found",
                       _("There is no dataset called %(name)s.", name=name))
    return dataset


def _limit() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid_parameter",
                       _("The parameter limit takes a whole number from 1 to %(max)s.",
                         max=MAX_LIMIT))
    return limit


def _filters(dataset: Dataset) -> dict[str, Any]:
    known = {*COMMON_PARAMETERS, *(f.name for f in dataset.filters)}
    for name in request.args:
        if name not in known:
            raise ApiError(400, "unknown_parameter",
                           _("Unknown parameter %(name)s. This list takes: %(names)s.",
                             name=name, names=", ".join(sorted(known))))
    try:
        return dataset.parse_filters(request.args)
    except InvalidFilter as error:
        raise ApiError(400, "invalid_filter", str(error)) from None


def _links(dataset: Dataset) -> dict[str, str]:
    return {
        "self": url_for("api.items", dataset=dataset.name, _external=True),
        "csv": url_for("opendata.download", name=dataset.name, fmt="csv", _external=True),
        "json": url_for("opendata.download", name=dataset.name, fmt="json", _external=True),
    }


@bp.get("/")
def index():
    return json_response(dict(
        data=[
            {
                "name": dataset.name,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "links": _links(dataset),
            }
            for dataset in DATASETS.values()
        ],
        links={
            "self": url_for("api.index", _external=True),
            "openapi": url_for("api.openapi", _external=True),
            "datapackage": url_for("opendata.datapackage", _external=True),
        },
    ))


@bp.get("/openapi.json")
def openapi():
    return json_response(openapi_document())


@bp.get("/<dataset>")
def items(dataset: str):
    described = _dataset(dataset)
    filters = _filters(described)
    limit = _limit()
    cursor = request.args.get("cursor")
    after = decode_cursor(cursor) if cursor is not None else None
    rows, last = queries.page(described, filters, after=after, limit=limit)
    next_cursor = encode_cursor(last) if last is not None else None
    args = {name: value for name, value in request.args.items() if name != "cursor"}
    return json_response(dict(
        data=rows,
        next_cursor=next_cursor,
        links={
            "self": url_for("api.items", dataset=described.name, _external=True,
                            **request.args.to_dict()),
            "next": url_for("api.items", dataset=described.name, cursor=next_cursor,
                            _external=True, **args) if next_cursor else None,
        },
    ))


@bp.get("/<dataset>/<int:item_id>")
def item(dataset: str, item_id: int):
    described = _dataset(dataset)
    row = queries.one(described, item_id)
    if row is None:
        raise ApiError(404, "not_found",
                       _("There is no row %(id)s in %(name)s.", id=item_id, name=described.name))
    return json_response({"data": row})
