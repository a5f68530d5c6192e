"""Is this the same report? Text evidence between two fingerprints, strongest first.

1. ``identical``: the same normalized body (text hashes equal);
2. ``near``: MinHash estimate of the Jaccard similarity of the bodies' shingle sets at or
   above ``NEAR_THRESHOLD`` (a republication with its own lead, a lightly edited copy);
3. ``translation``: two texts in different languages, published within ``DATE_WINDOW_DAYS``
   of each other, whose language-independent features (numbers, percentages, dates, document
   numbers, URLs; see :mod:`crawler.dedup.features`) are nearly the same set.

Why the translation score is what it is. A translation keeps *every* fact of its original; a
different article about the same event (a newspaper's own write-up, a follow-up, a translated
article of another outlet) shares the facts that name the event — its date, the decision's
number, the portal's address, the headline amount — and then tells its own details. So:

- the score is a weighted Jaccard coefficient (shared weight over the weight of the union):
  every fact one side has and the other lacks counts against, on both sides;
- the identifiers of an event (document numbers, URLs, dates) weigh *less* than the detail
  figures, and precise figures ("1.150", "7,5%") more than round ones ("30%", "3"): sharing
  the identifiers is what same-event articles do, sharing all the details is what a
  translation does;
- Latin-script names ("Nguyen Manh Hung") count only when both texts have them (a shared name
  is evidence; a name the other language transliterates or translates is no evidence against).

On the evaluation set (tests/data/dedup_eval) every translation pair in the date window scores
0.72 or more and every other cross-language pair 0.33 or less; without the date window a
same-decree follow-up three weeks later reaches 0.47, which is why the window stays.

Credit links and hreflang alternates are stronger than all of these; the storage glue handles
them before calling :func:`compare`. ``compare(a, b) == compare(b, a)`` always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import numpy as np

from crawler.dedup.features import YEARS, significant_digits
from crawler.dedup.fingerprint import Fingerprint, signature_values

# MinHash Jaccard estimate at or above which two bodies are one text, edited. On the
# evaluation set copies (verbatim with other leads, bylines and credits, or edited: new lead,
# a sentence added, a paragraph dropped) score 0.67 or more and different articles 0.21 or
# less (a follow-up reusing one paragraph; templated reports of two provinces ~0.1); 0.4 sits
# between with five standard errors of the estimate to spare on either side.
NEAR_THRESHOLD = 0.4
# A translation is published within this many days of its original: vietnam.vn's editions
# follow within a day or two (at most 2 days on the evaluation set), while a follow-up on the
# same decree three weeks later shares most of a short translation's facts. The lead's
# feature-key lookup uses the same window.
DATE_WINDOW_DAYS = 7
# Weighted Jaccard of the features at or above which two texts in different languages are
# one report: translations score 0.72-1.0, other cross-language pairs 0.33 or less.
TRANSLATION_THRESHOLD = 0.5
# ... and at least this much shared weight: two briefs sharing a date, a year and one small
# number are not evidence enough, whatever their ratio (translations share 6 or more).
MIN_SHARED_WEIGHT = 4.0

# Weights of the feature kinds: how much sharing (or missing) one feature says.
WEIGHT_DOC = 1.0  # a document number: names the policy, which every article about it quotes
WEIGHT_URL = 1.0  # a web address printed in the text: names the portal, likewise
WEIGHT_DATE = 0.75  # a day of a month: the event's date is in every write-up of it
WEIGHT_MONTH = 0.5  # a month of a year ("12/2026"): a deadline, a period
WEIGHT_YEAR = 0.5  # a year ("2030"): targets and periods every article repeats
WEIGHT_PRECISE_NUMBER = 1.5  # three or more significant digits ("1.150", "12,8", "7,25%")
WEIGHT_NUMBER = 1.25  # two significant digits ("36", "65.000", "7,5%")
WEIGHT_ROUND_NUMBER = 1.0  # one significant digit ("3", "30%", "5 tỷ")
WEIGHT_NAME = 1.0  # a pair of capitalised Latin words ("Manh Hung"), when shared
# Languages written in Latin script: only between two of them are names compared.
LATIN_LANGS = frozenset({"vi", "en", "fr", "de", "es", "it", "pt", "nl", "pl", "cs", "no",
                         "da", "sv", "fi", "id", "ms", "tr", "hu", "ro"})  # fmt: skip

KINDS = ("identical", "near", "translation")


@dataclass(frozen=True)
class Evidence:
    """Why two articles are one report: ``kind`` (one of :data:`KINDS`) and a score in 0..1."""

    kind: str
    score: float


def compare(a: Fingerprint, b: Fingerprint) -> Evidence | None:
    """The text evidence that ``a`` and ``b`` are the same report, or ``None``."""
    if a.text_hash and a.text_hash == b.text_hash:
        return Evidence("identical", 1.0)
    similarity = jaccard(a.signature, b.signature)
    if similarity >= NEAR_THRESHOLD:
        return Evidence("near", round(similarity, 4))
    if _may_be_translations(a, b):
        score = translation_score(a, b)
        if score >= TRANSLATION_THRESHOLD:
            return Evidence("translation", score)
    return None


def jaccard(a: bytes, b: bytes) -> float:
    """MinHash estimate of Jaccard similarity (the share of equal hash values, as
    ``datasketch.MinHash.jaccard``); 0 when either body was empty."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.count_nonzero(signature_values(a) == signature_values(b))) / (len(a) // 8)


