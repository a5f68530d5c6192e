"""What the web layer sends out of stored text: inert whatever the archive holds.

The crawl pipeline already sanitizes article HTML before storing it; this is the second,
independent line on the way out (an archive may be written by an older vnnews, an import or
by hand). HTML goes through nh3's allow-list (no scripts, styles, iframes, forms, event
handlers or ``javascript:``/``data:`` URLs; relative links made absolute against the article's
URL); plain-text fields lose anything that parses as a tag; both lose characters XML cannot
carry, so no stored byte can break a feed document.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import nh3

# Text and structure only: no media that plays or embeds, no forms, no style.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Characters XML 1.0 cannot carry (lxml refuses them, so a feed would fail to render).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


def xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def clean_html(markup: str | None, base_url: str | None = None) -> str:
    """Allow-listed HTML; relative ``href``/``src`` resolved against ``base_url``."""
    if not markup:
        return ""
    relative = ("rewrite_with_base", base_url) if base_url else "deny"
    try:
        cleaned = nh3.clean(
            xml_safe(markup),
            tags=TAGS,
            clean_content_tags={"script", "style", "template", "noscript", "iframe", "object"},
            attributes=ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
            url_relative=relative,
        )
    except ValueError:  # a base URL nh3 cannot parse: drop relative URLs instead
        cleaned = nh3.clean(
            xml_safe(markup), tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
            clean_content_tags={"script", "style", "template", "noscript", "iframe", "object"},
            link_rel="noopener noreferrer nofollow", url_relative="deny",
        )  # fmt: skip
    return cleaned.strip()


def plain_text(text: str | None) -> str:
    """Text without markup: tags removed (scripts with their content), entities decoded, and
    repeated until nothing tag-like is left, so no reader that treats a title as HTML finds
    one; whitespace collapsed."""
    if not text:
        return ""
    current = xml_safe(text)
    for _ in range(4):
        stripped = html.unescape(
            nh3.clean(current, tags=set(), clean_content_tags={"script", "style"})
        )
        if stripped == current:
            break
        current = xml_safe(stripped)
    current = _TAG_START.sub("< ", current)  # still tag-like after 4 rounds: defuse it
    return " ".join(current.split())


def absolute(url: str | None, base: str) -> str | None:
    """``url`` made absolute against ``base`` when it is http(s), else None (no other scheme
    goes out as a link)."""
    if not url:
        return None
    joined = urljoin(base, xml_safe(url).strip())
    return joined if joined.split(":", 1)[0].lower() in ("http", "https") else None
