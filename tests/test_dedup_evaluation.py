"""Deduplication end to end on the labelled set: benchmarks/dedup_eval.py imports it through
the real pipeline in two orders; the stories must be the same both times and reach the
issue's floors (pairwise precision 0.98, recall 0.95)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

MIN_PRECISION, MIN_RECALL = 0.98, 0.95


def test_dedup_quality_and_order_independence() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "dedup_eval.py")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert scores["same_stories_in_both_orders"], scores
    assert scores["stories"] < scores["documents"]
    assert scores["precision"] >= MIN_PRECISION, (scores, result.stderr[-3000:])
    assert scores["recall"] >= MIN_RECALL, (scores, result.stderr[-3000:])
