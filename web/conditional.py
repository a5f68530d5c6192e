"""Conditional GET for feeds: ``ETag`` and ``Last-Modified`` out, ``304`` when the client's
copy is current (RFC 9110 §13).

A feed's ETag is computed before its document is written, from what the document is made
of (:func:`etag_for`: the rows shown with their change stamps, the request's address and the
code that renders), so a ``304`` costs the page's query and no rendering. It changes whenever
the bytes would (a new story, an edited article, a re-tag, a new copy of a story, another
vnnews), and not otherwise. ``If-None-Match`` wins over ``If-Modified-Since`` when both are
sent, as the RFC says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response


def etag_for(parts: Iterable[object]) -> str:
    """A strong ETag naming a document by what it is made of: ``parts`` must determine the
    document's bytes (whatever is shown, and what shows it)."""
    digest = hashlib.sha256(repr(list(parts)).encode())
    return '"' + digest.hexdigest()[:32] + '"'


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
    write: Callable[[], bytes],
    *,
    etag: str,
    media_type: str,
    last_modified: datetime,
    headers: dict[str, str],
) -> Response:
    """``200`` with the document ``write`` returns and the validators, or ``304`` with the
    validators only (``write`` is then never called). ``etag``: :func:`etag_for`."""
    validators = {**headers, "ETag": etag, "Last-Modified": http_date(last_modified)}
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=validators)
    return Response(content=write(), media_type=media_type, headers=validators)
