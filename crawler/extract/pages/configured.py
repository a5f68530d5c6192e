"""Page objects for config entries (``spiders/portals.toml`` and the user's own sites file).

An entry names CSS selectors for some fields, or none at all. :func:`page_class` turns its
selectors into a subclass of :class:`ConfiguredArticlePage`, so a field with a selector is a
``selector`` step (and judged by extraction health, like a built-in family's) while a field
without one goes straight to the shared fallbacks: JSON-LD, OpenGraph/meta, generic markup.
Without a ``content`` selector the body comes from the generic extractor (trafilatura), and
the stored ``extraction`` map says so field by field.

Sites we know only from a config entry are the ones most likely to lack selectors, so this
page adds a few layout-free steps the built-in families do not need: the page's only ``<h1>``
before ``<title>`` (which carries the site name), a ``<time>`` marked as the publication date,
and the captions trafilatura drops, found again beside their images in the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar
from urllib.parse import urljoin

from lxml import etree

from crawler.extract.body import select
from crawler.extract.cascade import GENERIC, MARKUP, Step, first
from crawler.extract.dates import parse_date
from crawler.extract.generic import drop_leading_repeats
from crawler.extract.page import ArticlePage
from crawler.extract.text import squash
from crawler.items import ArticleItem

# Config selector field -> the ArticlePage attribute it sets.
SELECTOR_ATTRIBUTES = {
    "title": "TITLE_CSS",
    "summary": "SUMMARY_CSS",
    "published_at": "PUBLISHED_CSS",
    "author": "AUTHOR_CSS",
    "tags": "TAGS_CSS",
    "category": "CATEGORY_CSS",
    "content": "CONTENT_CSS",
}
# Markup that says "this is the publication date" without being a site's own class name.
PUBLISHED_MARKUP_CSS = "time[itemprop=datePublished], time[pubdate], article time[datetime]"

_NOT_IDENTIFIER = re.compile(r"\W+")


class ConfiguredArticlePage(ArticlePage):
    """An article page of a config entry; :func:`page_class` fills in the entry's selectors."""

    SITE_KEY: ClassVar[str] = ""

    def title(self) -> list[Step[str]]:
        *steps, last = super().title()  # the last step is <title>, which names the site too
        return [*steps, (MARKUP, self._only_h1), last]

    def published_at(self) -> list[Step[datetime]]:
        return [*super().published_at(), (MARKUP, self._marked_up_date)]

    def to_item(self) -> ArticleItem:
        item = super().to_item()
        if item.methods.get("text") == GENERIC:
            captions = self._figure_captions()
            for image in item.images:
                if image.caption is None:
                    image.caption = captions.get(image.url)
        return item

    def _generic_element(self) -> etree._Element | None:
        """The generic body without a leading copy of the page's heading.

        The base drops leading blocks that repeat the title and lead it chose; when those came
        from JSON-LD or meta and differ a little from the visible ``<h1>``, that heading stays.
        """
        element = super()._generic_element()
        if element is not None and (heading := self._only_h1()):
            title, lead = first(self.title())[0], first(self.raw_summary())[0]
            drop_leading_repeats(element, heading, title, lead)
        return element

    # -- layout-free steps --------------------------------------------------------------------

    def _only_h1(self) -> str | None:
        """The heading, when the page has exactly one ``<h1>`` (more: a logo or a list)."""
        headings = self.sel.css("h1")
        if len(headings) != 1:
            return None
        return squash(" ".join(headings[0].xpath(".//text()").getall()))

    def _marked_up_date(self) -> datetime | None:
        for node in self.sel.css(PUBLISHED_MARKUP_CSS):
            value = parse_date(node.attrib.get("datetime") or node.attrib.get("content"))
            if value is not None:
                return value
        return None

    def _figure_captions(self) -> dict[str, str]:
        """Image URL -> caption of every ``<figure>`` on the page, under any lazy-load name.

        trafilatura keeps a body's images but not their ``<figcaption>``; the page still has it.
        """
        captions: dict[str, str] = {}
        for figure in select(self.sel.root, "figure"):
            caption = squash(
                " ".join(" ".join(c.itertext()) for c in select(figure, self.CAPTION_CSS))
            )
            if not caption:
                continue
            for img in select(figure, "img"):
                for attr in ("data-original", "data-src", "src"):
                    value = (img.get(attr) or "").strip()
                    if value and not value.startswith("data:"):
                        captions.setdefault(urljoin(self.url, value), caption)
        return captions


def page_class(
    selectors: Mapping[str, str | tuple[str, ...]], key: str = ""
) -> type[ConfiguredArticlePage]:
    """A page class for one entry's selectors (``spiders.portal_config`` checked them).

    Fields: ``title``, ``summary``, ``published_at``, ``author``, ``tags``, ``category``,
    ``content`` (one CSS selector each) and ``drop`` (selectors removed from the body); other
    keys (the listing's ``listing_links``, ``next_page``) are the spider's business.
    """
    attributes: dict[str, object] = {
        attribute: _one(selectors.get(field)) for field, attribute in SELECTOR_ATTRIBUTES.items()
    }
    drop = selectors.get("drop", ())
    attributes["DROP_CSS"] = (drop,) if isinstance(drop, str) else tuple(drop)
    attributes["SITE_KEY"] = key
    attributes["__doc__"] = f"Article pages of the config entry {key!r}."
    name = "ConfiguredPage_" + (_NOT_IDENTIFIER.sub("_", key) or "anonymous")
    return type(name, (ConfiguredArticlePage,), attributes)


def _one(value: str | tuple[str, ...] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    return ", ".join(value) or None
