"""Liferay portals: Tạp chí Cộng sản (tapchicongsan.org.vn, group 20182) and its English edition.

Evidence (../shared/reference/site-notes.md and stored copies of page text):

- [C] URL shapes: ``/web/guest/<page>/-/2018/<id>/<slug>.aspx``, the same without
  ``/web/guest``, ``.../-/2018/<id>/view_content``, ``/en_US/web/guest/...``, the asset
  publisher's ``/<page>[/chi-tiet]/-/asset_publisher/<id>/content/<slug>`` and the English
  Liferay site ``/web/english/...``; images ``/documents/20182/...`` and
  ``/image/journal/article?img_id=``. Listing links may carry ``?inheritRedirect=...&redirect=``.
- [C] Leads are signed "TCCS - " (Vietnamese) and "Communist Review - " (English edition; the
  Spanish one writes "Revista Comunista - "). The date is printed "10:22, 04-05-2021" and the
  author's name and position stand above the lead (page text of an asset-publisher page).
- [G] Every CSS selector below. No capture of the markup exists, so they are modelled on
  Liferay's stock markup (6.2 asset publisher full content: ``.taglib-header .header-title``,
  ``.asset-full-content .journal-content-article``, ``.asset-metadata .metadata-publish-date``,
  ``.taglib-asset-tags-summary``, related assets in ``.asset-links``) and on plausible class
  names of a web-content template inside ``.journal-content-article`` (``.article-title``,
  ``.article-sapo``, ``.article-date``, ``.article-body``).

Because the selectors are guesses, this page object is built to degrade gracefully:

- a selector string lists alternatives separated by commas, tried in order (most specific
  first), not "first in the document": a Liferay page is many portlets sharing class names;
- the content is the *longest* match of the first alternative that has enough text: banners
  and the footer are journal articles too;
- a lead printed as the first paragraph of the body ("TCCS - ...") is read as the lead and
  removed from the body; image tables of the rich-text editor become figures with captions;
- every field still falls back to JSON-LD, OpenGraph/meta and the generic extractor, and the
  step that answered is recorded per field.

Language: Liferay's ``<html lang>`` and ``/en_US/`` prefix name the *interface* locale, and a
web content without a translation is shown in its default language under every locale. So
when a long text is clearly in another language than the page declares, the text wins.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from crawler.extract.body import ALWAYS_DROP, drop_elements, remove, select
from crawler.extract.cascade import DETECTED, MARKUP, META, SELECTOR, URL, Step, first
from crawler.extract.dates import parse_date
from crawler.extract.language import detect_language
from crawler.extract.page import ArticlePage
from crawler.extract.text import split_outlet_prefix, squash

# Article pages of the family (path only), in every edition. Listing pages never contain "/-/".
ARTICLE_PATH = re.compile(
    r"^(?:/[a-z]{2}_[A-Z]{2})?"  # a locale prefix: /en_US
    r"(?:/web/[\w-]+)?"  # the Liferay site: /web/guest, /web/english
    r"(?:/[\w-]+){1,2}/-/"  # the page (and a detail sub-page such as /chi-tiet)
    r"(?:2018/\d+/(?:[^/]+\.aspx|view_content)"
    r"|asset_publisher/\w+/content/[^/]+)$"
)
# Query parameters of Liferay navigation: where to go back to, not which article.
NAVIGATION_PARAMS = frozenset({"redirect", "inheritRedirect"})
# Liferay sites that are a language edition: /web/english/...
SITE_LANGS = {"english": "en"}
# Signatures of the review's own leads, by edition ([C]); other outlets' prefixes go through
# the shared split_outlet_prefix.
SIGNATURES = ("TCCS", "Communist Review", "Revista Comunista", "Tạp chí Cộng sản")
_SIGNATURE = re.compile(
    r"^\s*(?P<outlet>" + "|".join(re.escape(s) for s in SIGNATURES) + r")\s*[-–—:]\s+"
)
# "10:22, 04-05-2021" (the review's own format), possibly with seconds.
_REVIEW_DATE = re.compile(
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2})?\s*,?\s+(?P<d>\d{1,2})[-/.](?P<mo>\d{1,2})"
    r"[-/.](?P<y>\d{4})"
)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")

# Below this much text a content candidate is a banner or an empty template, not the article.
MIN_CONTENT_CHARS = 150
# Below this much body text the language detector is not trusted over the page's declaration.
MIN_LANG_OVERRIDE_CHARS = 400
# Blocks that hold running text, and containers whose text is not running text.
_TEXT_BLOCKS = ("p", "div", "h2", "h3", "h4", "h5", "h6", "blockquote")
_NOT_TEXT = frozenset({"figure", "figcaption", "table"})
# An editor's image table holds one image and a caption, not a data table.
MAX_IMAGE_TABLE_CAPTION_CHARS = 300


def split_signature(lead: str | None) -> tuple[str | None, str | None]:
    """``"Communist Review - On 4 September..."`` → ``("Communist Review", "On 4 September...")``;
    other prefixes (``"(Chinhphu.vn) - "``) as :func:`split_outlet_prefix` reads them."""
    if lead:
        match = _SIGNATURE.match(lead)
        if match and (rest := lead[match.end() :].strip()):
            return match.group("outlet"), rest
    return split_outlet_prefix(lead)


def review_date(text: str | None) -> datetime | None:
    """A date as the review prints it ("10:22, 04-09-2026") or in any format parse_date reads."""
    if not text:
        return None
    match = _REVIEW_DATE.search(text)
    if match:
        text = "{d}/{mo}/{y} {h}:{m}".format(**match.groupdict())
    return parse_date(text)


def clean_article_url(url: str) -> str:
    """The article URL without Liferay's navigation parameters (one article, one URL)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k not in NAVIGATION_PARAMS]  # fmt: skip
    return urlunsplit(parts._replace(query=urlencode(kept), fragment=""))


