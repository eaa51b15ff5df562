"""Every page has a JSON twin: one endpoint returns a Page, served as HTML at ``/path`` and as
JSON at ``/path.json``, and described once for the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from newsdesk.kept import LatestKept
from newsdesk.service import Newsdesk
from newsdesk.service.reading import ReadingDesk
from newsdesk.web.fragments import Shelf


@dataclass(frozen=True, slots=True)
class Page:
    """What an endpoint found: a template with its context, and the same facts as JSON.

    ``data`` may be a function that builds the facts, called only for the JSON twin. A page
    with a ``version`` (a string that changes whenever its facts do, the same in every
    process) has its JSON body kept per URL until the version changes: the latest in memory,
    and all of them on the app's shelf (the store's prepared views) for every process.
    """

    template: str
    context: dict[str, Any]
    data: Any
    status: int = 200
    title: str = ""
    version: str | None = None

    def facts(self) -> Any:
        """The JSON twin's data, built if it was given as a function."""
        return self.data() if callable(self.data) else self.data


KEPT_BODIES = 64  # JSON bodies kept in memory per page kind
JSON_VIEW = "json"  # the kind of prepared view JSON bodies are kept under


@dataclass(frozen=True, slots=True)
class Param:
    """A query parameter as the OpenAPI document describes it."""

    name: str
    description: str
    type: str = "string"  # JSON Schema type
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented operation of the HTTP API."""

    method: str  # "get", "post"
    path: str  # Starlette path, e.g. "/articles/{article_id:int}.json"
    summary: str
    params: tuple[Param, ...] = ()
    media_types: tuple[str, ...] = ("application/json",)
    form: tuple[Param, ...] = ()  # form fields of a state-changing request


Endpoint = Callable[[Request], Page]


@dataclass(frozen=True, slots=True)
class Twin:
    """A page and its JSON twin, served from one endpoint."""

    path: str
    endpoint: Endpoint
    name: str
    summary: str
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = field(default=())  # further HTML paths for the same page

    def routes(self, templates: Jinja2Templates) -> list[BaseRoute]:
        """The HTML route(s) and the ``.json`` route."""

        def as_html(request: Request) -> Response:
            page = self.endpoint(request)
            return render(templates, request, page)

        bodies = LatestKept[str, tuple[str, bytes]]()  # by URL, with version

        def as_json(request: Request) -> Response:
            page = self.endpoint(request)
            if page.version is None or page.status != 200:
                return json_response(page.facts(), status=page.status)
            url = f"{request.url.path}?{request.url.query}"
            kept = bodies.get(url)
            if kept is None or kept[0] != page.version:
                shelf: Shelf | None = request.app.state.shelf
                body = shelf.get(JSON_VIEW, url, page.version) if shelf else None
                if body is None:
                    body = json_body(page.facts())
                    if shelf:
                        shelf.put(JSON_VIEW, url, page.version, body)
                kept = (page.version, body)
                bodies.put(url, kept, keep=KEPT_BODIES)
            return Response(kept[1], media_type="application/json")

        # The JSON route first: "/actors/{key}" would otherwise take "/actors/x.json".
        routes: list[BaseRoute] = [Route(self.path + ".json", as_json, name=f"{self.name}_json")]
        routes.append(Route(self.path, as_html, name=self.name))
        routes += [Route(alias, as_html, name=f"{self.name}_alias") for alias in self.aliases]
        return routes

    def operation(self) -> Operation:
        """The JSON twin as an API operation."""
        return Operation("get", self.path + ".json", self.summary, self.params)


def render(templates: Jinja2Templates, request: Request, page: Page) -> HTMLResponse:
    """A page rendered with its template; htmx requests for a fragment get only the part."""
    context = dict(page.context)
    context.setdefault("title", page.title)
    context["json_url"] = request.url.path.rstrip("/") + ".json"
    if request.url.path == "/":
        context["json_url"] = "/stories.json"
    if request.url.query:
        context["json_url"] += "?" + request.url.query
    response = templates.TemplateResponse(request, page.template, context, status_code=page.status)
    response.headers["vary"] = "HX-Request"
    return response


def json_body(data: Any) -> bytes:
    """Compact UTF-8 JSON (browsers indent it for reading; compact is several times faster
    to write, since only then does the standard library use its C encoder)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def json_response(data: Any, *, status: int = 200) -> Response:
    """A JSON response of ``data``."""
    return Response(json_body(data), status_code=status, media_type="application/json")


def desk_of(request: Request) -> Newsdesk:
    """The Newsdesk the app serves."""
    desk: Newsdesk = request.app.state.desk
    return desk


def reading_of(request: Request) -> ReadingDesk:
    """The read-only views over the app's Newsdesk."""
    reading: ReadingDesk = request.app.state.reading
    return reading


def int_param(request: Request, name: str, default: int, *, low: int = 0, high: int = 1000) -> int:
    """An integer query parameter clamped to ``[low, high]``; junk gives the default."""
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        return default
    return max(low, min(high, value))
