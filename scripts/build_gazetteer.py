"""Generate crawler/tagging/data/provinces.json, the gazetteer the tagger loads.

Facts (codes, names, kinds, which old provinces merged into which unit) come from
../shared/reference/provinces_2025.json; the names we add (spelling variants, abbreviations,
exonyms, renderings in Cyrillic and CJK scripts, web-host labels) from
crawler/tagging/data/province_names.toml. The systematic forms are generated here: tone-mark
variants, ASCII folds, "tỉnh X" / "TP. X" / "X province" forms, fused / spaced / hyphenated
Cyrillic forms, Ukrainian spellings and traditional Chinese characters.

    python scripts/build_gazetteer.py            # write the data file
    python scripts/build_gazetteer.py --check    # exit 1 if the data file is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.tagging.gazetteer import (  # noqa: E402
    DATA_FILE,
    core_key,
    fold,
    name_key,
    nfc,
    tone_variants,
)

FACTS = ROOT.parent / "shared" / "reference" / "provinces_2025.json"
NAMES = ROOT / "crawler" / "tagging" / "data" / "province_names.toml"
LANGS = ("vi", "ascii", "en", "ru", "uk", "fr", "de", "es", "no", "zh", "ko", "ja")
EXPECTED_UNITS = 34
EXPECTED_OLD = 63


# --- generated forms ------------------------------------------------------------------------------


def _add(bucket: list[str], *names: str) -> None:
    for name in names:
        name = " ".join(nfc(name).split())
        if name and name not in bucket:
            bucket.append(name)


def vietnamese_forms(name_vi: str, extras: list[str], city: bool) -> tuple[list[str], list[str]]:
    """(with diacritics, unaccented): the name, its tone variants and spellings, the fused
    "LaiChâu" hashtag forms, and each spelled-out name also as "tỉnh X" (a province) and
    "thành phố X" / "TP. X" (both: provinces are being made cities, and every province has a
    city of its name)."""
    accented: list[str] = []
    ascii_forms: list[str] = []
    vi_prefixes = ("thành phố", "Thành phố", "TP.", "TP") + ((), ("tỉnh", "Tỉnh"))[not city]
    ascii_prefixes = ("thanh pho", "Thanh pho", "TP") + ((), ("tinh", "Tinh"))[not city]
    for base in (name_vi, *extras):
        for name in tone_variants(base):
            vietnamese = not name.isascii() or name == name_vi  # Gia Lai, Long An are both
            target = accented if vietnamese else ascii_forms
            _add(target, name)
            if " " in name and "-" not in name and "–" not in name:
                _add(target, name.replace(" ", ""))
            _add(ascii_forms, fold(name))
            spelled_out = " " in name or name in (name_vi, fold(name_vi))
            prefixed = core_key(name) != name_key(name)
            if not spelled_out or prefixed or sum(c.isupper() for c in name) > len(name.split()):
                continue  # fused spellings, "TP.HCM", "BR-VT", "Thành phố X" take no prefix
            for prefix in vi_prefixes if vietnamese else ():
                _add(accented, f"{prefix} {name}")
            for prefix in ascii_prefixes:
                _add(ascii_forms, f"{prefix} {fold(name)}")
    return accented, ascii_forms


def english_forms(name_en: str, name_ascii: str, extras: list[str], city: bool) -> list[str]:
    """The English name and the ASCII name, each also as "X province" / "province of X" (and
    "X City" for a city), then the extra spellings as they are."""
    forms: list[str] = []
    _add(forms, *extras)
    for name in (name_en, name_ascii):
        _add(forms, name)
        if name.endswith("City"):
            continue
        _add(forms, f"{name} province", f"{name} Province", f"province of {name}")
        if city:
            _add(forms, f"{name} City", f"{name} city")
    return forms


# Russian -> Ukrainian spelling of transliterated names: і for и, и for ы, е for э, є for a
# vowel-initial or softened е ("Тхайнгуен" -> "Тхайнгуєн").
_UK_NON_I = str.maketrans({"ы": "и", "Ы": "И", "э": "е", "Э": "Е", "ё": "ьо"})
_UK_YE = re.compile(r"(?<=[аеиоуяюіїєАЕИОУЯЮІЇЄь\s-])е|^е|(?<=^)Е")


def ukrainian(name: str) -> list[str]:
    """Ukrainian spellings of a Russian rendering: ы -> и, э -> е, each и kept or made і
    (Ukrainian writes "Хошимін"), and each form also with є where Ukrainian writes it."""
    mapped = name.translate(_UK_NON_I)
    spots = [i for i, c in enumerate(mapped) if c in "иИ"][:4]
    forms: list[str] = []
    for mask in range(1 << len(spots)):
        letters = list(mapped)
        for bit, i in enumerate(spots):
            if not mask >> bit & 1:
                letters[i] = "і" if letters[i] == "и" else "І"
        form = "".join(letters)
        with_ye = _UK_YE.sub(lambda m: "Є" if m.group(0) == "Е" else "є", form)
        _add(forms, with_ye, form)
    return forms


def cyrillic_forms(rendering: str) -> list[str]:
    """A rendering written with "·" between syllable groups -> fused, spaced and hyphenated
    forms ("Тхай·нгуен" -> "Тхайнгуен", "Тхай Нгуен", "Тхай-Нгуен")."""
    if "·" not in rendering:
        return [rendering]
    groups = rendering.split("·")
    title = [g[:1].upper() + g[1:] for g in groups]
    return ["".join(groups), " ".join(title), "-".join(title)]


_NAIVE_INITIALS = [
    ("ngh", "нг"), ("ng", "нг"), ("nh", "нь"), ("ch", "ч"), ("tr", "ч"), ("th", "т"),
    ("ph", "ф"), ("kh", "х"), ("gh", "г"), ("gi", "з"), ("qu", "ку"), ("b", "б"), ("c", "к"),
    ("d", "д"), ("g", "г"), ("h", "х"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("v", "в"), ("x", "с"), ("y", "й"),
]  # fmt: skip
_NAIVE_FINALS = [("nh", "нь"), ("ng", "нг"), ("ch", "ч"), ("c", "к"), ("k", "к"), ("t", "т"), ("p", "п"),
                 ("m", "м"), ("n", "н")]  # fmt: skip
_NAIVE_VOWELS = {"a": "а", "e": "е", "i": "и", "o": "о", "u": "у", "y": "и"}


def _naive_syllable(syllable: str) -> str:
    out = ""
    rest = syllable
    for latin, cyr in _NAIVE_INITIALS:
        if rest.startswith(latin) and (len(rest) > len(latin) or latin == "y"):
            out, rest = cyr, rest[len(latin) :]
            break
    final = ""
    for latin, cyr in _NAIVE_FINALS:
        if rest.endswith(latin) and len(rest) > len(latin):
            final, rest = cyr, rest[: -len(latin)]
            break
    vowels = ""
    for i, ch in enumerate(rest):
        if ch in "iy" and i > 0:
            vowels += "й"
        else:
            vowels += _NAIVE_VOWELS.get(ch, "")
    return out + vowels + final


def naive_cyrillic(name_ascii: str) -> list[str]:
    """The letter-by-letter Cyrillic a machine translation writes for a name it does not know
    ("Lai Chau" -> "Лай Чау", "Лайчау"). Single-syllable names are left out: too short to be
    safe."""
    syllables = name_ascii.lower().replace("-", " ").split()
    if len(syllables) < 2:
        return []
    groups = [_naive_syllable(s) for s in syllables]
    title = [g[:1].upper() + g[1:] for g in groups]
    fused = "".join(groups)
    return [" ".join(title), fused[:1].upper() + fused[1:]]


# Simplified -> traditional for the characters of the Chinese names (Taiwan / Hong Kong text).
_TRADITIONAL = str.maketrans(
    "岘顺广宁谅边莱罗寿兴义静乐庆瓯辽顿头槟荣坚庄后阳农贡内",
    "峴順廣寧諒邊萊羅壽興義靜樂慶甌遼頓頭檳榮堅莊後陽農貢內",
)


def chinese_forms(names: list[str]) -> list[str]:
    forms: list[str] = []
    for name in names:
        _add(forms, name, name.translate(_TRADITIONAL))
    return forms


# --- assembly ------------------------------------------------------------------------------------


def alias_groups(
    name_vi: str,
    name_ascii: str,
    name_en: str,
    shared_aliases: list[str],
    ru_suggested: str | None,
    extra: dict,
    city: bool,
) -> dict[str, list[str]]:
    vi_extra = [a for a in shared_aliases if not a.isascii()] + list(extra.get("vi", []))
    ascii_extra = [a for a in shared_aliases if a.isascii()]
    accented, ascii_forms = vietnamese_forms(name_vi, vi_extra, city)
    for name in ascii_extra + [name_ascii]:
        _add(ascii_forms, name)
    ru: list[str] = []
    for rendering in [*extra.get("ru", []), *([ru_suggested] if ru_suggested else [])]:
        _add(ru, *cyrillic_forms(rendering))
    if extra.get("naive", True):
        _add(ru, *naive_cyrillic(name_ascii))
    uk: list[str] = []
    for rendering in extra.get("uk", []):
        _add(uk, *cyrillic_forms(rendering))
    for rendering in ru:
        _add(uk, *ukrainian(rendering))
    groups = {
        "vi": accented,
        "ascii": ascii_forms,
        "en": english_forms(name_en, name_ascii, list(extra.get("en", [])), city),
        "ru": ru,
        "uk": [u for u in uk if u not in ru] + [u for u in uk if u in ru],
        "zh": chinese_forms(list(extra.get("zh", []))),
    }
    for lang in ("fr", "de", "es", "no", "ko", "ja"):
        groups[lang] = []
        _add(groups[lang], *extra.get(lang, []))
    return {lang: groups[lang] for lang in LANGS if groups.get(lang)}


def _slug(ascii_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def build(facts: dict, names: dict) -> dict:
    """The gazetteer document from the facts and our names."""
    unit_names = names.get("unit", {})
    old_names = names.get("old", {})
    former_names = names.get("former", {})
    used_old: set[str] = set()
    units = []
    for fact in facts["provinces"]:
        slug = fact["codename"].replace("_", "-")
        extra = unit_names.get(slug, {})
        city = fact["type_2025_07"].startswith("thành phố")
        hosts: list[str] = []
        _add(hosts, fold(fact["name_ascii"]).lower().replace(" ", ""), *extra.get("hosts", []))
        ambiguous = list(extra.get("ambiguous", []))
        old = []
        own_aliases = list(fact["aliases"])
        for member in fact["merged_from"]:
            entry = {
                "code": member["code_old"],
                "name_vi": member["name_vi"],
                "name_ascii": member["name_ascii"],
            }
            if member["name_vi"] == fact["name_vi"]:
                own_aliases += member["aliases"]
                entry["aliases"] = {}
            else:
                key = _slug(member["name_ascii"])
                used_old.add(key)
                more = old_names.get(key, {})
                entry["aliases"] = alias_groups(
                    member["name_vi"],
                    member["name_ascii"],
                    member["name_ascii"],
                    member["aliases"],
                    member.get("ru_suggested"),
                    more,
                    city=False,
                )
                _add(hosts, fold(member["name_ascii"]).lower().replace(" ", ""))
                _add(hosts, *more.get("hosts", []))
                ambiguous += more.get("ambiguous", [])
            old.append(entry)
        former = []
        for _key, more in sorted(former_names.items()):
            if more["unit"] != slug:
                continue
            former.append(
                {
                    "name_vi": more["name_vi"],
                    "name_ascii": more["name_ascii"],
                    "aliases": alias_groups(
                        more["name_vi"],
                        more["name_ascii"],
                        more["name_ascii"],
                        [],
                        None,
                        more,
                        False,
                    ),
                }
            )
            _add(hosts, *more.get("hosts", []))
        places: dict[str, list[str]] = {}
        for lang, names_ in extra.get("places", {}).items():
            bucket = places.setdefault(lang, [])
            for name in names_:
                for variant in tone_variants(name) if lang == "vi" else [name]:
                    _add(bucket, *cyrillic_forms(variant))
                    if lang == "vi":
                        _add(places.setdefault("ascii", []), fold(variant))
            if lang == "zh":
                places[lang] = chinese_forms(bucket)
            if lang == "ru":
                uk = places.setdefault("uk", [])
                for name in bucket:
                    _add(uk, *ukrainian(name))
        units.append(
            {
                "code": fact["code"],
                "slug": slug,
                "name_vi": fact["name_vi"],
                "name_ascii": fact["name_ascii"],
                "name_en": fact["name_en"],
                "kind": "thành phố" if city else "tỉnh",
                "name_full_vi": fact["name_full_vi_2025_07"],
                "old": old,
                "former": former,
                "aliases": alias_groups(
                    fact["name_vi"],
                    fact["name_ascii"],
                    fact["name_en"],
                    own_aliases,
                    fact.get("ru_suggested"),
                    extra,
                    city,
                ),
                "places": {lang: places[lang] for lang in LANGS if places.get(lang)},
                "hosts": hosts,
                "ambiguous": sorted(set(ambiguous)),
                "person": list(extra.get("person", [])),
            }
        )
    unknown = (set(unit_names) - {u["slug"] for u in units}) | (set(old_names) - used_old)
    if unknown:
        raise SystemExit(f"{NAMES.name} names no such unit or old province: {sorted(unknown)}")
    _check(units)
    return {
        "_about": "Vietnam's 34 provincial-level units since 1 July 2025, the pre-2025 provinces "
        "merged into each, and the names they go by. GENERATED by scripts/build_gazetteer.py "
        "from the facts in ../shared/reference/provinces_2025.json and our names in "
        "crawler/tagging/data/province_names.toml: edit those, not this file.",
        "_sources": facts.get("_sources", {}),
        "units": units,
    }


def _check(units: list[dict]) -> None:
    """Facts the tagger relies on: 34 units, 63 old provinces, unique slugs, and no name that
    two units share."""
    if len(units) != EXPECTED_UNITS:
        raise SystemExit(f"expected {EXPECTED_UNITS} units, the facts have {len(units)}")
    old_codes = [o["code"] for u in units for o in u["old"]]
    if len(old_codes) != EXPECTED_OLD or len(set(old_codes)) != EXPECTED_OLD:
        raise SystemExit(f"expected {EXPECTED_OLD} distinct old provinces, found {len(old_codes)}")
    if len({u["slug"] for u in units}) != len(units):
        raise SystemExit("slugs are not unique")
    owner: dict[str, str] = {}
    for unit in units:
        groups = [e["aliases"] for e in (unit, *unit["old"], *unit["former"])] + [unit["places"]]
        for aliases in groups:
            for names in aliases.values():
                for name in names:
                    key = core_key(name)
                    if owner.setdefault(key, unit["slug"]) != unit["slug"]:
                        raise SystemExit(f"{name!r} names both {owner[key]} and {unit['slug']}")
    hosts: dict[str, str] = {}
    for unit in units:
        for host in unit["hosts"]:
            if hosts.setdefault(host, unit["slug"]) != unit["slug"]:
                raise SystemExit(f"host label {host!r} names {hosts[host]} and {unit['slug']}")


def render(facts_path: Path = FACTS, names_path: Path = NAMES) -> str:
    facts = json.loads(facts_path.read_text("utf-8"))
    names = tomllib.loads(names_path.read_text("utf-8"))
    return json.dumps(build(facts, names), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the data file is stale")
    args = parser.parse_args(argv)
    if not FACTS.is_file():
        print(f"{FACTS} is missing: clone the project with ../shared beside it", file=sys.stderr)
        return 2
    text = render()
    if args.check:
        current = DATA_FILE.read_text("utf-8") if DATA_FILE.is_file() else ""
        if current != text:
            print(
                f"{DATA_FILE} is out of date: run python scripts/build_gazetteer.py",
                file=sys.stderr,
            )
            return 1
        return 0
    DATA_FILE.write_text(text, "utf-8")
    print(f"wrote {DATA_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
