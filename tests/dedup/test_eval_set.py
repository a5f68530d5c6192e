"""compare() alone on the labelled evaluation set (tests/data/dedup_eval), as the index sees it.

The whole pipeline (links, storage, stories) is measured by benchmarks/dedup_eval.py; this test
pins the text-only part: with no credit or hreflang link at all, the pairs that share an LSH
band, a feature key (within the date window) or a text hash, joined where compare() says so,
must reach the pipeline's targets on their own.
"""

import itertools
import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crawler.dedup.fingerprint import Fingerprint, fingerprint
from crawler.dedup.match import DATE_WINDOW_DAYS, compare

EVAL = Path(__file__).resolve().parents[1] / "data" / "dedup_eval" / "documents.jsonl"
pytestmark = pytest.mark.skipif(not EVAL.exists(), reason="evaluation set not present")


@pytest.fixture(scope="module")
def docs() -> dict[str, tuple[dict, Fingerprint]]:
    out = {}
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            at = datetime.fromisoformat(d["published_at"]) if d.get("published_at") else None
            out[d["id"]] = (d, fingerprint(d["title"], d["summary"], d["text"], d["lang"], at))
    return out


def _candidates(a: Fingerprint, b: Fingerprint) -> bool:
    """What the storage glue looks up: same text hash, a shared band, a shared feature key in
    the date window."""
    if a.text_hash and a.text_hash == b.text_hash:
        return True
    if set(a.bands) & set(b.bands):
        return True
    if not set(a.feature_keys) & set(b.feature_keys):
        return False
    if a.published_at is None or b.published_at is None:
        return True
    return abs(a.published_at - b.published_at) <= timedelta(days=DATE_WINDOW_DAYS)


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}


def test_text_evidence_alone_reaches_the_targets(docs) -> None:  # noqa: ANN001
    parent = {i: i for i in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in itertools.combinations(sorted(docs), 2):
        fa, fb = docs[a][1], docs[b][1]
        evidence = compare(fa, fb)
        assert evidence == compare(fb, fa)
        if evidence and _candidates(fa, fb):
            parent[find(a)] = find(b)
    predicted, labelled = defaultdict(list), defaultdict(list)
    for i, (d, _) in docs.items():
        predicted[find(i)].append(i)
        labelled[d["story"]].append(i)
    got, want = _pairs(predicted), _pairs(labelled)
    precision = len(got & want) / len(got)
    recall = len(got & want) / len(want)
    assert precision >= 0.98 and recall >= 0.95, (precision, recall, sorted(got ^ want)[:10])


def test_no_direct_evidence_across_stories(docs) -> None:  # noqa: ANN001
    """Hard negatives (same event, same decree, next year's report) never match directly."""
    wrong = [
        (a, b, compare(docs[a][1], docs[b][1]))
        for a, b in itertools.combinations(sorted(docs), 2)
        if docs[a][0]["story"] != docs[b][0]["story"] and compare(docs[a][1], docs[b][1])
    ]
    assert not wrong
