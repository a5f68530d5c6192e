"""Absolute URLs of this server, for feeds and API links.

``--base-url`` (``Settings.base_url``) wins: behind a proxy that rewrites paths it is the only
reliable answer. Otherwise the URL the client used: ``X-Forwarded-Proto``/``-Host``/``-Prefix``
from a trusted proxy (``Settings.forwarded_allow_ips``, the direct peer's address), else the
request's own scheme and ``Host``. A header that is not a plausible host or prefix is ignored
rather than echoed into documents.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import Request

from web.config import Settings

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+(?::\d{1,5})?$|"
                   r"^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$")  # fmt: skip
_PREFIX = re.compile(r"^(?:/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*/?$")
FORWARDED_HEADERS = "X-Forwarded-Proto, X-Forwarded-Host, X-Forwarded-Prefix"


def _first(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(",", 1)[0].strip() or None


def _trusted(request: Request, settings: Settings) -> bool:
    allowed = {ip.strip() for ip in settings.forwarded_allow_ips.split(",") if ip.strip()}
    peer = request.client.host if request.client else None
    return "*" in allowed or (peer is not None and peer in allowed)


def base_url(request: Request) -> str:
    """The server's root URL without a trailing slash, e.g. ``https://news.example.org/vn``."""
    settings: Settings = request.app.state.settings
    if settings.base_url:
        return settings.base_url.rstrip("/")
    scheme, host, prefix = request.url.scheme, request.headers.get("host"), ""
    if _trusted(request, settings):
        proto = (_first(request.headers.get("x-forwarded-proto")) or "").lower()
        if proto in ("http", "https"):
            scheme = proto
        host = _first(request.headers.get("x-forwarded-host")) or host
        forwarded_prefix = _first(request.headers.get("x-forwarded-prefix")) or ""
        if _PREFIX.match(forwarded_prefix):
            prefix = forwarded_prefix.rstrip("/")
    if not host or not _HOST.match(host):
        host = request.url.netloc if _HOST.match(request.url.netloc or "") else "localhost"
    return f"{scheme}://{host}{prefix}"


def url_for_path(request: Request, path: str, params: list[tuple[str, str]] | None = None) -> str:
    """The absolute URL of ``path`` (starting with /) on this server, with query ``params``."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url(request)}{path}{query}"


def query_params(request: Request, *, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The request's query parameters in their order, without those named in ``drop``."""
    return [(k, v) for k, v in request.query_params.multi_items() if k not in drop]
