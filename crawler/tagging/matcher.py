"""Find province names in text: one Aho-Corasick automaton over every name of every unit.

The automaton runs once over the lower-cased text; each hit is then checked in Python (hits are
few, so this costs little):

- Word boundaries per script: Latin and Cyrillic names may not touch a letter or digit on
  either side (Cyrillic case endings are keys of their own: "Ханоя", "Ханое", "Лайтяу");
  Hangul names need a boundary on the left only (particles follow: "하노이에서"); Katakana
  names may not touch Katakana; Chinese has no word boundaries.
- Capitalisation: a letter upper-case in every spelling of a name must be upper-case in the
  text ("hòa bình", peace, is not Hòa Bình; "LAI CHÂU" in an all-caps title is).
- Diacritics: Vietnamese text is searched as written (NFC; both tone-mark placements are
  keys), so an unaccented key finds only unaccented text. Text in other languages is searched
  with Latin diacritics folded ("Hanoï", "Lâm Dong", "Hué" all match).
- False friends are keys of their own that name no unit ("Thái Bình Dương", the Pacific;
  "hải dương học", oceanography; "Điện Biên Phủ", the battle): the longest match wins.

Context (which mentions are a venue, a street, a person, an organisation ...) is the business of
crawler/tagging/roles.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from crawler.tagging.gazetteer import Gazetteer, fold, load_gazetteer, nfc

# Keys that contain a province name but name something else. Lower case, NFC; both tone-mark
# placements and the folded forms are added when the automaton is built.
FALSE_FRIENDS = (
    "thái bình dương",  # the Pacific Ocean
    "hải dương học",  # oceanography ("Viện Hải dương học")
    "điện biên phủ",  # the 1954 battle, and streets named after it (the city is "TP. Điện Biên Phủ")
    "hòa bình xanh",  # Greenpeace
    "hòa bình thế giới",  # world peace
    "太平洋",  # the Pacific
    "河内外",  # "inside and outside the river"
)

_SCRIPT_LATIN, _SCRIPT_CYRILLIC, _SCRIPT_HAN, _SCRIPT_HANGUL, _SCRIPT_KANA = range(5)

_CYR = re.compile(r"[\u0400-\u04ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u30a0-\u30ff]")  # Katakana only: hiragana particles may touch a name
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ffff]")


def _script(name: str) -> int:
    if _CYR.search(name):
        return _SCRIPT_CYRILLIC
    if _HANGUL.search(name):
        return _SCRIPT_HANGUL
    if _KANA.search(name):
        return _SCRIPT_KANA
    if _HAN.search(name):
        return _SCRIPT_HAN
    return _SCRIPT_LATIN


# Russian and Ukrainian case endings of a transliterated name, by how the name ends.
_CYR_CONSONANT_ENDINGS = ("а", "у", "е", "ом", "і", "ові", "ем")
_CYR_SOFT_ENDINGS = {  # the final letter is replaced
    "й": ("я", "ю", "е", "ем", "ї", "єм", "ю", "єві"),
    "ь": ("я", "ю", "е", "ем", "і", "еві"),
}
_CYR_A_ENDINGS = ("ы", "е", "у", "ой", "и", "і", "ою")
_CYR_VOWELS = "аеёиоуыэюяіїє"


def cyrillic_inflections(name: str) -> list[str]:
    """Case forms of a transliterated place name: "Ханой" -> "Ханоя", "Ханое", "Ханоем"...;
    "Дананг" -> "Дананга", "Дананге"...; names ending in a vowel (Лайтяу, Кханьхоа) do not
    decline. Only the last word declines ("Бариа-Вунгтау" -> "Бариа-Вунгтау" only: ends in у)."""
    if not name:
        return []
    last = name[-1].lower()
    if last in _CYR_SOFT_ENDINGS:
        return [name[:-1] + e for e in _CYR_SOFT_ENDINGS[last]]
    if last == "а" and len(name) > 2 and name[-2].lower() not in _CYR_VOWELS:
        return [name[:-1] + e for e in _CYR_A_ENDINGS]
    if last.isalpha() and last not in _CYR_VOWELS and _CYR.match(last):
        return [name + e for e in _CYR_CONSONANT_ENDINGS]
    return []


@dataclass(frozen=True, slots=True)
class NameKey:
    """What one automaton key stands for."""

    key: str  # lower case, as searched
    slug: str | None  # None: a false friend
    name: str  # the alias as spelled in the data (for reports)
    old_name: str | None  # the old province's (or former) Vietnamese name, if the name is old
    caps: tuple[int, ...]  # offsets that must be upper case in the text
    script: int
    person: bool  # the bare name is also a person's (Hồ Chí Minh)
    ambiguous: bool  # also an ordinary word: all-caps hits need corroboration
    prefixed: bool  # the key includes "tỉnh" / "TP." / "province" (an administrative mention)
    base_len: int  # length of the uninflected name (Cyrillic case endings come after it)
    place: bool = False  # a city or site in the unit (Đà Lạt), not a name of the unit itself


@dataclass(frozen=True, slots=True)
class Hit:
    """A province name found in the text: [start, end) in the searched string."""

    start: int
    end: int
    surface: str
    info: NameKey

    @property
    def slug(self) -> str | None:
        return self.info.slug

    @property
    def all_caps(self) -> bool:
        letters = [c for c in self.surface if c.isalpha()]
        return len(letters) > 1 and all(c.isupper() for c in letters)


_PREFIXED = re.compile(
    r"^(?:tỉnh|tinh|thành phố|thanh pho|tp\.?|t\.p\.?|thủ đô|thu do|province of|город|місто)\s*"
    r"|\s(?:province|provinz|provinsen)$",
    re.IGNORECASE,
)


def _caps(name: str) -> frozenset[int]:
    return frozenset(i for i, c in enumerate(name) if c.isupper())


class ProvinceMatcher:
    """Two automata over every name of every unit: one for text searched as written, one for
    text searched with Latin diacritics folded."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        exact: dict[str, dict] = {}
        folded: dict[str, dict] = {}
        for unit in gazetteer.units:
            person = {n.lower() for n in unit.person} | {fold(n).lower() for n in unit.person}
            ambiguous = {fold(n).lower() for n in unit.ambiguous}
            groups = [(None, unit.aliases)]
            groups += [(o.name_vi, o.aliases) for o in unit.old if o.name_vi != unit.name_vi]
            groups += [(f.name_vi, f.aliases) for f in unit.former]
            for old_name, aliases in groups:
                for names in aliases.values():
                    for name in names:
                        self._add(exact, folded, name, unit.slug, old_name, person, ambiguous)
            for names in unit.places.values():
                for name in names:
                    self._add(exact, folded, name, unit.slug, None, set(), set(), place=True)
        for name in FALSE_FRIENDS:
            for variant in {name, name.replace("hòa", "hoà")}:
                self._add(exact, folded, variant, None, None, set(), set())
        self._keys_exact = self._freeze(exact)
        self._keys_folded = self._freeze(folded)
        self._exact = self._automaton(self._keys_exact)
        self._folded = self._automaton(self._keys_folded)

    @staticmethod
    def _add(
        exact: dict,
        folded: dict,
        name: str,
        slug: str | None,
        old_name: str | None,
        person: set,
        ambiguous: set,
        place: bool = False,
    ) -> None:
        name = nfc(name)
        script = _script(name)
        forms = [name]
        if script == _SCRIPT_CYRILLIC:
            forms += cyrillic_inflections(name)
        prefixed = bool(_PREFIXED.search(name))
        for form in forms:
            for table, text in ((exact, form), (folded, fold(form))):
                key = text.lower()
                if len(key) != len(text):
                    continue
                entry = table.get(key)
                caps = _caps(text)
                if entry is None:
                    table[key] = {
                        "slug": slug,
                        "name": name,
                        "old_name": old_name,
                        "caps": caps,
                        "script": script,
                        "person": key in person or fold(key) in person,
                        "ambiguous": fold(key) in ambiguous,
                        "prefixed": prefixed,
                        "base_len": len(name),
                        "place": place,
                    }
                elif entry["slug"] == slug:
                    entry["caps"] = entry["caps"] & caps  # the most lenient spelling decides
                    if entry["old_name"] and not old_name:
                        entry["old_name"] = None

    @staticmethod
    def _freeze(table: dict) -> dict[str, NameKey]:
        return {
            key: NameKey(
                key=key,
                slug=v["slug"],
                name=v["name"],
                old_name=v["old_name"],
                caps=tuple(sorted(v["caps"])),
                script=v["script"],
                person=v["person"],
                ambiguous=v["ambiguous"],
                prefixed=v["prefixed"],
                base_len=v["base_len"],
                place=v["place"],
            )
            for key, v in table.items()
        }

    @staticmethod
    def _automaton(keys: dict[str, NameKey]) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for key, info in keys.items():
            automaton.add_word(key, info)
        automaton.make_automaton()
        return automaton

    def find(self, text: str, folded: bool = False) -> list[Hit]:
        """Province-name hits in ``text`` (NFC), left to right, longest first, not overlapping.
        ``folded``: search with Latin diacritics folded (text that is not Vietnamese)."""
        searched = fold(text) if folded else text
        lowered = searched.lower()
        if len(lowered) != len(searched):  # a few letters lower-case to two characters (İ)
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in searched)
        automaton = self._folded if folded else self._exact
        candidates = []
        for end, info in automaton.iter(lowered):
            start = end - len(info.key) + 1
            end += 1
            if _bounded(lowered, start, end, info.script) and _capitalised(searched, start, info):
                candidates.append((start, -end, info))
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[1]))
        hits = []
        taken_until = -1
        for start, neg_end, info in candidates:
            if start < taken_until:
                continue
            hits.append(Hit(start, -neg_end, text[start:-neg_end], info))
            taken_until = -neg_end
        return hits


def _bounded(text: str, start: int, end: int, script: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if script == _SCRIPT_HAN:
        return True
    if script == _SCRIPT_KANA:
        return not (_KANA.match(before) or _KANA.match(after) or after == "ー")
    if script == _SCRIPT_HANGUL:
        return not before.isalnum()
    return not before.isalnum() and not after.isalnum()


def _capitalised(text: str, start: int, info: NameKey) -> bool:
    return all(text[start + offset].isupper() for offset in info.caps)


@cache
def load_matcher() -> ProvinceMatcher:
    """The matcher over the shipped gazetteer (built once per process)."""
    return ProvinceMatcher(load_gazetteer())
