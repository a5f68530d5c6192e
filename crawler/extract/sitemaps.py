"""XML sitemaps and sitemap indexes (gzip-compressed or not)."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from crawler.extract.feeds import parse_feed_date

MAX_UNCOMPRESSED = 50 * 1024 * 1024  # the sitemaps.org limit


@dataclass
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None


@dataclass
class SitemapResult:
    kind: str | None = None  # "index", "urlset" or None when the document is no sitemap
    entries: list[SitemapEntry] = field(default_factory=list)
    error: str | None = None


def _gunzip(body: bytes) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = decompressor.decompress(body, MAX_UNCOMPRESSED)
    if decompressor.unconsumed_tail:
        raise ValueError("sitemap larger than 50 MiB uncompressed")
    return data


def parse_sitemap(body: bytes) -> SitemapResult:
    if body[:2] == b"\x1f\x8b":
        try:
            body = _gunzip(body)
        except (OSError, ValueError, zlib.error, gzip.BadGzipFile) as exc:
            return SitemapResult(error=f"bad gzip: {exc}")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        return SitemapResult(error=str(exc))
    if root is None:
        return SitemapResult(error="empty document")
    kind = etree.QName(root).localname
    if kind not in ("sitemapindex", "urlset"):
        return SitemapResult(error=f"not a sitemap (root element <{kind}>)")
    result = SitemapResult(kind="index" if kind == "sitemapindex" else "urlset")
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = lastmod = None
        for child in node:
            if not isinstance(child.tag, str):
                continue
            name = etree.QName(child).localname
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = parse_feed_date(child.text)
        if loc:
            result.entries.append(SitemapEntry(loc=loc, lastmod=lastmod))
    return result
