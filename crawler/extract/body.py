"""Article body: clean text, sanitized HTML and images with their captions kept apart.

Works on a copy of the content element so the page stays intact for other fields. Noise is
removed by CSS selectors that each site family names (related-news boxes, share widgets);
scripts, styles, forms and embeds are always removed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

import nh3
from lxml import etree, html
from parsel.csstranslator import css2xpath

from crawler.extract.text import squash, tidy_paragraphs
from crawler.items import Image

ALWAYS_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "button",
    "iframe",
    "object",
    "embed",
    "svg",
    "input",
    "select",
    "textarea",
)

BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "aside", "main", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
        "blockquote", "pre", "figure", "figcaption", "hr", "br", "address",
    }
)  # fmt: skip

# What survives into stored HTML: structure and emphasis, links and images; nothing active.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
    "b", "strong", "i", "em", "u", "sub", "sup", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "td", "th", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


@dataclass
class Body:
    text: str | None
    html: str | None
    images: list[Image] = field(default_factory=list)


@lru_cache(maxsize=256)
def _xpath(css: str) -> etree.XPath:
    return etree.XPath(css2xpath(css))


def select(root: etree._Element, css: str) -> list[etree._Element]:
    """Elements under ``root`` matching a CSS selector (compiled once per selector)."""
    return _xpath(css)(root)


def remove(element: etree._Element) -> None:
    """Remove an element but keep its tail text, which belongs to the parent's flow."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def image_url(img: etree._Element, base_url: str) -> str | None:
    """The full-size image: lazy-loading CMSs keep it in ``data-original``/``data-src``."""
    for attr in ("data-original", "data-src", "src"):
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return urljoin(base_url, value)
    return None


def _take_images(root: etree._Element, base_url: str, caption_css: str) -> list[Image]:
    images: list[Image] = []
    seen: set[str] = set()
    for img in select(root, "img"):
        url = image_url(img, base_url)
        if not url or url in seen:
            continue
        seen.add(url)
        caption = None
        figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
        if figure is not None:
            captions = select(figure, caption_css)
            caption = squash(" ".join(" ".join(c.itertext()) for c in captions))
        images.append(Image(url=url, caption=caption))
        img.set("src", url)
    return images


def element_text(root: etree._Element) -> str | None:
    """Readable text: one paragraph per block element, inline markup flattened."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.tail:
                parts.append(el.tail)
            return
        block = el.tag in BLOCK_TAGS
        if block:
            parts.append("\n\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    text = tidy_paragraphs("".join(parts))
    return text or None


def sanitize(root: etree._Element, base_url: str) -> str | None:
    """Allow-list sanitized HTML with absolute links; run once, here, before storage."""
    for a in select(root, "a[href]"):
        a.set("href", urljoin(base_url, a.get("href", "").strip()))
    markup = html.tostring(root, encoding="unicode", method="html")
    cleaned = nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
    return cleaned or None


def extract_body(
    content: etree._Element,
    base_url: str,
    *,
    drop: Iterable[str] = (),
    caption_css: str = "figcaption",
    prune: Callable[[etree._Element], object] | None = None,
) -> Body:
    """Text, sanitized HTML and images of a content element without the noise named in ``drop``.

    ``prune`` removes what a selector cannot name (a byline recognised by its position).
    """
    root = copy.deepcopy(content)
    root.tail = None
    drop_elements(root, (*ALWAYS_DROP, *drop))
    if prune is not None:
        prune(root)
    images = _take_images(root, base_url, caption_css)
    body_html = sanitize(root, base_url)  # captions stay in the HTML, beside their image
    drop_elements(root, (caption_css,))
    text = element_text(root)
    return Body(text=text, html=body_html if text else None, images=images)


def drop_elements(root: etree._Element, selectors: Sequence[str]) -> None:
    """Remove every element matching any of ``selectors`` (tails kept)."""
    for css in selectors:
        for element in select(root, css):
            remove(element)
