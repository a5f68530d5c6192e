"""The tagger against the labelled evaluation set: benchmarks/tagging_eval.py must reach the
issue's thresholds (primary 0.95, province F1 0.93, topic F1 0.80, relevance 0.95)."""

from __future__ import annotations

from tests.conftest import run_benchmark

THRESHOLDS = {
    "primary_accuracy": 0.95,
    "province_f1": 0.93,
    "topic_f1": 0.80,
    "relevance_accuracy": 0.95,
}
MIN_CASES = 80


def test_tagging_quality_on_the_evaluation_set() -> None:
    scores, details = run_benchmark("tagging_eval.py", timeout=300)
    assert scores["n"] >= MIN_CASES
    below = {k: (scores[k], floor) for k, floor in THRESHOLDS.items() if scores[k] < floor}
    assert not below, f"below threshold: {below}\n{details}"
