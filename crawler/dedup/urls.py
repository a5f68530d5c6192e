"""Canonical article URLs: one spelling per article, whatever link led to it.

The archive keeps one article per canonical URL and every other spelling as an alias, so this
function decides which links are "the same page". Rules, each with its own test:

- scheme and host case; ``http`` becomes ``https`` (every site we crawl serves both);
- default ports (``:80``, ``:443``) dropped, other ports kept;
- fragments dropped;
- tracking parameters dropped (:data:`TRACKING_PARAMS`, :data:`TRACKING_PREFIXES`), the
  remaining query sorted;
- a trailing slash dropped (not the root's), and a directory index (``index.html``,
  ``index.htm``, ``default.aspx``, ...; :data:`INDEX_PAGES`) dropped;
- mobile and AMP variants folded onto the desktop page: ``m.<host>`` and ``amp.<host>``,
  an ``/amp/`` path segment or a trailing ``/amp``, ``.amp`` before the extension, and the
  ``?amp`` / ``?amp=1`` / ``?outputType=amp`` switches;
- Vietnamese paths: a raw UTF-8 path, its percent-encoded form (either case of hex digits)
  and its decomposed (NFD) spelling all give one NFC, upper-case percent-encoded path;
- ``www.`` is kept: several sites serve different things with and without it.

Library choice: w3lib (Scrapy's own URL library, already a dependency) does the
percent-encoding, IDNA hosts and query ordering. courlan was considered and not used: its
tracker expression also drops parameters such as ``source``, ``ref`` and ``*id`` that some
CMSs use to select the article, and it has no AMP, mobile-host or index-page rules, so it
would add risk, not rules. url-normalize covers only what w3lib already does.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only say how a reader arrived (ads, newsletters, social apps).
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "zarsi", "gidzl", "_ga", "_gl", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
    "mkt_tok", "vero_id", "vero_conv", "oly_enc_id", "oly_anon_id", "rb_clickid",
    "fb_action_ids", "fb_action_types", "fb_source", "fb_ref", "ref_src",
    "__twitter_impression",
})  # fmt: skip
# Families of tracking parameters: utm_source, utm_medium, utm_campaign, ...
TRACKING_PREFIXES = ("utm_",)
# Directory index pages a server also answers at the directory itself.
INDEX_PAGES = frozenset({
    "index.html", "index.htm", "index.shtml", "index.php", "default.aspx", "default.asp",
    "default.htm", "default.html",
})  # fmt: skip
# Host prefixes of a site's mobile / AMP edition of the same pages.
MOBILE_HOST_PREFIXES = ("m.", "amp.")
# Second-level labels under which a bare name is a public suffix ("m.com.vn" is not a
# mobile edition of "com.vn").
_PUBLIC_SECOND_LEVEL = frozenset(
    {"com", "net", "org", "edu", "gov", "ac", "co", "info", "int", "biz", "name", "pro",
     "health", "mil"}
)  # fmt: skip
# AMP switches in the query: ?amp, ?amp=1, ?outputType=amp.
_AMP_PARAM = "amp"
_AMP_OUTPUT_PARAMS = frozenset({"outputtype", "output"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SUFFIX = re.compile(r"^(?P<stem>.+)\.amp(?P<ext>\.[A-Za-z0-9]{2,6})$", re.IGNORECASE)
# A run of percent-escapes of non-ASCII bytes (a UTF-8 sequence, perhaps several).
_HIGH_ESCAPES = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def canonical_url(url: str) -> str:
    """``HTTP://Mst.gov.vn:443/a-1.htm?utm_source=x#top`` → ``https://mst.gov.vn/a-1.htm``."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    if scheme == "http":
        scheme = "https"
    host = _desktop_host((parts.hostname or "").lower().rstrip("."))
    port = parts.port
    if port and port not in _DEFAULT_PORTS.values():
        host = f"{host}:{port}"
    path = _canonical_path(parts.path)
    query = _clean_query(parts.query)
    return canonicalize_url(urlunsplit((scheme, host, path, query, "")))


def _desktop_host(host: str) -> str:
    """``m.baochinhphu.vn`` → ``baochinhphu.vn``; ``m.com.vn`` and ``m.vn`` stay."""
    for prefix in MOBILE_HOST_PREFIXES:
        if host.startswith(prefix):
            rest = host[len(prefix) :]
            labels = rest.split(".")
            if len(labels) >= 3 or (len(labels) == 2 and labels[0] not in _PUBLIC_SECOND_LEVEL):
                return rest
    return host


def _canonical_path(path: str) -> str:
    """NFC-decoded, without AMP segments, directory index or trailing slash."""
    path = unicodedata.normalize("NFC", _decode_utf8_escapes(path or "/"))
    segments = [s for s in path.split("/") if s.lower() != _AMP_PARAM]
    if segments and segments[-1]:
        last = segments[-1]
        if last.lower() in INDEX_PAGES:
            segments[-1] = ""
        else:
            amp = _AMP_SUFFIX.match(last)
            if amp:
                segments[-1] = amp.group("stem") + amp.group("ext")
    path = "/".join(segments).rstrip("/")
    return path if path.startswith("/") else "/" + path


def _decode_utf8_escapes(path: str) -> str:
    """``tin-t%e1%bb%a9c`` → ``tin-tức``: escapes of UTF-8 text become the text, so that the
    raw, encoded and decomposed spellings meet after NFC. ASCII escapes (``%2F``) and bytes
    that are not UTF-8 stay escaped: they may mean something to the server."""

    def decode(match: re.Match[str]) -> str:
        raw = bytes.fromhex(match.group(0).replace("%", ""))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)

    return _HIGH_ESCAPES.sub(decode, path)


def _clean_query(query: str) -> str:
    """The query without tracking parameters and AMP switches (order is w3lib's job)."""
    keep = []
    for pair in query.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        lname = name.lower()
        if (
            lname in TRACKING_PARAMS
            or lname.startswith(TRACKING_PREFIXES)
            or lname == _AMP_PARAM
            or (lname in _AMP_OUTPUT_PARAMS and value.lower() == _AMP_PARAM)
        ):
            continue
        keep.append(pair)
    return "&".join(keep)
