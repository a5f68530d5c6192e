"""The FastAPI application factory: ``create_app(settings)`` builds the whole app.

Routers live in their own modules (``web.api``: JSON API and /healthz; ``web.feeds``: RSS,
Atom and JSON Feed; ``web.pages``: the browse page); this module wires them to the archive
named by the settings, installs the JSON error handlers and tidies the OpenAPI description.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from web import api, feeds, pages
from web.config import Settings
from web.db import make_sessions, open_engine
from web.errors import install_error_handlers

DESCRIPTION = """\
Vietnamese science, technology, innovation and digital-transformation news from government
portals and the press: one archive, each story once, tagged by province (the 34 units since
1 July 2025; old names resolve) and topic.

Articles are listed newest first, one per story unless `copies=true`, and paged with an
opaque `cursor`. Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) take the same filters. Errors are
JSON: `{"error": code, "message": ..., "param": ..., "closest": [...]}`.
"""


def create_app(settings: Settings) -> FastAPI:
    """The app serving the archive ``settings.database_url`` (opened, and upgraded unless
    read-only, here: a broken archive fails at start-up, not on the first request)."""
    engine = open_engine(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Requests are answered by synchronous code in worker threads. Past a few per CPU
        # they only contend for the interpreter lock (SQLite hands it back at every row), so
        # more threads than that answer fewer requests per second, not more.
        to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield
        engine.dispose()

    app = FastAPI(title="vnnews", version="1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessions(engine)
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(pages.router)  # the browse page: HTML, left out of the OpenAPI
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI description with the errors the app really sends: a bad parameter is a
    ``400`` with our error body, not FastAPI's default ``422`` validation body."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)  # fmt: skip
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            operation.get("responses", {}).pop("422", None)
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema
