"""Extraction health from a run's counters: the verdicts and the reasons they give."""

from __future__ import annotations

from crawler.health import Health, run_health


def _fields(stats: dict, answered: dict[str, tuple[int, int, int]]) -> dict:
    for name, (selector, fallback, missing) in answered.items():
        stats[f"vnnews/fields/{name}/selector"] = selector
        stats[f"vnnews/fallback/{name}"] = fallback
        stats[f"vnnews/fields/{name}/missing"] = missing
    return stats


def _run(parsed: int, **extra: int) -> dict:
    return {
        "downloader/response_count": parsed + 4,
        "vnnews/links/article": parsed,
        "vnnews/articles/fetched": parsed,
        "vnnews/articles/parsed": parsed,
        "vnnews/stored/new": parsed,
        **extra,
    }


def test_selectors_matching_is_healthy() -> None:
    stats = _fields(_run(10), {f: (10, 0, 0) for f in ("title", "summary", "published_at", "text")})
    stats["vnnews/warnings/missing_published_at"] = 1
    h = run_health(stats)
    assert not h.degraded and h.reasons == []
    assert h.fallback_share == 0.0 and h.missing_dates == 1 and h.articles_stored == 10
    assert "fallbacks 0%" in h.summary()


def test_selectors_no_longer_matching_is_degraded_with_the_fields_named() -> None:
    stats = _fields(_run(6), {"title": (0, 6, 0), "summary": (0, 6, 0),
                              "published_at": (6, 0, 0), "text": (0, 6, 0)})  # fmt: skip
    h = run_health(stats)
    assert h.degraded
    assert h.fallback_share == 0.75
    assert h.field_fallback_share == {"title": 1.0, "summary": 1.0, "published_at": 0.0,
                                      "text": 1.0}  # fmt: skip
    assert "selectors stopped matching" in h.reasons[0] and "title 100%" in h.reasons[0]
    assert "DEGRADED" in h.summary()


def test_half_or_less_from_fallbacks_is_not_degraded() -> None:
    stats = _fields(_run(4), {"title": (4, 0, 0), "summary": (0, 4, 0),
                              "published_at": (2, 2, 0), "text": (4, 0, 0)})  # fmt: skip
    assert not run_health(stats).degraded  # 6 of 16: a few pages without a lead is normal


def test_too_few_articles_to_judge_a_share() -> None:
    stats = _fields(_run(2), {"title": (0, 2, 0), "text": (0, 2, 0)})
    assert not run_health(stats).degraded


def test_links_found_but_nothing_readable_is_degraded() -> None:
    stats = _run(5, **{"vnnews/rejected/no_body_text": 5})
    h = run_health(stats)
    assert h.degraded and "none could be read" in h.reasons[0]


def test_no_article_links_at_all_is_degraded() -> None:
    stats = {"downloader/response_count": 6, "vnnews/listing/empty": 2}
    h = run_health(stats)
    assert h.degraded and "no article links" in h.reasons[0]


def test_known_articles_only_is_healthy() -> None:
    """A re-crawl that finds only archived articles fetches none and reads none: fine."""
    stats = {"downloader/response_count": 6, "vnnews/links/article": 12,
             "vnnews/skipped/known": 12}  # fmt: skip
    assert not run_health(stats).degraded


def test_generic_extraction_by_design_is_not_degraded() -> None:
    stats = _run(8, **{"vnnews/articles/selectorless": 8})
    h = run_health(stats)
    assert h.generic_only and not h.degraded and h.fallback_share is None
    assert "generic extraction (no selectors)" in h.summary()


def test_round_trip_through_a_dict() -> None:
    h = run_health(_fields(_run(3), {"title": (3, 0, 0)}))
    assert Health.from_dict(h.as_dict()) == h
    assert Health.from_dict({"pages": 2, "unknown_key": 1}).pages == 2
