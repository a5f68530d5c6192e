"""Canonical article URLs: one spelling per article, whatever link led to it.

w3lib (Scrapy's own URL library) does the percent-encoding and query ordering; we add what
it leaves alone: tracking parameters, default ports and the ``http``/``https`` split, since
every site we crawl serves the same article on both.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|zarsi|_ga|mc_cid|mc_eid|gidzl)$", re.I
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """``HTTP://Mst.gov.vn:443/a-1.htm?utm_source=x#top`` → ``https://mst.gov.vn/a-1.htm``."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    if scheme == "http":
        scheme = "https"
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and port not in _DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    query_params = [p for p in parts.query.split("&") if p]
    keep = [p for p in query_params if not _TRACKING.match(p.split("=", 1)[0])]
    rebuilt = urlunsplit((scheme, host, parts.path or "/", "&".join(keep), ""))
    return canonicalize_url(rebuilt)
