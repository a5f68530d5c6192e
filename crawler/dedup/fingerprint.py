"""Fingerprints: everything the dedup stage stores about an article's text to find its copies.

- ``text_hash``: SHA-256 of the normalized body (summary and text; see
  :mod:`crawler.dedup.text`), for exact copies; empty when the body is too short to say
  anything (two one-line stubs are not one report). Titles are left out of the hash and the
  shingles: republications retitle freely. They do count for the features.
- ``signature``: a MinHash (datasketch) of the body's word shingles, for near copies. Fixed
  ``num_perm``, seed and permutation scheme, and a hash function that is not Python's
  ``hash()``: a signature is the same in every process and on every machine, so stored
  signatures stay comparable.
- ``bands``: LSH band keys of the signature; two articles whose Jaccard similarity is above
  about ``(1 / BANDS) ** (1 / ROWS)`` share a band with high probability, and unrelated
  articles almost never do, so an indexed table of bands finds candidates without a scan.
- ``features`` / ``feature_keys``: language-independent features (:mod:`crawler.dedup.features`)
  and the keys of the rare ones, to find translations inside a publish-date window.
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from datasketch import LeanMinHash, MinHash

from crawler.dedup import features as feat
from crawler.dedup.text import clean_paragraphs, tokens

# Bump when normalization, shingling or features change: stored fingerprints of another
# version must be recomputed before they are compared with new ones.
FINGERPRINT_VERSION = 1
# Words per shingle. Vietnamese words are syllables, so 4 tokens is a phrase of two or three
# words: long enough that unrelated texts share few shingles (mean Jaccard 0.004 between
# different stories on the evaluation set, against 0.007 with 3), short enough that one
# edited word changes only four of them (copies keep 0.67 or more; 0.62 with 5).
SHINGLE_SIZE = 4
# MinHash size: the standard error of a Jaccard estimate is sqrt(J(1-J)/NUM_PERM), ±0.044 at
# J = 0.5. 126 = BANDS * ROWS.
NUM_PERM = 126
# Fixed seed and permutation scheme: signatures must not change between runs or releases.
SEED = 20260905
SCHEME = "affine32"
# LSH banding, BANDS * ROWS == NUM_PERM. Two texts share at least one band with probability
# 1 - (1 - J^3)^42: 0.94 at J = 0.4 (match.NEAR_THRESHOLD), 0.995 at J = 0.5, 0.13 at J = 0.15
# (templated reports of two provinces), 5e-6 at J = 0.005 (unrelated articles), so a new
# article meets about five unrelated candidates per million stored, and nearly every copy.
BANDS = 42
ROWS = NUM_PERM // BANDS
# Below this many words the body is a stub: no text hash.
MIN_HASH_TOKENS = 25
# At most this many feature keys per article (the rarest first): a table of statistics
# should not flood the key index.
MAX_FEATURE_KEYS = 48
# An article with fewer rare features than this also gets keys of its next most selective
# ones (tiers 2 and 3 of features.key_tier): an opinion piece quoting "1,7 triệu" and
# "65.000" must still be findable by its translation.
MIN_FEATURE_KEYS = 3
# Still short of MIN_FEATURE_KEYS (a brief whose figures are "41", "7" and "18/5"): keys of
# pairs among its this many most specific numbers and dates. Each is common alone in a week
# of news, the pair is rare, and a translation has the same pairs.
PAIR_POOL = 4

# Shingles are hashed to 32 bits with CRC-32 (C speed, the same on every machine) instead of
# datasketch's default SHA-1, which costs a third of the whole fingerprint; datasketch mixes
# the value (MurmurHash3 finalizer) before its permutations, so CRC's linearity does not show.
_HASHFUNC = zlib.crc32
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=_HASHFUNC)


@dataclass(frozen=True)
class Fingerprint:
    """What the dedup stage stores per article; :func:`crawler.dedup.match.compare` reads it.

    ``signature`` is ``NUM_PERM`` little-endian uint64 values (``b""`` for an empty body),
    ``bands`` and ``feature_keys`` are signed 64-bit integers (for an indexed SQL column).
    """

    text_hash: str
    signature: bytes
    bands: tuple[int, ...]
    features: frozenset[str]
    feature_keys: tuple[int, ...]
    lang: str | None
    published_at: datetime | None


def fingerprint(
    title: str | None,
    summary: str | None,
    text: str | None,
    lang: str | None,
    published_at: datetime | None,
) -> Fingerprint:
    """The fingerprint of one article (``published_at``: an aware datetime or ``None``)."""
    paragraphs = clean_paragraphs(summary, text)
    words = [w for p in paragraphs for w in tokens(p)]
    normalized = " ".join(words)
    text_hash = (
        hashlib.sha256(normalized.encode("utf-8")).hexdigest()
        if len(words) >= MIN_HASH_TOKENS
        else ""
    )
    values = minhash_values(shingles(words))
    features = feat.extract([title or "", *paragraphs], lang)
    return Fingerprint(
        text_hash=text_hash,
        signature=values.astype("<u8").tobytes() if values is not None else b"",
        bands=band_keys(values) if values is not None else (),
        features=features,
        feature_keys=feature_keys(features),
        lang=(lang or "").lower() or None,
        published_at=published_at,
    )


def shingles(words: list[str]) -> set[bytes]:
    """Distinct ``SHINGLE_SIZE``-word shingles; a shorter text is one shingle of all its words."""
    if not words:
        return set()
    if len(words) <= SHINGLE_SIZE:
        return {" ".join(words).encode("utf-8")}
    return {
        " ".join(words[i : i + SHINGLE_SIZE]).encode("utf-8")
        for i in range(len(words) - SHINGLE_SIZE + 1)
    }


def minhash_values(items: set[bytes]) -> np.ndarray | None:
    """The MinHash hash values of a shingle set, ``None`` for an empty set."""
    if not items:
        return None
    sketch = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        scheme=SCHEME,
        hashfunc=_HASHFUNC,
        permutations=_TEMPLATE.permutations,
    )
    sketch.update_batch(sorted(items))
    return LeanMinHash(sketch).hashvalues


def signature_values(signature: bytes) -> np.ndarray:
    """A stored signature back as an array (see :attr:`Fingerprint.signature`)."""
    return np.frombuffer(signature, dtype="<u8")


def band_keys(values: np.ndarray) -> tuple[int, ...]:
    """One signed 64-bit key per band; the band's index is part of the key, so equal values in
    different bands do not collide."""
    raw = values.astype("<u8")
    keys = []
    for band in range(BANDS):
        chunk = raw[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(_int64(band.to_bytes(2, "little") + chunk))
    return tuple(keys)


def feature_keys(features: frozenset[str]) -> tuple[int, ...]:
    """Keys of the rare features (document numbers, URLs, specific numbers), at most
    ``MAX_FEATURE_KEYS``; topped up to ``MIN_FEATURE_KEYS`` with the next most selective,
    and, if still short, with pairs of common ones (``PAIR_POOL``)."""
    tiers = {f: feat.key_tier(f) for f in features}
    ranked = sorted((t, -feat.significant_digits(f.partition(":")[2]), f)
                    for f, t in tiers.items() if t is not None)  # fmt: skip
    chosen = [f for t, _, f in ranked if t <= 1][:MAX_FEATURE_KEYS]
    if len(chosen) < MIN_FEATURE_KEYS:
        chosen += [f for t, _, f in ranked if t > 1][: MIN_FEATURE_KEYS - len(chosen)]
    if len(chosen) < MIN_FEATURE_KEYS:
        pool = sorted((f for f in features if f not in chosen and _pairable(f)), key=_pair_rank)
        chosen += [
            "pair:" + "|".join(p) for p in itertools.combinations(sorted(pool[:PAIR_POOL]), 2)
        ]
    return tuple(sorted({_int64(f.encode("utf-8")) for f in chosen}))


def _pairable(feature: str) -> bool:
    kind, _, value = feature.partition(":")
    if kind == "d":
        return True
    return kind in ("n", "pct") and not (value.isdigit() and int(value) in feat.YEARS)


def _pair_rank(feature: str) -> tuple[int, str]:
    """Numbers of two or more significant digits, then dates, then the rest."""
    kind, _, value = feature.partition(":")
    if kind == "d":
        return (0, feature)
    digits = feat.significant_digits(value)
    return (-digits if digits >= 2 else 1, feature)


def _int64(data: bytes) -> int:
    """A stable signed 64-bit key (BLAKE2b, never Python's per-process ``hash()``)."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little", signed=True)
