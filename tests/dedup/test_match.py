"""compare() (crawler/dedup/match.py) on our development examples."""

import dataclasses
import itertools
from datetime import timedelta

import pytest

from crawler.dedup.fingerprint import Fingerprint, fingerprint
from crawler.dedup.match import DATE_WINDOW_DAYS, Evidence, compare, jaccard
from tests.dedup.samples import (
    AI_ANALYSIS,
    AI_EDITED,
    AI_EN,
    AI_FR,
    AI_INTERVIEWS,
    AI_ORIGINAL,
    AI_REPUBLISHED,
    AI_RU,
    DOCS,
    SENSORS_EN,
    SENSORS_VI,
    TEA_EN,
    TEA_VI,
    Doc,
)  # fmt: skip


def fp(doc: Doc) -> Fingerprint:
    return fingerprint(doc.title, doc.summary, doc.text, doc.lang, doc.published_at)


FPS = {doc.id: fp(doc) for doc in DOCS}
PAIRS = list(itertools.combinations(DOCS, 2))


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a.id}~{b.id}" for a, b in PAIRS])
def test_symmetric(a: Doc, b: Doc) -> None:
    assert compare(FPS[a.id], FPS[b.id]) == compare(FPS[b.id], FPS[a.id])


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a.id}~{b.id}" for a, b in PAIRS])
def test_same_story_exactly(a: Doc, b: Doc) -> None:
    assert bool(compare(FPS[a.id], FPS[b.id])) == (a.story == b.story)


def test_identical() -> None:
    assert compare(fp(AI_ORIGINAL), fp(AI_REPUBLISHED)) == Evidence("identical", 1.0)


def test_near() -> None:
    evidence = compare(fp(AI_ORIGINAL), fp(AI_EDITED))
    assert evidence is not None and evidence.kind == "near" and 0 < evidence.score < 1


@pytest.mark.parametrize(
    ("a", "b"),
    [(AI_ORIGINAL, AI_EN), (AI_ORIGINAL, AI_RU), (AI_ORIGINAL, AI_FR), (AI_EN, AI_RU),
     (AI_EDITED, AI_EN), (SENSORS_VI, SENSORS_EN), (TEA_VI, TEA_EN)],
    ids=lambda d: d.id,
)  # fmt: skip
def test_translation_without_a_link(a: Doc, b: Doc) -> None:
    evidence = compare(fp(a), fp(b))
    assert evidence is not None and evidence.kind == "translation"


@pytest.mark.parametrize(
    ("a", "b"),
    [(AI_ORIGINAL, AI_INTERVIEWS), (AI_ORIGINAL, AI_ANALYSIS), (AI_EN, AI_ANALYSIS),
     (AI_RU, AI_ANALYSIS), (AI_RU, AI_INTERVIEWS), (SENSORS_VI, TEA_EN), (SENSORS_EN, TEA_VI)],
    ids=lambda d: d.id,
)  # fmt: skip
def test_hard_negatives(a: Doc, b: Doc) -> None:
    """Same event or topic (shared date, names, document number, a headline figure), another article."""
    assert compare(fp(a), fp(b)) is None


def test_same_language_is_never_a_translation() -> None:
    """Two Vietnamese texts with the same facts but their own words are two articles."""
    vi_from_en = dataclasses.replace(fp(AI_EN), lang="vi")
    assert compare(fp(AI_ORIGINAL), vi_from_en) is None


def test_unknown_language_may_be_a_translation() -> None:
    assert compare(fp(AI_ORIGINAL), dataclasses.replace(fp(AI_EN), lang=None))


def test_translation_outside_the_date_window() -> None:
    original = fp(AI_ORIGINAL)
    late = dataclasses.replace(
        fp(AI_EN), published_at=original.published_at + timedelta(days=DATE_WINDOW_DAYS + 1)
    )
    within = dataclasses.replace(
        fp(AI_EN), published_at=original.published_at + timedelta(days=DATE_WINDOW_DAYS)
    )
    assert compare(original, late) is None
    assert compare(original, within)
    assert compare(original, dataclasses.replace(late, published_at=None))


def test_near_copies_are_found_whenever_published() -> None:
    original = fp(AI_ORIGINAL)
    later = dataclasses.replace(
        fp(AI_EDITED), published_at=original.published_at + timedelta(days=400)
    )
    assert compare(original, later)


def test_stored_fingerprint_compares_alike() -> None:
    """The storage glue rebuilds candidates without bands and keys; the answer is the same."""
    for doc in (AI_REPUBLISHED, AI_EDITED, AI_EN, AI_ANALYSIS):
        stored = dataclasses.replace(fp(doc), bands=(), feature_keys=())
        assert compare(fp(AI_ORIGINAL), stored) == compare(fp(AI_ORIGINAL), fp(doc))


def test_empty_bodies_are_not_duplicates() -> None:
    empty = fingerprint("Tiêu đề một", None, "", "vi", None)
    other = fingerprint("Tiêu đề hai", None, "", "vi", None)
    assert jaccard(empty.signature, other.signature) == 0.0
    assert compare(empty, other) is None
