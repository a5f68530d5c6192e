"""Main content of a page whose layout we do not know (or no longer match), via trafilatura.

trafilatura is the well-kept main-content extractor (Apache-2.0) behind many news crawlers; we
use it only to *find* the article's element, then clean it with the same code as every site
selector (:func:`crawler.extract.body.extract_body`), so a fallback body looks like any other.
Its HTML cleaning needs ``lxml_html_clean`` with lxml 6, declared in pyproject.
"""

from __future__ import annotations

from lxml import etree, html

from crawler.extract.text import squash

# Short pages (a notice, an empty template) make trafilatura answer with page chrome.
MIN_GENERIC_CHARS = 200


def generic_content(page_html: str, url: str) -> etree._Element | None:
    """The article's content as an element (paragraphs, headings, images), or ``None``."""
    import trafilatura  # ~0.2 s to import: only pages that need it pay for it

    extracted = trafilatura.extract(
        page_html,
        url=url,
        output_format="html",
        include_images=True,
        include_tables=True,
        include_comments=False,
        include_links=True,
        favor_precision=True,
    )
    if not extracted:
        return None
    root = html.fromstring(extracted)
    body = root.find("body")
    element = body if body is not None else root
    text = squash(" ".join(element.itertext())) or ""
    return element if len(text) >= MIN_GENERIC_CHARS else None


def drop_leading_repeats(root: etree._Element, *texts: str | None) -> None:
    """Remove headings/paragraphs at the start that repeat the title or lead.

    trafilatura returns the page's ``<h1>`` and lead as the first blocks of the body; we keep
    them as fields of their own.
    """
    wanted = {t for t in (squash(x) for x in texts) if t}
    for child in list(root):
        text = squash(" ".join(child.itertext()))
        if text and any(_repeats(text, w) for w in wanted):
            root.remove(child)
            continue
        break


def _repeats(block: str, field: str) -> bool:
    """The block is the field, or the field behind an outlet prefix ("(Chinhphu.vn) - ...")."""
    return block == field or (len(field) > 20 and block.endswith(field))