def _alternatives(css: str | None) -> list[str]:
    return [part.strip() for part in (css or "").split(",") if part.strip()]


def _text_length(element: etree._Element) -> int:
    return len(squash(" ".join(element.itertext())) or "")


class LiferayArticlePage(ArticlePage):
    """Fields of a Tạp chí Cộng sản article page (see the module docstring for the evidence)."""

    # Alternatives in order of preference (see css_text).
    TITLE_CSS = ".article-title, .taglib-header .header-title, .asset-full-content .asset-title"
    SUMMARY_CSS = ".article-sapo, .asset-full-content .asset-summary"
    PUBLISHED_CSS = (
        ".article-date, .asset-full-content .metadata-publish-date, .asset-metadata "
        ".metadata-publish-date"
    )
    AUTHOR_CSS = ".article-author .author-name, .asset-full-content .author-name"
    TAGS_CSS = ".article-tags a, .asset-full-content .taglib-asset-tags-summary a"
    CATEGORY_CSS = ".breadcrumb a"
    CONTENT_CSS = (
        ".article-body, .asset-full-content .journal-content-article, "
        "#main-content .journal-content-article, .asset-full-content .asset-content"
    )
    DROP_CSS = (
        # related content, inside the article or beside it
        ".related-news", ".tin-lien-quan", ".asset-links", ".taglib-asset-links",
        # portlet furniture
        ".taglib-social-bookmarks", ".social-bookmarks", ".asset-ratings", ".taglib-ratings",
        ".asset-flag", ".asset-more", ".asset-user-actions", ".lfr-meta-actions",
        ".taglib-discussion", ".lfr-discussion-container", ".print-action", ".article-tools",
        # the template's header, when the whole journal article is the content
        ".article-title", ".article-sapo", ".article-date", ".article-author", ".article-tags",
        ".taglib-header", ".asset-metadata",
    )  # fmt: skip
    CAPTION_CSS = "figcaption, .image-caption"

    # -- selectors: alternatives tried in order ------------------------------------------------

    def css_text(self, css: str | None) -> str | None:
        for alternative in _alternatives(css):
            if (text := super().css_text(alternative)) is not None:
                return text
        return None

    def css_texts(self, css: str | None) -> list[str]:
        for alternative in _alternatives(css):
            if texts := super().css_texts(alternative):
                return texts
        return []

    @cached_property
    def content_element(self) -> etree._Element | None:
        for alternative in _alternatives(self.CONTENT_CSS):
            found = select(self.sel.root, alternative)
            if not found:
                continue
            longest = max(found, key=_text_length)
            if _text_length(longest) >= MIN_CONTENT_CHARS:
                return longest
        return None

    # -- fields --------------------------------------------------------------------------------

    def raw_summary(self) -> list[Step[str]]:
        """The template's lead, else a signed first paragraph of the body, else metadata."""
        steps = super().raw_summary()
        return [steps[0], (SELECTOR, self._body_lead), *steps[1:]]

    def summary(self) -> list[Step[str]]:
        return [(name, _unsigned(step)) for name, step in self.raw_summary()]

    def published_at(self) -> list[Step[datetime]]:
        later = [step for step in super().published_at() if step[0] != SELECTOR]
        return [(SELECTOR, self._visible_date), *later]

    def category(self) -> list[Step[str]]:
        """The breadcrumb's last link, unless the home link is all there is."""
        later = [step for step in super().category() if step[0] != SELECTOR]
        return [(SELECTOR, self._breadcrumb_category), *later]

    def canonical_url(self) -> list[Step[str]]:
        """Only an article URL: some Liferay versions name the hosting page as canonical,
        which would fold every article of a section into one."""
        return [(name, _article_only(step)) for name, step in super().canonical_url()]

    def lang(self) -> list[Step[str]]:
        return [(DETECTED, self._locale_mismatch), *super().lang()]

    def url_lang(self) -> str | None:
        """``/en_US/...`` as the base reads it, or a language site such as ``/web/english/``."""
        if code := super().url_lang():
            return code
        segments = urlsplit(self.url).path.strip("/").split("/")
        if len(segments) > 1 and segments[0] == "web":
            return SITE_LANGS.get(segments[1])
        return None

    def prune_body(self, root: etree._Element) -> None:
        lead = _first_block(root)
        if lead is not None and split_signature(_block_text(lead))[0] is not None:
            remove(lead)
        for table in select(root, "table"):
            _table_to_figure(table)

    # -- internals -----------------------------------------------------------------------------

    @cached_property
    def _lead_outlet(self) -> str | None:
        return split_signature(first(self.raw_summary())[0])[0]

    def _body_lead(self) -> str | None:
        """The body's first paragraph when it carries the review's signature: the lead."""
        if self.content_element is None:
            return None
        root = copy.deepcopy(self.content_element)
        drop_elements(root, (*ALWAYS_DROP, *self.DROP_CSS))  # as the body will be read
        block = _first_block(root)
        text = _block_text(block) if block is not None else None
        return text if _SIGNATURE.match(text or "") else None

    def _visible_date(self) -> datetime | None:
        """The printed date; a date without a time defers to the meta value of that day."""
        text = self.css_text(self.PUBLISHED_CSS)
        value = review_date(text)
        if value is None or text is None:
            return None
        if not _HAS_TIME.search(text) and self._meta_published is not None:
            return None
        return value

    def _breadcrumb_category(self) -> str | None:
        crumbs = self.css_texts(self.CATEGORY_CSS)
        return crumbs[-1] if len(crumbs) > 1 else None

    def _locale_mismatch(self) -> str | None:
        """The text's language when a long text contradicts the declared locale."""
        declared_steps = [s for s in super().lang() if s[0] in (MARKUP, META, URL)]
        declared = first(declared_steps)[0]
        text = self.body().text or ""
        if declared is None or len(text) < MIN_LANG_OVERRIDE_CHARS:
            return None
        detected = detect_language(text)
        return detected if detected and detected != declared else None


