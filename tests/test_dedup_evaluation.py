"""Deduplication end to end on the labelled set: benchmarks/dedup_eval.py imports it through
the real pipeline in two orders; the stories must be the same both times and reach the
issue's floors (pairwise precision 0.98, recall 0.95)."""

from __future__ import annotations

from tests.conftest import run_benchmark

MIN_PRECISION, MIN_RECALL = 0.98, 0.95


def test_dedup_quality_and_order_independence() -> None:
    scores, details = run_benchmark("dedup_eval.py")
    assert scores["same_stories_in_both_orders"], scores
    assert scores["stories"] < scores["documents"]
    assert scores["precision"] >= MIN_PRECISION, (scores, details)
    assert scores["recall"] >= MIN_RECALL, (scores, details)
