"""Topics of an article (multi-label) and whether it is about science, technology, innovation
or digital transformation at all.

The keywords live in ``data/topics.json`` (our taxonomy; its ``_format`` note documents the
phrase syntax). Matching works on word tokens, not on one regex per keyword: the text is split
once, each distinct token is turned into a few lookup keys once (cached), and all phrases of all
topics sit in one token trie. That gives whole-word matching for free, keeps Vietnamese
multi-syllable phrases cheap, and runs in well under a millisecond for a 5 KB article.

Lookup keys of a token (the key spaces are kept apart by a one-character prefix):
- its canonical form: NFC, lower case, Vietnamese tone mark moved to a fixed place (Hòa = Hoà);
- ``\\x00`` + the original spelling, for case-sensitive acronyms ("AI" is not the word "ai");
- ``\\x03`` + the unaccented form, for long Vietnamese phrases and for unaccented text;
- ``\\x01`` + a prefix of the lower-case token, for stems of inflected languages ("цифров*").
Chinese, Japanese and Korean have no spaces between words: their phrases are substrings, found
by one compiled alternation.

Scoring: every keyword occurrence adds its weight (weak keywords less); a title occurrence
counts ``TITLE_WEIGHT`` times, repeats in the body are capped. A topic needs ``TOPIC_THRESHOLD``
and at least one non-weak keyword, so one passing word in a long body is never a topic; a topic
made of weak keywords only must reach ``WEAK_ONLY_THRESHOLD`` and comes only with a real one.
An article is relevant when it has a topic.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import compress, product
from operator import itemgetter
from pathlib import Path
from typing import Any

# --- scoring: every tuning knob is named here ------------------------------------------------
TITLE_WEIGHT = 3.0  # one keyword in the title counts like three in the body
BODY_WEIGHT = 1.0
WEAK_WEIGHT = 0.4  # a `weak` keyword supports a topic but does not make one on its own
BODY_REPEAT_CAP = 3  # body occurrences of one keyword counted at most this often
TOPIC_THRESHOLD = 2.0  # two body mentions of a keyword, or one in the title
WEAK_ONLY_THRESHOLD = 3.0  # a topic seen through weak keywords only, beside a real topic

# --- matching ---------------------------------------------------------------------------------
CASE_SENSITIVE_MAX_LEN = 5  # all-capital tokens up to this length match case-sensitively
FOLD_MIN_TOKENS = 3  # Vietnamese phrases at least this long also match without diacritics...
FOLD_MIN_CHARS = 12  # ...and at least this many characters once unaccented
UNACCENTED_MIN_WORDS = 8  # a Vietnamese text of at least this many words...
UNACCENTED_MAX_EXTRA = 0.1  # ...with fewer non-ASCII UTF-8 bytes per word has no diacritics
SHOUTING_MIN_WORDS = 3  # a title or paragraph of this many words or more...
SHOUTING_MIN_SHARE = 0.6  # ...mostly in capitals says nothing through case: acronyms are skipped
KEY_CACHE_LIMIT = 200_000  # distinct tokens remembered per matcher before the cache is reset

DATA_FILE = "topics.json"
LANG_ALIASES = {"nb": "no", "nn": "no"}
CJK_LANGS = frozenset({"zh", "ja", "ko"})

_CASE, _STEM, _FOLD, _END = "\x00", "\x01", "\x03", ""
_CJK = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_HAS_CJK = re.compile(f"[{_CJK}]")
# Tokens are runs of letters and digits; any other character separates them ("57-NQ/TW" is
# 57 NQ TW, "l'intelligence" is l intelligence, "KH&CN" is KH CN). A sentence end becomes the
# token "_", so that no phrase spans two sentences. A CJK run is a token apart from Latin
# letters ("IT人材" has the token IT). Phrases may end a word with "*" (a stem), "[...]*".
_SENTENCE_ENDS = (". ", "! ", "? ", "; ", ": ")
_SENTENCE_MARK = " _ "
_NOT_WORD = re.compile(r"[^\w\s]")
_CJK_TOKEN = re.compile(f"[^\\W{_CJK}]+|[{_CJK}]+")
_PHRASE_TOKEN = re.compile(f"[^\\W{_CJK}]+(?:\\[\\w+\\])?\\*?|[{_CJK}]+")
_STEM_LETTERS = re.compile(r"^(.*)\[(\w+)\]\*$")  # цифров[оаыуе]*: the stem and its next letters
_TONES = {"\u0300": "1", "\u0301": "2", "\u0303": "3", "\u0309": "4", "\u0323": "5"}
_VI_SYLLABLE_MAX = 7  # longest Vietnamese syllable ("nghiêng"); longer tokens are not Vietnamese
_Y_AS_I = re.compile(r"^[bcdđghklmnprstvx]+y$")  # kỹ = kĩ, lý = lí, mỹ = mĩ (not quy, tuy)
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Topic:
    """A taxonomy topic as the CLI and the web layer show it."""

    slug: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class TopicResult:
    topics: list[str]  # slugs, best first
    scores: dict[str, float]  # every topic that scored at all, chosen or not
    relevant: bool


@dataclass(frozen=True)
class _Entry:
    """One phrase of the taxonomy; ``topic`` is an index, -1 for a stop phrase."""

    text: str
    topic: int
    weight: float
    lang: str


_Payload = dict[int, _Entry]  # topic index -> the phrase that names it (shared phrases: several)
_KeyCache = dict[str, tuple[tuple[dict[str, Any], ...], tuple[str, ...]]]
_first, _second = itemgetter(0), itemgetter(1)


# --- text normalisation -----------------------------------------------------------------------


def _prepare(text: str) -> str:
    """NFC, with sentence ends marked (str.replace: much faster than a regex)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "ʼ" in text:
        text = text.replace("ʼ", "'")  # a letter to \w, an apostrophe to the reader
    for sentence_end in _SENTENCE_ENDS:
        if sentence_end in text:
            text = text.replace(sentence_end, _SENTENCE_MARK)
    return text


