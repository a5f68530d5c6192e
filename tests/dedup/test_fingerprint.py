"""Fingerprints (crawler/dedup/fingerprint.py): stable, selective, the spec's types."""

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from crawler.dedup.fingerprint import BANDS, NUM_PERM, Fingerprint, feature_keys, fingerprint
from crawler.dedup.match import jaccard
from tests.dedup.samples import AI_EDITED, AI_ORIGINAL, AI_REPUBLISHED, SENSORS_VI, TEA_VI, Doc

INT64 = range(-(2**63), 2**63)
ROOT = Path(__file__).resolve().parents[2]


def fp(doc: Doc) -> Fingerprint:
    return fingerprint(doc.title, doc.summary, doc.text, doc.lang, doc.published_at)


def test_types_and_sizes() -> None:
    result = fp(AI_ORIGINAL)
    assert len(result.text_hash) == 64 and int(result.text_hash, 16) >= 0
    assert isinstance(result.signature, bytes) and len(result.signature) == NUM_PERM * 8
    assert len(result.bands) == BANDS and all(
        isinstance(b, int) and b in INT64 for b in result.bands
    )
    assert result.feature_keys and all(k in INT64 for k in result.feature_keys)
    assert isinstance(result.features, frozenset) and "doc:57-nq/tw" in result.features
    assert result.lang == "vi" and result.published_at == AI_ORIGINAL.published_at


def test_same_input_same_fingerprint() -> None:
    assert fp(AI_ORIGINAL) == fp(AI_ORIGINAL)


_CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from tests.dedup.samples import AI_ORIGINAL as d
from crawler.dedup.fingerprint import fingerprint
f = fingerprint(d.title, d.summary, d.text, d.lang, d.published_at)
print(json.dumps([f.text_hash, f.signature.hex(), list(f.bands), list(f.feature_keys)]))
"""


def test_same_fingerprint_in_another_process() -> None:
    """No per-process randomness (Python's hash() is salted per process)."""
    expected = fp(AI_ORIGINAL)
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD.format(root=str(ROOT))],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        text_hash, signature, bands, keys = json.loads(out.stdout)
        assert text_hash == expected.text_hash
        assert bytes.fromhex(signature) == expected.signature
        assert tuple(bands) == expected.bands and tuple(keys) == expected.feature_keys


def test_signature_is_pinned() -> None:
    """Stored signatures must stay comparable: if this fails, the seed, scheme, hash or
    shingling changed, and FINGERPRINT_VERSION must be bumped with a re-index."""
    result = fingerprint(None, None, "một hai ba bốn năm sáu bảy tám chín mười", "vi", None)
    values = [int.from_bytes(result.signature[i : i + 8], "little") for i in range(0, 24, 8)]
    assert values == PINNED_VALUES


PINNED_VALUES = [205679, 139952525, 1728636518]


def test_decorated_copy_has_the_same_text_hash() -> None:
    assert fp(AI_REPUBLISHED).text_hash == fp(AI_ORIGINAL).text_hash
    decomposed = Doc(
        **{**AI_ORIGINAL.__dict__, "text": unicodedata.normalize("NFD", AI_ORIGINAL.text)}
    )
    assert fp(decomposed).text_hash == fp(AI_ORIGINAL).text_hash


def test_different_texts_have_different_hashes() -> None:
    assert fp(AI_EDITED).text_hash != fp(AI_ORIGINAL).text_hash


def test_stub_has_no_text_hash() -> None:
    assert fingerprint("Tiêu đề", None, "Đang cập nhật nội dung.", "vi", None).text_hash == ""


def test_empty_body() -> None:
    result = fingerprint("Tiêu đề", None, "", "vi", None)
    assert result.signature == b"" and result.bands == () and result.text_hash == ""


def test_near_copies_share_a_band_unrelated_texts_do_not() -> None:
    original, edited = fp(AI_ORIGINAL), fp(AI_EDITED)
    assert set(original.bands) & set(edited.bands)
    for other in (SENSORS_VI, TEA_VI):
        assert not set(original.bands) & set(fp(other).bands)


def test_signature_estimates_jaccard() -> None:
    assert jaccard(fp(AI_ORIGINAL).signature, fp(AI_ORIGINAL).signature) == 1.0
    assert jaccard(fp(AI_ORIGINAL).signature, fp(SENSORS_VI).signature) < 0.05


def test_feature_keys_are_the_rare_features() -> None:
    text = "Theo Nghị quyết 57-NQ/TW, năm 2026 có 1.250 đơn vị, 25 viện và 3 trường; ngày 5/9, 1.150 hộ."
    result = fingerprint(None, None, text, "vi", None)
    assert {
        "n:2026",
        "n:25",
        "n:3",
        "d:09-05",
        "doc:57-nq/tw",
        "n:1250",
        "n:1150",
    } <= result.features
    assert result.feature_keys == feature_keys(frozenset({"doc:57-nq/tw", "n:1250", "n:1150"}))


def test_feature_keys_topped_up_with_the_next_most_selective() -> None:
    result = fingerprint(
        None,
        None,
        "Dự báo cần 1,7 triệu người, mỗi năm có 65.000 kỹ sư, 30% học tại doanh nghiệp.",
        "vi",
        None,
    )
    assert result.feature_keys == feature_keys(frozenset({"n:1700000", "n:65000", "pct:30"}))


def test_brief_without_rare_figures_gets_pair_keys() -> None:
    """Each of "41", "7", "3" and "18/5" is common in a week of news; together they are not."""
    vi = fingerprint(
        None,
        None,
        "Ngày 18/5, hội đồng xét 41 hồ sơ thuộc 7 lĩnh vực, trao giải cho 3 nhà khoa học.",
        "vi",
        None,
    )
    en = fingerprint(
        None,
        None,
        "On May 18, the council reviewed 41 nominations in 7 fields and honoured 3 scientists.",
        "en",
        None,
    )
    other = fingerprint(
        None,
        None,
        "Ngày 20/5, tỉnh cấp 12 chứng nhận cho 4 doanh nghiệp và 9 hợp tác xã.",
        "vi",
        None,
    )
    assert vi.feature_keys and set(vi.feature_keys) & set(en.feature_keys)
    assert not set(vi.feature_keys) & set(other.feature_keys)
