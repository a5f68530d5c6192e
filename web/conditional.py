"""Conditional GET for feeds: ``ETag`` and ``Last-Modified`` out, ``304`` when the client's
copy is current (RFC 9110 §13).

The ETag is a hash of the document itself, so it changes exactly when the bytes do (a new
story, an edited article, a re-tag) and never otherwise. ``If-None-Match`` wins over
``If-Modified-Since`` when both are sent, as the RFC says.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(value: datetime) -> str:
    return format_datetime(value.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    """Whether the client's cached copy (its validators) is still current."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        return _opaque(etag) in {_opaque(tag) for tag in if_none_match.split(",")}
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False  # an unreadable date is ignored (RFC 9110 §13.1.3)
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False


def conditional_response(
    request: Request,
    body: bytes,
    *,
    media_type: str,
    last_modified: datetime,
    headers: dict[str, str],
) -> Response:
    """``200`` with the body and validators, or ``304`` with the validators only."""
    etag = etag_of(body)
    validators = {**headers, "ETag": etag, "Last-Modified": http_date(last_modified)}
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=validators)
    return Response(content=body, media_type=media_type, headers=validators)
