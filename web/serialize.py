"""Archive rows as the API's JSON: plain-text fields without markup, HTML sanitized."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from storage.models import Article
from web.sanitize import absolute, clean_html, plain_text
from web.urls import url_for_path


def _text_or_none(value: str | None) -> str | None:
    cleaned = plain_text(value)
    return cleaned or None


def article_summary(request: Request, article: Article, story_size: int = 1) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source.key,
        "title": plain_text(article.title),
        "summary": _text_or_none(article.summary),
        "lang": article.lang,
        "published_at": article.published_at,
        "modified_at": article.modified_at,
        "fetched_at": article.fetched_at,
        "author": _text_or_none(article.author),
        "primary_province": article.primary_province,
        "provinces": [
            {"slug": p.province, "code": p.code, "name": p.name, "role": p.role}
            for p in article.provinces
        ],
        "topics": [t.topic for t in article.topics],
        "relevant": article.relevant,
        "story_id": article.story_id,
        "relation": article.relation,
        "is_original": article.story_id is None or article.relation == "original",
        "original_url": article.original_url if article.story_id is not None else article.url,
        "story_size": story_size,
        "api_url": url_for_path(request, f"/api/articles/{article.id}"),
    }


def story_member(request: Request, article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "source": article.source.key,
        "title": plain_text(article.title),
        "lang": article.lang,
        "published_at": article.published_at,
        "relation": article.relation,
        "api_url": url_for_path(request, f"/api/articles/{article.id}"),
    }


def article_detail(request: Request, article: Article, members: list[Article]) -> dict[str, Any]:
    copies = [m for m in members if m.id != article.id]
    images = []
    for image in article.images or []:
        src = absolute(image.get("url"), article.url) if isinstance(image, dict) else None
        if src:
            images.append({"url": src, "caption": _text_or_none(image.get("caption"))})
    alternates = {}
    for code, url in (article.alternates or {}).items():
        link, code = absolute(url, article.url), plain_text(str(code))
        if link and code:
            alternates[code] = link
    return {
        **article_summary(request, article, story_size=max(len(members), 1)),
        "text": article.text,
        "content_html": clean_html(article.body_html, article.url),
        "images": images,
        "category": _text_or_none(article.category),
        "tags": [plain_text(str(tag)) for tag in article.tags or []],
        "credited_outlet": _text_or_none(article.credited_outlet),
        "credited_url": absolute(article.credited_url, article.url),
        "alternates": alternates,
        "copies": [story_member(request, m) for m in copies],
    }
