"""The VHV portal platform: laichau.gov.vn and its sibling provincial and ministry portals.

Every VHV selector in ../shared/reference/site-notes.md is only [S] (a PHP clone of a VHV
page and third-party scrapers), so each field names both layouts seen there:

- the ``news-detail-layout-type-2`` article of the provincial portals: ``span.post-date``
  ("14:30:00 | 05/09/2026"), ``h1.title-detail``, ``div.brief``,
  ``div.block-core-a5 div.content-detail[itemprop=articleBody]``, ``ol.breadcrumb`` and a
  ``div.author`` footer ("Tác giả: ... Lượt xem: ...");
- the moit.gov.vn layout: ``h1.article-title``, ``div.article-brief``, ``div.article-content``,
  ``.aritcle-source`` (sic) and ``.article-tags``. Its date element is not documented: the
  ``meta[itemprop=datePublished]`` both layouts carry answers (and is recorded as ``meta``).

In the type-2 layout ``div.article-content`` wraps the whole article (title, brief, rating
widget), so the body selectors are tried one at a time, most specific first, and an element
that holds the headline is never taken as the body. Whatever neither layout answers falls
back through the shared cascade (JSON-LD, OpenGraph/meta, the generic extractor), step recorded.
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml import etree

from crawler.extract.body import select
from crawler.extract.cascade import SELECTOR, Step
from crawler.extract.credits import parse_credit_text
from crawler.extract.page import ArticlePage
from crawler.extract.text import squash

# Body candidates, most specific first (see the module docstring for why not one union).
CONTENT_SELECTORS = (
    "div.block-core-a5 div.content-detail",
    "div.content-detail[itemprop=articleBody]",
    "div.content-detail",
    "div.article-content",
)
# A body candidate holding one of these is the article's wrapper, not its body.
_WRAPPER_MARKS = "h1, div.brief, div.article-brief"

AUTHOR_SELECTORS = ".news-detail-layout-type-2 div.author, div.article-author"
SOURCE_SELECTORS = ".aritcle-source, .article-source"

_AUTHOR_LABEL = re.compile(r"^(?:tác giả|người viết|bài và ảnh|bài, ảnh)\s*[:：]?\s*", re.I)
_VIEWS = re.compile(r"[-–|·]?\s*lượt xem\s*[:：]?\s*[\d.,]*", re.I)


class VhvArticlePage(ArticlePage):
    TITLE_CSS = "h1.title-detail, h1.article-title"
    SUMMARY_CSS = "div.brief, div.article-brief"
    PUBLISHED_CSS = "article.news-detail-layout-type-2 span.post-date"
    TAGS_CSS = ".article-tags a"
    CATEGORY_CSS = "ol.breadcrumb li a"
    CONTENT_CSS = ", ".join(CONTENT_SELECTORS)
    DROP_CSS = (
        ".relatedArticles",  # "Tin liên quan" box editors put inside the body
        ".related-news",
        ".social-connect",
        ".network-share",
        ".block_share",
        ".zalo-share-button",
        ".fb-like",
        ".rating",
        "[id^=audio]",
        ".article-tags",
        ".aritcle-source",
        ".article-source",
    )
    CAPTION_CSS = "figcaption"
    EXTRA_SELECTOR_FIELDS = ("author", "credited_outlet")

    @cached_property
    def content_element(self) -> etree._Element | None:
        for css in CONTENT_SELECTORS:
            for element in select(self.sel.root, css):
                if not select(element, _WRAPPER_MARKS):
                    return element
        return None

    def author(self) -> list[Step[str]]:
        return [(SELECTOR, self._author_line), *super().author()]

    def credited_outlet(self) -> list[Step[str]]:
        return [(SELECTOR, self._source_outlet), *super().credited_outlet()]

    def _author_line(self) -> str | None:
        """ "Tác giả: Minh Đức  Lượt xem: 1.284" → "Minh Đức"; a views-only footer is no author."""
        for text in self.css_texts(AUTHOR_SELECTORS):
            name = squash(_AUTHOR_LABEL.sub("", squash(_VIEWS.sub(" ", text)) or "")) or ""
            if name := name.strip(" -–|·"):
                return name
        return None

    def _source_outlet(self) -> str | None:
        """The moit layout's source box: "Nguồn: Sở ..." → "Sở ..."."""
        text = self.css_text(SOURCE_SELECTORS)
        if not text:
            return None
        credit = parse_credit_text(text)
        return credit.outlet if credit is not None else text
