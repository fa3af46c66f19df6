"""The OpenAPI 3.1 document of the API, generated from the dataset registry."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _

from participation.opendata.datasets import DATASETS, Dataset, Field, Filter

ERROR_CODES = ("not_found", "method_not_allowed", "invalid_filter", "invalid_cursor",
               "invalid_parameter", "unknown_parameter", "bad_request", "http_error")

_TYPES: dict[str, dict[str, Any]] = {
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "object": {"type": "object"},
    "array": {"type": "array"},
    "geojson": {"type": "object"},
}


def field_schema(field: Field) -> dict[str, Any]:
    """A JSON Schema for one field's values; fields that are not required may be null."""
    schema = dict(_TYPES[field.type])
    schema["description"] = str(field.description)
    if field.enum is not None:
        schema["enum"] = [member.value for member in field.enum]
    if field.minimum is not None:
        schema["minimum"] = field.minimum
    if field.maximum is not None:
        schema["maximum"] = field.maximum
    if not field.required:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def row_schema(dataset: Dataset) -> dict[str, Any]:
    """Every field is always present (null when empty) and nothing else is."""
    return {
        "type": "object",
        "title": str(dataset.title),
        "description": str(dataset.description),
        "properties": {field.name: field_schema(field) for field in dataset.fields},
        "required": [field.name for field in dataset.fields],
        "additionalProperties": False,
    }


def filter_parameter(item: Filter) -> dict[str, Any]:
    schema: dict[str, Any]
    if item.type == "integer":
        schema = {"type": "integer", "minimum": 1}
    elif item.type == "date":
        schema = {"type": "string", "format": "date"}
    else:
        # A datetime filter takes a date or a moment, so it is not one JSON Schema format.
        schema = {"type": "string"}
    if item.choices is not None:
        schema["enum"] = list(item.choices)
    return {"name": item.name, "in": "query", "required": False,
            "description": str(item.description), "schema": schema}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _paths() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/": {"get": {
            "operationId": "index",
            "summary": _("The datasets this API serves"),
            "parameters": [_ref("parameters/lang")],
            "responses": {"200": _json(_ref("schemas/Index"), _("The datasets."))},
        }},
    }
    for dataset in DATASETS.values():
        row = _ref(f"schemas/{dataset.name}")
        paths[f"/{dataset.name}"] = {"get": {
            "operationId": f"list-{dataset.name}",
            "summary": str(dataset.title),
            "description": str(dataset.description),
            "parameters": [
                _ref("parameters/limit"), _ref("parameters/cursor"), _ref("parameters/lang"),
                *(filter_parameter(item) for item in dataset.filters),
            ],
            "responses": {
                "200": _json({
                    "type": "object",
                    "properties": {
                        "data": {"type": "array", "items": row},
                        "next_cursor": {"type": ["string", "null"]},
                        "links": _ref("schemas/ListLinks"),
                    },
                    "required": ["data", "next_cursor", "links"],
                    "additionalProperties": False,
                }, _("One page of rows in key order.")),
                "400": _ref("responses/BadRequest"),
            },
        }}
        paths[f"/{dataset.name}/{{id}}"] = {"get": {
            "operationId": f"get-{dataset.name}",
            "summary": str(dataset.title),
            "parameters": [
                {"name": "id", "in": "path", "required": True,
                 "description": str(dataset.key_field.description),
                 "schema": {"type": "integer", "minimum": 1}},
                _ref("parameters/lang"),
            ],
            "responses": {
                "200": _json({
                    "type": "object",
                    "properties": {"data": row},
                    "required": ["data"],
                    "additionalProperties": False,
                }, _("One row.")),
                "404": _ref("responses/NotFound"),
            },
        }}
    return paths


def _components() -> dict[str, Any]:
    error = {
        "type": "object",
        "properties": {"error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "enum": list(ERROR_CODES)},
                "message": {"type": "string"},
            },
            "required": ["code", "message"],
            "additionalProperties": False,
        }},
        "required": ["error"],
        "additionalProperties": False,
    }
    url = {"type": "string", "format": "uri"}
    return {
        "schemas": {
            **{dataset.name: row_schema(dataset) for dataset in DATASETS.values()},
            "Error": error,
            "ListLinks": {
                "type": "object",
                "properties": {"self": url, "next": {"type": ["string", "null"],
                                                     "format": "uri"}},
                "required": ["self", "next"],
                "additionalProperties": False,
            },
            "Index": {
                "type": "object",
                "properties": {
                    "data": {"type": "array", "items": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "title": {"type": "string"},
                            "description": {"type": "string"},
                            "links": {
                                "type": "object",
                                "properties": {"self": url, "csv": url, "json": url},
                                "required": ["self", "csv", "json"],
                                "additionalProperties": False,
                            },
                        },
                        "required": ["name", "title", "description", "links"],
                        "additionalProperties": False,
                    }},
                    "links": {
                        "type": "object",
                        "properties": {"self": url, "openapi": url, "datapackage": url},
                        "required": ["self", "openapi", "datapackage"],
                        "additionalProperties": False,
                    },
                },
                "required": ["data", "links"],
                "additionalProperties": False,
            },
        },
        "parameters": {
            "limit": {"name": "limit", "in": "query", "required": False,
                      "description": _("Rows per page."),
                      "schema": {"type": "integer", "minimum": 1, "maximum": 500,
                                 "default": 50}},
            "cursor": {"name": "cursor", "in": "query", "required": False,
                       "description": _("Where to continue: the next_cursor of the page "
                                        "before. Stable while rows are added."),
                       "schema": {"type": "string"}},
            "lang": {"name": "lang", "in": "query", "required": False,
                     "description": _("The language of titles, descriptions and messages."),
                     "schema": {"type": "string",
                                "enum": list(current_app.config["LANGUAGES"])}},
        },
        "responses": {
            "BadRequest": _json(_ref("schemas/Error"),
                                _("A parameter, filter or cursor is not valid.")),
            "NotFound": _json(_ref("schemas/Error"), _("There is no such row.")),
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of every path, parameter, row and error of the API."""
    config = current_app.config
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("%(site)s open data API", site=config["SITE_NAME"]),
            "version": "1",
            "description": _(
                "Read-only access to every open dataset of %(site)s. Lists are ordered by "
                "their key and paginated with opaque cursors; filters are query parameters. "
                "Errors are JSON objects with a code and a message.", site=config["SITE_NAME"]
            ),
            "license": {"name": config["OPEN_DATA_LICENSE_TITLE"],
                        "url": config["OPEN_DATA_LICENSE_PATH"]},
        },
        "servers": [{"url": url_for("api.index", _external=True).rstrip("/")}],
        "paths": _paths(),
        "components": _components(),
    }