def _unsigned(step: Callable[[], str | None]) -> Callable[[], str | None]:
    return lambda: split_signature(step())[1]


def _article_only(step: Callable[[], str | None]) -> Callable[[], str | None]:
    def checked() -> str | None:
        url = step()
        return url if url and ARTICLE_PATH.match(urlsplit(url).path) else None

    return checked


def _block_text(block: etree._Element) -> str | None:
    return squash(" ".join(block.itertext()))


def _first_block(root: etree._Element) -> etree._Element | None:
    """The first paragraph-like block with text, images and their captions aside."""
    for element in root.iter(*_TEXT_BLOCKS):
        if element is root or _inside(element, root, _NOT_TEXT):
            continue
        if any(child.tag in _TEXT_BLOCKS for child in element):
            continue  # a wrapper: its first inner block is the one
        if _block_text(element):
            return element
    return None


def _inside(element: etree._Element, root: etree._Element, tags: frozenset[str]) -> bool:
    """Whether an ancestor of ``element`` below ``root`` is one of ``tags``."""
    for ancestor in element.iterancestors():
        if ancestor is root:
            return False
        if ancestor.tag in tags:
            return True
    return False


def _table_to_figure(table: etree._Element) -> None:
    """``<table><tr><td><img></td></tr><tr><td>caption</td></tr></table>`` → a figure.

    The rich-text editor of many Vietnamese CMSs (Liferay's CKEditor among them) lays out an
    image and its caption as a table; as a figure, the caption is kept apart from the text.
    """
    images = table.findall(".//img")
    parent = table.getparent()
    if parent is None or len(images) != 1 or len(table.findall(".//tr")) > 2:
        return
    caption = squash(" ".join(table.itertext())) or ""
    if len(caption) > MAX_IMAGE_TABLE_CAPTION_CHARS:
        return
    figure = etree.Element("figure")
    image = images[0]
    image.getparent().remove(image)
    image.tail = None
    figure.append(image)
    if caption:
        etree.SubElement(figure, "figcaption").text = caption
    figure.tail = table.tail
    parent.replace(table, figure)