def translation_score(a: Fingerprint, b: Fingerprint) -> float:
    """Weighted Jaccard of the two feature sets (0 below ``MIN_SHARED_WEIGHT`` shared)."""
    wa = _weights(a.features)
    wb = _weights(b.features)
    both = sorted(wa.keys() & wb.keys())  # sorted: the same float sums in either order
    facts = sum(wa[f] for f in both)
    names = 0.0
    if a.lang in LATIN_LANGS and b.lang in LATIN_LANGS:
        names = WEIGHT_NAME * len(_names(a.features) & _names(b.features))
    shared = facts + names
    if shared < MIN_SHARED_WEIGHT:
        return 0.0
    union = sum(wa[f] for f in sorted(wa)) + sum(wb[f] for f in sorted(wb)) - facts + names
    return round(shared / union, 4)


def _may_be_translations(a: Fingerprint, b: Fingerprint) -> bool:
    """Different (or unknown) languages, published within the window (when both say when)."""
    if a.lang and b.lang and a.lang == b.lang:
        return False
    if a.published_at is None or b.published_at is None:
        return True
    return abs(a.published_at - b.published_at) <= timedelta(days=DATE_WINDOW_DAYS)


def _names(features: frozenset[str]) -> set[str]:
    return {f for f in features if f.startswith("nm:")}


def _weights(features: frozenset[str]) -> dict[str, float]:
    weights = {}
    for feature in features:
        weight = feature_weight(feature)
        if weight:
            weights[feature] = weight
    return weights


@lru_cache(maxsize=1 << 16)  # compare() runs on up to ~200 candidates per new article
def feature_weight(feature: str) -> float:
    """How much sharing ``feature`` says; 0 for names (counted apart) and unknown kinds."""
    kind, _, value = feature.partition(":")
    if kind in ("n", "pct"):
        if value.isdigit() and int(value) in YEARS:
            return WEIGHT_YEAR
        digits = significant_digits(value)
        if digits >= 3:
            return WEIGHT_PRECISE_NUMBER
        return WEIGHT_NUMBER if digits == 2 else WEIGHT_ROUND_NUMBER
    return {"doc": WEIGHT_DOC, "url": WEIGHT_URL, "d": WEIGHT_DATE, "ym": WEIGHT_MONTH}.get(
        kind, 0.0
    )
