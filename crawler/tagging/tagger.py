"""The tag stage: provinces and topics of one article, as one pure function.

``tag_article`` joins the province tagger (:mod:`crawler.tagging.provinces`) and the topic
tagger (:mod:`crawler.tagging.topics`); ``tagging_version`` names the gazetteer, the taxonomy
and the rules that produced a result, so the archive knows which articles a re-tag must visit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from crawler.tagging.provinces import ProvinceTag, tag_provinces
from crawler.tagging.topics import tag_topics

DATA = Path(__file__).resolve().parent / "data"
# Bump when a rule changes in code (the data files are hashed on their own).
RULES_VERSION = "1"


@dataclass(frozen=True)
class ArticleTags:
    provinces: list[ProvinceTag] = field(default_factory=list)  # one per (slug, role)
    primary: str | None = None
    topics: list[str] = field(default_factory=list)  # best first
    topic_scores: dict[str, float] = field(default_factory=dict)
    relevant: bool = False

    def record(self, version: str) -> dict[str, Any]:
        """The mapping ``storage.tags.set_tags`` stores."""
        return {
            "primary_province": self.primary,
            "relevant": self.relevant,
            "version": version,
            "provinces": [
                {
                    "slug": p.slug,
                    "code": p.code,
                    "name": p.name,
                    "role": p.role,
                    "names": list(p.names),
                    "old_names": list(p.old_names),
                }
                for p in self.provinces
            ],  # fmt: skip
            "topics": [{"slug": t, "score": self.topic_scores.get(t, 0.0)} for t in self.topics],
        }


def tag_article(
    title: str | None,
    text: str | None,
    url: str,
    lang: str | None,
    *,
    source_province: str | None = None,
) -> ArticleTags:
    """Provinces (with roles and the primary one), topics and relevance of one article.

    ``source_province`` is the publishing site's province when the registry knows it; the
    URL's host answers otherwise (``laichau.gov.vn``, ``*.lamdong.gov.vn``).
    """
    title, text = title or "", text or ""
    provinces = tag_provinces(title, text, url, lang, source_province=source_province)
    topics = tag_topics(title, text, lang)
    return ArticleTags(
        provinces=list(provinces.tags),
        primary=provinces.primary,
        topics=list(topics.topics),
        topic_scores=dict(topics.scores),
        relevant=topics.relevant,
    )


@lru_cache(maxsize=1)
def tagging_version() -> str:
    """A short digest of the data files and ``RULES_VERSION``: equal digests, equal tags."""
    digest = hashlib.sha256(RULES_VERSION.encode())
    for path in sorted(DATA.glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