def tokens(text: str, cjk: bool | None = None) -> list[str]:
    """Word tokens of ``text``, split as the taxonomy's phrases are (``cjk``: whether the text
    has Chinese, Japanese or Korean characters, when the caller knows)."""
    text = _prepare(text)
    if cjk or (cjk is None and _HAS_CJK.search(text)):
        return _CJK_TOKEN.findall(text)
    return _NOT_WORD.sub(" ", text).split()  # twice as fast as findall(r"\w+")


def phrase_tokens(phrase: str) -> list[str]:
    """Tokens of a taxonomy phrase (like :func:`tokens`, keeping a stem's "*" and "[...]")."""
    return _PHRASE_TOKEN.findall(_prepare(phrase))


def canonical(token: str) -> str:
    """Lower case with a Vietnamese tone mark in a fixed place, so Hòa = Hoà and thủy = thuỷ.

    Only a short token with exactly one tone mark is treated as a Vietnamese syllable; other
    words are just lower-cased (the result is a lookup key, never shown).
    """
    low = token.lower()
    if low.isascii() or len(low) > _VI_SYLLABLE_MAX:
        return low
    decomposed = unicodedata.normalize("NFD", low)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return low
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if _Y_AS_I.match(base):
        base = base[:-1] + "i"
    return base + _TONES[tones[0]]


