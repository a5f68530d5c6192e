"""Province and topic tagging: plain functions, no Scrapy, no database.

``tag_article(title, text, url, lang, source_province=None)`` returns the provinces (each with
its role: ``source``, ``primary``, ``mentioned``), the primary province, the topics and whether
the article is relevant; the gazetteer (:mod:`crawler.tagging.gazetteer`) resolves province
names for the CLI and the web layer.

The facade is imported on first use, so ``crawler.tagging.gazetteer`` can be used without
loading the taggers and their data.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ArticleTags", "tag_article", "tagging_version"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from crawler.tagging import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
