"""Page metadata that does not depend on the site's layout: JSON-LD, OpenGraph and meta tags.

These are the fallbacks of every field cascade, so they are read once per page and cached.
Values are unescaped and whitespace-squashed: some CMSs double-escape entities inside
JSON-LD strings (``"Ch&#237;nh phủ"``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from parsel import Selector

from crawler.extract.text import squash

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "WebPage"}


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)} if value else set()


def _walk(data: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object, including those inside ``@graph`` and top-level lists."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            found.append(node)
            if "@graph" in node:
                stack.append(node["@graph"])
    return found


def _name_of(value: Any) -> str | None:
    if isinstance(value, str):
        return squash(value)
    if isinstance(value, dict):
        return squash(value.get("name")) if isinstance(value.get("name"), str) else None
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return ", ".join(names) or None
    return None


@dataclass
class JsonLd:
    """The article and breadcrumb objects of a page's JSON-LD blocks."""

    article: dict[str, Any] = field(default_factory=dict)
    breadcrumbs: list[str] = field(default_factory=list)
    errors: int = 0

    @classmethod
    def from_selector(cls, sel: Selector) -> JsonLd:
        result = cls()
        article_is_bare_page = False  # a plain WebPage answers only when no article type does
        for raw in sel.xpath('//script[@type="application/ld+json"]/text()').getall():
            try:
                data = json.loads(raw, strict=False)
            except ValueError:
                result.errors += 1
                continue
            for node in _walk(data):
                types = _types(node)
                if "BreadcrumbList" in types:
                    result.breadcrumbs = _breadcrumb_names(node)
                elif types & _ARTICLE_TYPES:
                    bare_page = types <= {"WebPage"}
                    if not result.article or (article_is_bare_page and not bare_page):
                        result.article, article_is_bare_page = node, bare_page
        return result

    def text(self, key: str) -> str | None:
        value = self.article.get(key)
        return squash(value) if isinstance(value, str) else None

    @property
    def author(self) -> str | None:
        return _name_of(self.article.get("author"))

    @property
    def keywords(self) -> list[str]:
        value = self.article.get("keywords")
        if isinstance(value, str):
            return split_keywords(value)
        if isinstance(value, list):
            return [k for k in (squash(str(v)) for v in value) if k]
        return []

    @property
    def images(self) -> list[str]:
        value = self.article.get("image")
        items = value if isinstance(value, list) else [value]
        urls: list[str] = []
        for item in items:
            if isinstance(item, str):
                urls.append(item)
            elif isinstance(item, dict) and isinstance(item.get("url"), str):
                urls.append(item["url"])
        return urls


def _breadcrumb_names(node: dict[str, Any]) -> list[str]:
    items = node.get("itemListElement") or []
    ordered = sorted(
        (i for i in items if isinstance(i, dict)), key=lambda i: int(i.get("position") or 0)
    )
    names = []
    for item in ordered:
        inner = item.get("item")
        name = item.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        if isinstance(name, str) and (clean := squash(name)):
            names.append(clean)
    return names


def split_keywords(value: str) -> list[str]:
    """``"đúc tiền, in tiền"`` → ``["đúc tiền", "in tiền"]`` without empties or repeats."""
    seen: dict[str, None] = {}
    for part in value.replace(";", ",").split(","):
        if (clean := squash(part)) and clean.casefold() not in {k.casefold() for k in seen}:
            seen[clean] = None
    return list(seen)


class PageMeta:
    """OpenGraph, ``article:*``, ``<meta name>`` and document-level facts of one page."""

    def __init__(self, sel: Selector):
        self._sel = sel

    @cached_property
    def _tags(self) -> dict[str, str]:
        tags: dict[str, str] = {}
        for node in self._sel.xpath("//meta[@content]"):
            key = (
                node.attrib.get("property")
                or node.attrib.get("name")
                or node.attrib.get("itemprop")
            )
            if not key:
                key = node.attrib.get("http-equiv", "")
            key = key.strip().lower()
            if key and key not in tags:  # the first wins, as browsers and crawlers do
                tags[key] = node.attrib["content"]
        return tags

    def get(self, *keys: str) -> str | None:
        for key in keys:
            if (value := squash(self._tags.get(key.lower()))) is not None:
                return value
        return None

    @cached_property
    def jsonld(self) -> JsonLd:
        return JsonLd.from_selector(self._sel)

    @property
    def canonical(self) -> str | None:
        return squash(self._sel.xpath('//link[@rel="canonical"]/@href').get())

    @property
    def html_lang(self) -> str | None:
        return squash(self._sel.xpath("/html/@lang").get())
