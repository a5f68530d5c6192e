"""``benchmarks/recrawl.py`` as users run it: a re-crawl of an unchanged 200-article site costs
at most 5% of the first crawl's requests (robots.txt included)."""

from __future__ import annotations

from tests.conftest import run_benchmark


def test_recrawl_of_an_unchanged_site_costs_at_most_five_percent() -> None:
    result, breakdown = run_benchmark("recrawl.py")
    assert result["articles"] >= 200
    assert result["first_crawl_requests"] > result["articles"], breakdown  # every article page
    assert result["ratio"] == round(
        result["second_crawl_requests"] / result["first_crawl_requests"], 4
    )
    assert result["ratio"] <= 0.05, breakdown
    assert "by status {200: 1, 304:" in breakdown  # robots.txt, then only "not modified"
