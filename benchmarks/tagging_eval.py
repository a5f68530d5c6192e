"""Tagging quality on the labelled evaluation set (tests/data/tagging_eval/*.jsonl).

Every case is tagged with ``crawler.tagging.tag_article`` and compared with its labels:

- ``primary_accuracy``: the predicted primary province (or none) equals the label;
- ``province_f1``: micro F1 over (case, province slug, role) triples, every role;
- ``topic_f1``: micro F1 over (case, topic slug) pairs;
- ``relevance_accuracy``: the relevant flag equals the label.

Per-check breakdowns and (with ``--show-errors``) every disagreement go to stderr; the last line
printed is one JSON object: {"primary_accuracy", "province_f1", "topic_f1",
"relevance_accuracy", "n"}.

    .venv/bin/python benchmarks/tagging_eval.py [--show-errors] [--set DIR]

``--set tests/data/tagging_holdout`` measures the held-out set, written after the tagger was
tuned on the evaluation set and never used to tune it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.tagging import tag_article  # noqa: E402

EVAL_DIR = ROOT / "tests" / "data" / "tagging_eval"


def load_cases(folder: Path = EVAL_DIR) -> list[dict[str, Any]]:
    cases = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                case["_where"] = f"{path.name}:{number}"
                cases.append(case)
    return cases


def f1(predicted: set, expected: set) -> tuple[int, int, int]:
    """True positives, false positives, false negatives."""
    return len(predicted & expected), len(predicted - expected), len(expected - predicted)


def score(tp: int, fp: int, fn: int) -> float:
    if tp == 0:
        return 1.0 if fp == fn == 0 else 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


class Tally:
    def __init__(self) -> None:
        self.n = self.primary_ok = self.relevance_ok = 0
        self.province = [0, 0, 0]
        self.topic = [0, 0, 0]

    def add(self, primary_ok: bool, relevance_ok: bool, provinces: tuple, topics: tuple) -> None:
        self.n += 1
        self.primary_ok += primary_ok
        self.relevance_ok += relevance_ok
        self.province = [a + b for a, b in zip(self.province, provinces, strict=True)]
        self.topic = [a + b for a, b in zip(self.topic, topics, strict=True)]

    def result(self) -> dict[str, float | int]:
        n = max(self.n, 1)
        return {
            "primary_accuracy": round(self.primary_ok / n, 4),
            "province_f1": round(score(*self.province), 4),
            "topic_f1": round(score(*self.topic), 4),
            "relevance_accuracy": round(self.relevance_ok / n, 4),
            "n": self.n,
        }


def evaluate(cases: Iterable[dict[str, Any]], show_errors: bool = False) -> dict[str, Any]:
    total = Tally()
    by_check: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        want = case["expected"]
        got = tag_article(case.get("title"), case.get("text"), case["url"], case.get("lang"),
                          source_province=case.get("source_province"))  # fmt: skip
        got_provinces = {(p.slug, p.role) for p in got.provinces}
        want_provinces = {(p["slug"], p["role"]) for p in want["provinces"]}
        got_topics, want_topics = set(got.topics), set(want["topics"])
        outcome = (
            got.primary == want["primary"],
            got.relevant == want["relevant"],
            f1(got_provinces, want_provinces),
            f1(got_topics, want_topics),
        )
        total.add(*outcome)
        for check in [case.get("lang", "?"), *case.get("checks", [])]:
            by_check[check].add(*outcome)
        if show_errors and (not all(outcome[:2]) or outcome[2][1:] != (0, 0)
                            or outcome[3][1:] != (0, 0)):  # fmt: skip
            print(f"\n{case['_where']} {case['id']}: {case.get('title')}", file=sys.stderr)
            if got.primary != want["primary"]:
                print(f"  primary: got {got.primary}, want {want['primary']}", file=sys.stderr)
            if got_provinces != want_provinces:
                print(f"  provinces: extra {sorted(got_provinces - want_provinces)}, "
                      f"missing {sorted(want_provinces - got_provinces)}", file=sys.stderr)  # fmt: skip
            if got_topics != want_topics:
                print(f"  topics: extra {sorted(got_topics - want_topics)}, "
                      f"missing {sorted(want_topics - got_topics)}", file=sys.stderr)  # fmt: skip
            if got.relevant != want["relevant"]:
                print(f"  relevant: got {got.relevant}, want {want['relevant']}", file=sys.stderr)
    for check, tally in sorted(by_check.items()):
        print(f"{check:<20} {json.dumps(tally.result())}", file=sys.stderr)
    return total.result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="print every disagreement")
    parser.add_argument("--set", type=Path, default=EVAL_DIR, help="folder of *.jsonl cases")
    args = parser.parse_args()
    cases = load_cases(args.set)
    if not cases:
        raise SystemExit(f"no evaluation cases in {args.set}")
    print(json.dumps(evaluate(cases, show_errors=args.show_errors)))


if __name__ == "__main__":
    main()