def fold(token: str) -> str:
    """Without diacritics (đ -> d), case kept."""
    decomposed = unicodedata.normalize("NFD", token.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_case_sensitive(token: str, explicit: Iterable[str] = ()) -> bool:
    """Short all-capital tokens (AI, 5G, CĐS, ATTT, ИИ) and the taxonomy's listed ones (IoT)."""
    if token in explicit:
        return True
    return (
        len(token) <= CASE_SENSITIVE_MAX_LEN
        and any(c.isupper() for c in token)
        and not any(c.islower() for c in token)
    )


def phrase_key(phrase: str, explicit_cs: Iterable[str] = ()) -> tuple[str, ...]:
    """What a phrase matches, as a comparable tuple (two phrases with one key are the same)."""
    if _HAS_CJK.search(phrase):
        return ("cjk", re.sub(r"\s+", "", phrase))
    keys = []
    for word in phrase_tokens(phrase):
        if word.endswith("*"):
            keys.append(_STEM + word[:-1].lower())
        elif is_case_sensitive(word, explicit_cs):
            keys.append(_CASE + word)
        else:
            keys.append(canonical(word))
    return tuple(keys)


def _shouting(words: list[str]) -> bool:
    """A title or paragraph in capitals, where "AI" may be the word "ai"."""
    upper = sum(map(str.isupper, words))
    return upper >= SHOUTING_MIN_WORDS and upper >= SHOUTING_MIN_SHARE * len(words)


# --- matchers ---------------------------------------------------------------------------------


def _add(payload: _Payload, entry: _Entry) -> None:
    old = payload.get(entry.topic)
    if old is None or entry.weight > old.weight:
        payload[entry.topic] = entry


class _Matcher:
    """All word phrases for one set of languages in one token trie, with a per-token key cache,
    plus the substring phrases of Chinese, Japanese and Korean when the set has them."""

    def __init__(self, entries: Iterable[_Entry], explicit_cs: frozenset[str], fold_all: bool):
        self.root: dict[str, Any] = {}
        self.fold_all = fold_all
        self.vocab: set[str] = set()  # every key anywhere in the trie: other keys are never tried
        self.explicit_cs = explicit_cs
        stems: set[int] = set()
        cjk: dict[str, _Payload] = {}
        for entry in entries:
            if entry.lang in CJK_LANGS:
                _add(cjk.setdefault(re.sub(r"\s+", "", entry.text), {}), entry)
                continue
            words = phrase_tokens(entry.text)
            if not words:
                continue
            for keys in product(*(self._keys_of(w, stems) for w in words)):
                self._insert(list(keys), entry)
            if entry.lang == "vi" and not any(w.endswith("*") for w in words):
                folded = " ".join(fold(w) for w in words)
                if fold_all or (len(words) >= FOLD_MIN_TOKENS and len(folded) >= FOLD_MIN_CHARS):
                    self._insert([self._fold_key(w) for w in words], entry)
        self._rank(self.root)
        self.stem_lengths = tuple(sorted(stems))
        # word -> (trie nodes of the phrases it starts, its keys found in phrases); one cache
        # with case-sensitive keys, one without (for text in capitals)
        self._caches: tuple[_KeyCache, _KeyCache] = ({}, {})
        self.cjk = cjk
        self.cjk_pattern: re.Pattern[str] | None = None
        if cjk:
            # Longest first, so that at one position the longer phrase wins; any spacing
            # between the characters of a phrase (Korean writes "디지털 전환" or "디지털전환").
            alternatives = sorted(cjk, key=len, reverse=True)
            self.cjk_pattern = re.compile(
                "|".join(r"\s*".join(map(re.escape, a)) for a in alternatives)
            )

    def _rank(self, node: dict[str, Any]) -> None:
        """Terminal payloads become (rank, payload): a keyword ranks before a weak phrase."""
        for key, child in node.items():
            if key == _END:
                node[_END] = (-max(e.weight for e in child.values()), child)
            else:
                self._rank(child)

    def _keys_of(self, word: str, stems: set[int]) -> list[str]:
        """Trie keys of one phrase token: several for a stem with listed next letters."""
        if word.endswith("*"):
            letters = _STEM_LETTERS.match(word)
            if letters:
                found = [(letters[1] + c).lower() for c in letters[2]]
            else:
                found = [word[:-1].lower()]
            stems.update(len(stem) for stem in found)
            return [_STEM + stem for stem in found]
        if is_case_sensitive(word, self.explicit_cs):
            return [_CASE + word]
        return [canonical(word)]

    def _fold_key(self, word: str) -> str:
        if is_case_sensitive(word, self.explicit_cs):
            return _CASE + fold(word)
        return _FOLD + fold(word.lower())

    def _insert(self, keys: list[str], entry: _Entry) -> None:
        node = self.root
        self.vocab.update(keys)
        for key in keys:
            node = node.setdefault(key, {})
        _add(node.setdefault(_END, {}), entry)

    def _keys(
        self, word: str, shouting: bool
    ) -> tuple[tuple[dict[str, Any], ...], tuple[str, ...]]:
        """Lookup keys of one text token that occur in some phrase: most words are in none,
        so they cost nothing in :meth:`find`."""
        low = word.lower()
        candidates = [canonical(word)]
        if self.fold_all or low.isascii():
            # An accented word is found through its canonical form; the unaccented key is
            # for words written without diacritics (in a text that has them, or has none).
            candidates.append(_FOLD + fold(low))
        candidates.extend(_STEM + low[:n] for n in self.stem_lengths if len(low) >= n)
        if word != low and not shouting:
            candidates += [_CASE + word, _CASE + fold(word)]
        keys = tuple(k for k in dict.fromkeys(candidates) if k in self.vocab)
        return tuple(self.root[k] for k in keys if k in self.root), keys

    def find(self, words: list[str], shouting: bool) -> list[_Payload]:
        """Payloads of the non-overlapping phrase matches, longer phrases first."""
        cache = self._caches[shouting]
        if len(cache) >= KEY_CACHE_LIMIT:
            cache.clear()
        pairs = list(map(cache.get, words))
        if None in pairs:
            for i, word in enumerate(words):
                if pairs[i] is None:
                    pairs[i] = cache[word] = self._keys(word, shouting)
        starts = list(map(_first, pairs))  # trie nodes of the phrases a word may start
        keys = list(map(_second, pairs))
        n = len(words)
        # (-length, rank, start, sequence, payload): sorting puts the longest first ("hóa đơn
        # điện tử" wins over "số hóa" in "số hóa đơn"), then keywords before weak phrases,
        # then the leftmost.
        found: list[tuple[int, float, int, int, _Payload]] = []
        for i in compress(range(n), starts):
            for node in starts[i]:
                # Walk down the trie; a second matching key at one step (rare) waits on a stack.
                j, stack = i + 1, None
                while True:
                    end = node.get(_END)
                    if end:
                        found.append((i - j, end[0], i, len(found), end[1]))
                    following = None
                    if j < n:
                        for k in keys[j]:
                            child = node.get(k)
                            if child is None:
                                continue
                            if following is None:
                                following = child
                            elif stack is None:
                                stack = [(child, j + 1)]
                            else:
                                stack.append((child, j + 1))
                    if following is not None:
                        node, j = following, j + 1
                    elif stack:
                        node, j = stack.pop()
                    else:
                        break
        if len(found) < 2:
            return [m[4] for m in found]
        found.sort()
        taken = bytearray(n)
        kept = []
        for length, _rank, start, _seq, payload in found:
            end = start - length
            if not any(taken[start:end]):
                taken[start:end] = b"\x01" * (end - start)
                kept.append(payload)
        return kept

    def find_cjk(self, line: str) -> Iterator[_Payload]:
        if self.cjk_pattern is None:
            return
        for match in self.cjk_pattern.finditer(line):
            yield self.cjk[re.sub(r"\s+", "", match.group())]


# --- the taxonomy -----------------------------------------------------------------------------


class Taxonomy:
    """The parsed taxonomy file and the matchers built from it (one per language set)."""

    def __init__(self, data: dict[str, Any], source: str = DATA_FILE):
        self.source = source
        self.languages: tuple[str, ...] = tuple(data.get("languages", ("vi", "en")))
        self.explicit_cs = frozenset(data.get("case_sensitive_tokens", ()))
        self.shared = frozenset(data.get("shared_keywords", ()))
        self.entries: list[_Entry] = []
        topics: list[Topic] = []
        for index, raw in enumerate(data.get("topics", ())):
            slug = raw.get("slug", "")
            if not _KEBAB.match(slug) or not raw.get("label_vi") or not raw.get("label_en"):
                raise ValueError(f"{source}: topic {index} needs a kebab-case slug and both labels")
            if any(t.slug == slug for t in topics):
                raise ValueError(f"{source}: duplicate topic {slug!r}")
            keywords = raw.get("keywords", {})
            if not keywords.get("vi") or not keywords.get("en"):
                raise ValueError(f"{source}: topic {slug!r} needs Vietnamese and English keywords")
            topics.append(Topic(slug, raw["label_vi"], raw["label_en"]))
            for group, weight in (("keywords", 1.0), ("weak", WEAK_WEIGHT)):
                for lang, phrases in raw.get(group, {}).items():
                    self._check_lang(lang, slug)
                    self.entries.extend(_Entry(p, index, weight, lang) for p in phrases)
        for lang, phrases in data.get("stop_phrases", {}).items():
            self._check_lang(lang, "stop_phrases")
            self.entries.extend(_Entry(p, -1, 0.0, lang) for p in phrases)
        self.topics: tuple[Topic, ...] = tuple(topics)
        self._matchers: dict[tuple[frozenset[str] | None, bool], _Matcher] = {}

    def _check_lang(self, lang: str, where: str) -> None:
        if lang not in self.languages:
            raise ValueError(f"{self.source}: {where}: language {lang!r} not in `languages`")

    def langs_for(self, lang: str | None) -> frozenset[str] | None:
        """The phrase languages used for a text: its own plus vi and en; ``None`` = all."""
        code = lang_code(lang)
        if code is None or code not in self.languages:
            return None  # a language without phrases of its own: try every phrase
        return frozenset({code, "vi", "en"})

    def matcher(self, langs: frozenset[str] | None, fold_all: bool) -> _Matcher:
        key = (langs, fold_all)
        matcher = self._matchers.get(key)
        if matcher is None:
            chosen = (e for e in self.entries if langs is None or e.lang in langs)
            matcher = _Matcher(chosen, self.explicit_cs, fold_all)
            self._matchers[key] = matcher
        return matcher


def lang_code(lang: str | None) -> str | None:
    """ "vi-VN" -> "vi", "nb" -> "no"; ``None`` for no language."""
    if not lang or not lang.strip():
        return None
    code = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return LANG_ALIASES.get(code, code)


@lru_cache(maxsize=4)
def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The taxonomy (cached): the shipped ``data/topics.json`` unless ``path`` is given."""
    if path is None:
        ref = resources.files("crawler.tagging").joinpath("data", DATA_FILE)
        text, source = ref.read_text(encoding="utf-8"), str(ref)
    else:
        text, source = Path(path).read_text(encoding="utf-8"), str(path)
    return Taxonomy(json.loads(text), source)


def load_topics() -> tuple[Topic, ...]:
    """The topics with their labels, in taxonomy order (for the CLI and the web layer)."""
    return load_taxonomy().topics


def _name_form(name: str) -> str:
    from storage.text import fold as fold_text

    return fold_text(name).replace("-", " ").strip()


def find_topic(name: str) -> Topic | None:
    """The topic a user means by ``name``: its slug or its Vietnamese or English label (any
    case, accents optional, hyphens or spaces); None when none matches (the CLI's ``--topic``
    and the web layer's ``topic``)."""
    wanted = _name_form(name)
    for topic in load_topics():
        if any(_name_form(n) == wanted for n in (topic.slug, topic.label_vi, topic.label_en)):
            return topic
    return None


def suggest_topics(name: str, n: int = 5) -> list[str]:
    """The slugs closest to an unknown topic name, closest first."""
    import difflib

    return difflib.get_close_matches(name, [t.slug for t in load_topics()], n=n, cutoff=0.4)


# --- tagging ----------------------------------------------------------------------------------


def _segments(text: str, cjk: bool) -> list[tuple[str, list[str]]]:
    """Paragraphs with their tokens (a paragraph is also the unit of "written in capitals")."""
    return [(line, words) for line in text.split("\n") if (words := tokens(line, cjk))]


def _unaccented(text: str, n_words: int) -> bool:
    """A Vietnamese text written without diacritics (old mail, URLs, some captions).

    Counted in UTF-8 bytes beyond one per character (fast): an accented Vietnamese text has
    more than one per word (ư, ệ, đ...), an unaccented one only a few quotes and dashes.
    """
    if n_words < UNACCENTED_MIN_WORDS:
        return False
    return len(text.encode("utf-8")) - len(text) < UNACCENTED_MAX_EXTRA * n_words


def tag_topics(
    title: str | None, text: str | None, lang: str | None, *, taxonomy: Taxonomy | None = None
) -> TopicResult:
    """Topics of an article, best first, their scores, and whether it is an S&T article.

    ``lang`` chooses the phrase languages (its own, plus vi and en; all when unknown). The
    article is relevant when it has a topic: every topic of the taxonomy is science,
    technology, innovation or digital transformation, and the threshold keeps passing words out.
    """
    tax = taxonomy or load_taxonomy()
    title, text = title or "", text or ""
    cjk = bool(_HAS_CJK.search(title) or _HAS_CJK.search(text))
    title_segments, body_segments = _segments(title, cjk), _segments(text, cjk)
    langs = tax.langs_for(lang)
    fold_all = lang_code(lang) in (None, "vi") and _unaccented(
        f"{title}\n{text}", sum(len(words) for _line, words in title_segments + body_segments)
    )
    matcher = tax.matcher(langs, fold_all)
    cjk = cjk and matcher.cjk_pattern is not None

    in_title: set[tuple[int, str]] = set()
    body_counts: dict[tuple[int, str], int] = {}
    entries: dict[tuple[int, str], _Entry] = {}
    for segments, is_title in ((title_segments, True), (body_segments, False)):
        for line, words in segments:
            payloads = matcher.find(words, _shouting(words))
            if cjk:
                payloads.extend(matcher.find_cjk(line))
            for payload in payloads:
                for topic, entry in payload.items():
                    if topic < 0:
                        continue  # a stop phrase: its words mean something else
                    key = (topic, entry.text)
                    entries[key] = entry
                    if is_title:
                        in_title.add(key)
                    else:
                        body_counts[key] = body_counts.get(key, 0) + 1

    scores: dict[int, float] = {}
    strong: set[int] = set()
    for key, entry in entries.items():
        topic = key[0]
        value = BODY_WEIGHT * entry.weight * min(body_counts.get(key, 0), BODY_REPEAT_CAP)
        if key in in_title:
            value += TITLE_WEIGHT * entry.weight
        scores[topic] = scores.get(topic, 0.0) + value
        if entry.weight >= 1.0:
            strong.add(topic)

    chosen = [t for t, s in scores.items() if t in strong and s >= TOPIC_THRESHOLD]
    if chosen:
        chosen += [t for t, s in scores.items() if t not in strong and s >= WEAK_ONLY_THRESHOLD]
    chosen.sort(key=lambda t: (-scores[t], t))
    return TopicResult(
        topics=[tax.topics[t].slug for t in chosen],
        scores={tax.topics[t].slug: round(s, 3) for t, s in sorted(scores.items())},
        relevant=bool(chosen),
    )
