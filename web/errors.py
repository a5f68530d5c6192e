"""Errors as JSON that say what was wrong: every 4xx the app sends has this body.

``{"error": "unknown_province", "message": "...", "param": "province", "closest": [...]}``

Request validation errors (a bad number, a missing value) become ``400 invalid_parameter``
naming the parameter; an unknown route or method keeps its status with the same body; and an
unexpected exception is a ``500 internal_error`` without internals (logged), though the tests
make sure no request produces one.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """What went wrong with a request."""

    error: str = Field(description="machine-readable code, e.g. unknown_province")
    message: str = Field(description="what was wrong and what to send instead")
    param: str | None = Field(default=None, description="the parameter at fault")
    closest: list[str] | None = Field(
        default=None, description="for an unknown name: the closest known names"
    )


class ApiError(Exception):
    """Raised by route code for a 4xx answer."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        param: str | None = None,
        closest: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = ErrorBody(error=error, message=message, param=param, closest=closest)


def error_response(
    status: int, body: ErrorBody, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, headers=headers or None
    )


def _param_of(error: dict[str, Any]) -> str | None:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    return ".".join(loc) or None


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.body)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    parts = []
    for error in errors:
        param = _param_of(error)
        parts.append(f"{param}: {error.get('msg')}" if param else str(error.get("msg")))
    first = _param_of(errors[0]) if errors else None
    if first in DATE_PARAMS:
        body = ErrorBody(error="invalid_date", message=f"{first}: {DATE_HINT}", param=first)
        return error_response(400, body)
    body = ErrorBody(error="invalid_parameter", message="; ".join(parts), param=first)
    return error_response(400, body)


DATE_PARAMS = ("since", "until")
DATE_HINT = (
    "not a date: use ISO 8601, e.g. 2026-09-01 or 2026-09-01T08:00+07:00 (a time without a "
    "zone is Vietnam time)"
)
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 406: "not_acceptable"}


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = "no such page: the API is described at /openapi.json (docs at /docs)"
    headers = dict(exc.headers) if exc.headers else None
    return error_response(exc.status_code, ErrorBody(error=code, message=message), headers)


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = ErrorBody(error="internal_error", message="the server failed; this is a bug")
    return error_response(500, body)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)


# For route decorators: the error answers every route may give, in the OpenAPI description.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "a parameter is malformed"},
}
NOT_FOUND_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    404: {"model": ErrorBody, "description": "an unknown province, topic, source or id"},
}
