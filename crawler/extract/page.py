"""The article page object: one small method per field, each a cascade of named steps.

A site family subclasses :class:`ArticlePage` and names its selectors; everything a page can
say without the site's layout (JSON-LD, OpenGraph, meta, ``<title>``) is the shared tail of
every cascade. The page knows nothing of crawling: URL and HTML in, :class:`ArticleItem` out.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cached_property
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from crawler.extract import cascade
from crawler.extract.body import Body, extract_body, select
from crawler.extract.cascade import JSONLD, MARKUP, META, SELECTOR, Step, first
from crawler.extract.dates import parse_date, parse_iso
from crawler.extract.metadata import PageMeta, split_keywords
from crawler.extract.text import squash
from crawler.items import ArticleItem, Image

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_DOMAIN_LIKE = re.compile(r"^[\w-]+(\.[\w-]+)+$")
_LANG = re.compile(r"^[a-z]{2,3}")


class ArticlePage:
    """Fields of one article page. Subclasses set the ``*_CSS`` selectors of their site family."""

    TITLE_CSS: ClassVar[str | None] = None
    SUMMARY_CSS: ClassVar[str | None] = None
    PUBLISHED_CSS: ClassVar[str | None] = None
    AUTHOR_CSS: ClassVar[str | None] = None
    TAGS_CSS: ClassVar[str | None] = None
    CATEGORY_CSS: ClassVar[str | None] = None
    CONTENT_CSS: ClassVar[str | None] = None
    DROP_CSS: ClassVar[tuple[str, ...]] = ()
    CAPTION_CSS: ClassVar[str] = "figcaption"
    # The step name recorded for the body: a site selector, or generic markup for pages
    # whose layout we do not know.
    CONTENT_STEP: ClassVar[str] = SELECTOR

    def __init__(self, url: str, html: str, *, source: str, default_lang: str | None = "vi"):
        self.url = url
        self.source = source
        self.default_lang = default_lang
        self.sel = Selector(text=html or "<html></html>", type="html")
        self.meta = PageMeta(self.sel)

    # -- helpers for subclasses -------------------------------------------------------------

    def css_text(self, css: str | None) -> str | None:
        """Squashed text of the first element matching ``css``."""
        if not css:
            return None
        node = self.sel.css(css)
        if not node:
            return None
        return squash(" ".join(node[0].xpath(".//text()").getall()))

    def css_texts(self, css: str | None) -> list[str]:
        if not css:
            return []
        texts = (squash(" ".join(n.xpath(".//text()").getall())) for n in self.sel.css(css))
        return [t for t in texts if t]

    @cached_property
    def content_element(self) -> etree._Element | None:
        if not self.CONTENT_CSS:
            return None
        found = select(self.sel.root, self.CONTENT_CSS)
        return found[0] if found else None

    # -- fields: each a cascade ---------------------------------------------------------------

    def title(self) -> list[Step[str]]:
        return [
            (SELECTOR, lambda: self.css_text(self.TITLE_CSS)),
            (JSONLD, lambda: self.meta.jsonld.text("headline")),
            (META, lambda: self.meta.get("og:title", "twitter:title")),
            (MARKUP, lambda: self.css_text("title")),
        ]

    def summary(self) -> list[Step[str]]:
        return [
            (SELECTOR, lambda: self.css_text(self.SUMMARY_CSS)),
            (JSONLD, lambda: self.meta.jsonld.text("description")),
            (META, lambda: self.meta.get("og:description", "description", "twitter:description")),
        ]

    def published_at(self) -> list[Step[datetime]]:
        meta = self._meta_published
        return [
            (SELECTOR, lambda: self._selector_date(self.PUBLISHED_CSS, meta)),
            (META, lambda: meta),
            (JSONLD, lambda: parse_iso(self.meta.jsonld.text("datePublished"))),
        ]

    def modified_at(self) -> list[Step[datetime]]:
        return [
            (META, lambda: parse_iso(self.meta.get("article:modified_time", "dateModified"))),
            (JSONLD, lambda: parse_iso(self.meta.jsonld.text("dateModified"))),
        ]

    def author(self) -> list[Step[str]]:
        return [
            (SELECTOR, lambda: self.css_text(self.AUTHOR_CSS)),
            (JSONLD, lambda: self.meta.jsonld.author),
            (META, lambda: self._person(self.meta.get("author", "article:author"))),
        ]

    def tags(self) -> list[Step[list[str]]]:
        return [
            (SELECTOR, lambda: self.css_texts(self.TAGS_CSS)),
            (JSONLD, lambda: self.meta.jsonld.keywords),
            (META, lambda: split_keywords(self.meta.get("news_keywords", "keywords") or "")),
        ]

    def category(self) -> list[Step[str]]:
        crumbs = self.meta.jsonld.breadcrumbs
        return [
            (SELECTOR, lambda: (self.css_texts(self.CATEGORY_CSS) or [None])[-1]),
            (JSONLD, lambda: crumbs[-1] if len(crumbs) > 1 else None),
            (META, lambda: self.meta.get("article:section")),
        ]

    def lang(self) -> list[Step[str]]:
        return [
            (MARKUP, lambda: _lang_code(self.meta.html_lang)),
            (META, lambda: _lang_code(self.meta.get("content-language", "og:locale"))),
            (cascade.DEFAULT, lambda: self.default_lang),
        ]

    def canonical_url(self) -> list[Step[str]]:
        return [
            (MARKUP, lambda: self._same_site(self.meta.canonical)),
            (META, lambda: self._same_site(self.meta.get("og:url"))),
        ]

    def prune_body(self, root: etree._Element) -> None:
        """Remove from the body copy what the family recognises by position (e.g. a byline)."""

    def body(self) -> Body:
        if self.content_element is None:
            return Body(text=None, html=None)
        return extract_body(
            self.content_element,
            self.url,
            drop=self.DROP_CSS,
            caption_css=self.CAPTION_CSS,
            prune=self.prune_body,
        )

    # -- assembly -----------------------------------------------------------------------------

    def to_item(self) -> ArticleItem:
        item = ArticleItem(url=self.url, source=self.source)
        methods: dict[str, str] = {}
        for name in (
            "title", "summary", "published_at", "modified_at", "author", "tags", "category",
            "lang", "canonical_url",
        ):  # fmt: skip
            value, step = first(getattr(self, name)())
            if step is not None:
                setattr(item, name, value)
                methods[name] = step
        body = self.body()
        item.text, item.body_html, item.images = body.text, body.html, body.images
        if body.text:
            methods["text"] = self.CONTENT_STEP
        if not item.images and (og_image := self.meta.get("og:image")):
            item.images = [Image(url=urljoin(self.url, og_image))]
            methods["images"] = META
        elif item.images:
            methods["images"] = self.CONTENT_STEP
        item.methods = methods
        for required in ("title", "text", "published_at"):
            if required not in methods:
                item.warnings.append(f"missing {required}")
        if self.meta.jsonld.errors:
            item.warnings.append("invalid JSON-LD")
        return item

    # -- internals ----------------------------------------------------------------------------

    @cached_property
    def _meta_published(self) -> datetime | None:
        return parse_iso(self.meta.get("article:published_time", "datePublished"))

    def _selector_date(self, css: str | None, precise: datetime | None) -> datetime | None:
        """The page's visible date; a date without a time defers to the meta value of that day."""
        text = self.css_text(css)
        value = parse_date(text)
        if value is None or text is None:
            return None
        if not _HAS_TIME.search(text) and precise is not None:
            return None  # the meta step answers with the same day and its time
        return value

    @staticmethod
    def _person(value: str | None) -> str | None:
        """Meta author often holds the site's domain, which is not a person."""
        if value and not _DOMAIN_LIKE.match(value):
            return value
        return None

    def _same_site(self, url: str | None) -> str | None:
        if not url:
            return None
        absolute = urljoin(self.url, url)
        return absolute if urlsplit(absolute).netloc == urlsplit(self.url).netloc else None


def _lang_code(value: str | None) -> str | None:
    """``"vi-VN"``, ``"vi_VN"`` → ``"vi"``."""
    if not value:
        return None
    match = _LANG.match(value.strip().lower())
    return match.group(0) if match else None


class GenericArticlePage(ArticlePage):
    """A page of unknown layout: the article element or ``<main>``, minus page chrome.

    Only for input that arrives as bare HTML (``vnnews import``); crawled sites have their
    family's page object.
    """

    CONTENT_CSS = "[itemprop=articleBody], article, main, body"
    DROP_CSS = ("nav", "header", "footer", "aside", "[role=navigation]", "[role=complementary]")
    CONTENT_STEP = MARKUP
