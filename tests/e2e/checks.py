"""Field-by-field comparison of stored articles with a fixture site's ``_expected.json``."""

from __future__ import annotations

from typing import Any

from storage.models import Article


def check_article(stored: Article, want: dict[str, Any]) -> None:
    url = want["url"]
    assert stored.title == want["title"], url
    assert stored.summary == want["summary"], url
    assert _iso(stored.published_at) == want["published_at"], url
    if "modified_at" in want:
        assert _iso(stored.modified_at) == want["modified_at"], url
    assert stored.author == want["author"], url
    assert stored.tags == want["tags"], url
    assert stored.category == want["category"], url
    assert stored.images == want["images"], url
    assert stored.lang == want.get("lang", "vi"), url  # sites with several editions say
    for sentence in want["text_contains"]:
        assert sentence in stored.text, (url, sentence)
    for noise in want["text_excludes"]:
        assert noise not in stored.text, (url, noise)
    assert stored.body_html and "<script" not in stored.body_html, url
    assert stored.content_hash and len(stored.content_hash) == 64
    assert stored.fetched_at is not None
    for field in ("title", "summary", "published_at", "text"):
        if field not in want.get("fallbacks", {}) and stored.extraction.get(field) is not None:
            assert stored.extraction[field] == "selector", (url, field, stored.extraction)
    for field in want.get("fallbacks", {}):
        assert stored.extraction.get(field) not in (None, "selector"), (url, field)


def _iso(value) -> str | None:  # noqa: ANN001
    return value.isoformat() if value is not None else None
