"""The article page object: one small method per field, each a cascade of named steps.

A site family subclasses :class:`ArticlePage` and names its selectors; everything a page can
say without the site's layout (JSON-LD, OpenGraph, meta, ``<title>``) is the shared tail of
every cascade. The page knows nothing of crawling: URL and HTML in, :class:`ArticleItem` out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from crawler.extract import cascade
from crawler.extract.body import Body, extract_body, select
from crawler.extract.cascade import (
    CREDIT,
    DETECTED,
    GENERIC,
    JSONLD,
    LEAD,
    MARKUP,
    META,
    SELECTOR,
    URL,
    Step,
    first,
)
from crawler.extract.credits import Credit, find_credit
from crawler.extract.dates import parse_date
from crawler.extract.generic import drop_leading_repeats, generic_content
from crawler.extract.language import DETECTABLE, detect_language, language_code
from crawler.extract.metadata import PageMeta, split_keywords
from crawler.extract.text import split_outlet_prefix, squash
from crawler.items import ArticleItem, Image

_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_DOMAIN_LIKE = re.compile(r"^[\w-]+(\.[\w-]+)+$")
_LANG_SEGMENT = re.compile(r"^[a-z]{2}(?:[_-][A-Za-z]{2})?$")

# Fields filled by the cascades of ArticlePage, in the order to_item() fills them.
_FIELDS = ("title", "summary", "published_at", "modified_at", "author", "tags", "category",
           "canonical_url", "credited_outlet", "credited_url", "alternates")  # fmt: skip


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
    # The credit of a republication, where the site prints it in an element of its own.
    CREDIT_OUTLET_CSS: ClassVar[str | None] = None
    CREDIT_URL_CSS: ClassVar[str | None] = None  # an <a>: its href is the original's URL
    # Fields a subclass reads with selectors of its own (beyond the *_CSS above).
    EXTRA_SELECTOR_FIELDS: ClassVar[tuple[str, ...]] = ()

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

    def raw_summary(self) -> list[Step[str]]:
        """The lead as printed, outlet signature included."""
        return [
            (SELECTOR, lambda: self.css_text(self.SUMMARY_CSS)),
            (JSONLD, lambda: self.meta.jsonld.text("description")),
            (META, lambda: self.meta.get("og:description", "description", "twitter:description")),
        ]

    def summary(self) -> list[Step[str]]:
        """The lead without the outlet's signature ("TCCS - ", "(Chinhphu.vn) - ")."""
        return [(name, _without_prefix(step)) for name, step in self.raw_summary()]

    def published_at(self) -> list[Step[datetime]]:
        meta = self._meta_published
        return [
            (SELECTOR, lambda: self._selector_date(self.PUBLISHED_CSS, meta)),
            (META, lambda: meta),
            (JSONLD, lambda: parse_date(self.meta.jsonld.text("datePublished"))),
        ]

    def modified_at(self) -> list[Step[datetime]]:
        return [
            (META, lambda: parse_date(self.meta.get("article:modified_time", "dateModified"))),
            (JSONLD, lambda: parse_date(self.meta.jsonld.text("dateModified"))),
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
        """Declared first (markup, meta, the URL), then detected from the text, then the
        source's configured language."""
        return [
            (MARKUP, lambda: language_code(self.meta.html_lang)),
            (META, lambda: language_code(self.meta.get("content-language", "og:locale"))),
            (URL, self.url_lang),
            (DETECTED, lambda: detect_language(self.body().text)),
            (cascade.DEFAULT, lambda: self.default_lang),
        ]

    def url_lang(self) -> str | None:
        """A language edition in the path: ``/ru/...``, ``/en_US/web/...``."""
        segment = urlsplit(self.url).path.strip("/").split("/", 1)[0]
        if not _LANG_SEGMENT.match(segment):
            return None
        code = language_code(segment)
        return code if code in DETECTABLE else None

    def credited_outlet(self) -> list[Step[str]]:
        """Who the page credits: its own credit element, an outlet the credit line names, the
        lead's signature, and last the host of a credit line that gave only a URL."""
        return [
            (SELECTOR, lambda: self.css_text(self.CREDIT_OUTLET_CSS)),
            (CREDIT, lambda: self._credit.outlet if self._credit.named else None),
            (LEAD, lambda: self._lead_outlet),
            (CREDIT, lambda: self._credit.outlet),
        ]

    def credited_url(self) -> list[Step[str]]:
        """The original article a republication names."""
        return [
            (SELECTOR, lambda: self._css_href(self.CREDIT_URL_CSS)),
            (CREDIT, lambda: self._credit.url),
        ]

    def alternates(self) -> list[Step[dict[str, str]]]:
        """Other language editions: ``<link rel="alternate" hreflang="ru" href="...">``,
        without the page itself (which lists its own edition among them)."""
        own = _page_key(self.url)
        return [
            (MARKUP, lambda: {c: u for c, u in self._hreflang().items() if _page_key(u) != own})
        ]

    def canonical_url(self) -> list[Step[str]]:
        return [
            (MARKUP, lambda: self._same_site(self.meta.canonical)),
            (META, lambda: self._same_site(self.meta.get("og:url"))),
        ]

    def prune_body(self, root: etree._Element) -> None:
        """Remove from the body copy what the family recognises by position (e.g. a byline)."""

    def body_steps(self) -> list[Step[etree._Element]]:
        """Where the body may be: the site's content element, else the generic extractor."""
        return [(SELECTOR, lambda: self.content_element), (GENERIC, self._generic_element)]

    def body(self) -> Body:
        """Text, sanitized HTML and images from the first body step that yields text."""
        return self._body[0]

    @cached_property
    def _body(self) -> tuple[Body, str | None]:
        for name, step in self.body_steps():
            element = step()
            if element is None:
                continue
            body = extract_body(
                element,
                self.url,
                drop=self.DROP_CSS,
                caption_css=self.CAPTION_CSS,
                prune=self.prune_body,
            )
            if body.text:
                return body, name
        return Body(text=None, html=None), None

    def selector_fields(self) -> tuple[str, ...]:
        """Fields this page object has site selectors for: the ones health is judged on."""
        configured = {
            "title": self.TITLE_CSS, "summary": self.SUMMARY_CSS,
            "published_at": self.PUBLISHED_CSS, "author": self.AUTHOR_CSS,
            "tags": self.TAGS_CSS, "category": self.CATEGORY_CSS, "text": self.CONTENT_CSS,
        }  # fmt: skip
        fields = [name for name, css in configured.items() if css]
        return tuple(dict.fromkeys([*fields, *self.EXTRA_SELECTOR_FIELDS]))

    # -- assembly -----------------------------------------------------------------------------

    def to_item(self) -> ArticleItem:
        item = ArticleItem(url=self.url, source=self.source)
        methods: dict[str, str] = {}
        for name in _FIELDS:
            value, step = first(getattr(self, name)())
            if step is not None:
                setattr(item, name, value)
                methods[name] = step
        body, body_step = self._body
        item.text, item.body_html, item.images = body.text, body.html, body.images
        if body.text and body_step is not None:
            methods["text"] = body_step
        if not item.images and (og_image := self.meta.get("og:image")):
            item.images = [Image(url=urljoin(self.url, og_image))]
            methods["images"] = META
        elif item.images and body_step is not None:
            methods["images"] = body_step
        item.lang, lang_step = first(self.lang())
        if lang_step is not None:
            methods["lang"] = lang_step
        item.methods = methods
        item.selector_fields = self.selector_fields()
        for required in ("title", "text", "published_at"):
            if required not in methods:
                item.warnings.append(f"missing {required}")
        if self.meta.jsonld.errors:
            item.warnings.append("invalid JSON-LD")
        return item

    # -- internals ----------------------------------------------------------------------------

    @cached_property
    def _lead_outlet(self) -> str | None:
        return split_outlet_prefix(first(self.raw_summary())[0])[0]

    @cached_property
    def _credit(self) -> Credit:
        element = self.content_element
        if element is None:
            return Credit()
        return find_credit(element, self.url) or Credit()

    def _css_href(self, css: str | None) -> str | None:
        if not css:
            return None
        href = self.sel.css(css).xpath("@href").get()
        return urljoin(self.url, href.strip()) if href and href.strip() else None

    def _hreflang(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for link in self.sel.xpath('//link[@rel="alternate"][@hreflang][@href]'):
            code = language_code(link.attrib["hreflang"])
            if code and code not in found:
                found[code] = urljoin(self.url, link.attrib["href"].strip())
        return found

    def _generic_element(self) -> etree._Element | None:
        element = generic_content(self.sel.get(), self.url)
        if element is not None:
            title, lead = first(self.title())[0], first(self.raw_summary())[0]
            drop_leading_repeats(element, title, lead)
        return element

    @cached_property
    def _meta_published(self) -> datetime | None:
        return parse_date(self.meta.get("article:published_time", "datePublished"))

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


def _page_key(url: str) -> tuple[str, str]:
    """A URL's host (without ``www.``) and path (without a trailing ``/``): the same page."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower().removeprefix("www."), parts.path.rstrip("/")


def _without_prefix(step: Callable[[], str | None]) -> Callable[[], str | None]:
    return lambda: split_outlet_prefix(step())[1]


class GenericArticlePage(ArticlePage):
    """A page of unknown layout: the article element or ``<main>``, minus page chrome.

    Only for input that arrives as bare HTML (``vnnews import``); crawled sites have their
    family's page object.
    """

    DROP_CSS = ("nav", "header", "footer", "aside", "[role=navigation]", "[role=complementary]")
    MARKUP_CONTENT_CSS = "[itemprop=articleBody], article, main, body"

    def body_steps(self) -> list[Step[etree._Element]]:
        """The generic extractor first; short texts it declines are read from the markup."""
        return [(GENERIC, self._generic_element), (MARKUP, self._markup_element)]

    def _markup_element(self) -> etree._Element | None:
        found = select(self.sel.root, self.MARKUP_CONTENT_CSS)
        return found[0] if found else None
