"""The OpenAPI 3.1 document of the HTTP API, built from the same route table that serves it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from newsdesk.web.pages import Operation, Param

_PATH_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
_TYPES = {"int": "integer", "float": "number", "str": "string", "path": "string"}


def _schema(param: Param) -> dict[str, Any]:
    if param.type == "file":
        return {"type": "string", "format": "binary"}
    schema: dict[str, Any] = {"type": param.type}
    if param.enum:
        schema["enum"] = list(param.enum)
    return schema


def openapi_path(path: str) -> str:
    """A Starlette path (``/articles/{article_id:int}.json``) in OpenAPI form."""
    return _PATH_PARAM.sub(lambda m: "{" + m.group(1) + "}", path)


def _operation(op: Operation) -> dict[str, Any]:
    parameters = [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": _TYPES.get(kind or "str", "string")}}
        for name, kind in _PATH_PARAM.findall(op.path)
    ]  # fmt: skip
    parameters += [
        {"name": p.name, "in": "query", "required": p.required, "description": p.description,
         "schema": _schema(p)}
        for p in op.params
    ]  # fmt: skip
    doc: dict[str, Any] = {
        "summary": op.summary,
        "operationId": op.method + re.sub(r"\W+", "_", openapi_path(op.path)).rstrip("_"),
        "responses": {
            "200": {
                "description": "OK",
                "content": {media: {} for media in op.media_types},
            },
            "404": {"description": "No such record."},
        },
    }
    if parameters:
        doc["parameters"] = parameters
    if op.form:
        media = "multipart/form-data" if any(p.type == "file" for p in op.form) else (
            "application/x-www-form-urlencoded")  # fmt: skip
        properties = {p.name: _schema(p) | {"description": p.description} for p in op.form}
        required = [p.name for p in op.form if p.required]
        doc["requestBody"] = {
            "required": True,
            "content": {media: {"schema": {"type": "object", "properties": properties,
                                           "required": required}}},
        }  # fmt: skip
        doc["responses"]["403"] = {"description": "Missing CSRF or access token."}
    return doc


def openapi_document(operations: Iterable[Operation]) -> dict[str, Any]:
    """The whole API: one entry per operation."""
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(openapi_path(op.path), {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "newsdesk",
            "version": "1",
            "description": (
                "Every page of the newsdesk reader has a JSON twin at the same path plus"
                " `.json`; exports stream CSV, JSON or JSONL. Requests that change state need"
                " the CSRF token, or the server's access token when it has one."
            ),
        },
        "paths": dict(sorted(paths.items())),
    }
