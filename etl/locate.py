"""Location from Thai free text: which DOPA area a plan item or budget line is about.

Neither the ThaiME proposals nor the Budget Bill carry area codes; the place is written into
the project name, e.g. ``ก่อสร้างลำเหมือง หมู่ที่ 3 บ้านม่วงคำ ตำบลโป่งแยง`` (+ province column
เชียงใหม่). :class:`Locator` turns such text into a :class:`Location` in four steps:

1. **Prepare** the text: :func:`etl.normalize.clean_text` (which also re-joins the ำ that PDF
   extraction splits), Thai digits, and keyword typos (``ตาบล``→``ตำบล``, ``อาเภอ``→``อำเภอ``).
2. **Scan** for mentions with one precompiled regex: village numbers (``หมู่ที่ 3``, ``ม.7``,
   ``หมู่ที่ 1,2 และ 9``, ``หมู่ที่ 7-8``), tambons (``ตำบล``/``ต.``/``แขวง``, and as a last resort
   the tambon in an LAO name ``อบต.``/``เทศบาลตำบล``), districts (``อำเภอ``/``อ.``/``เขต``) and
   provinces (``จังหวัด``/``จ.``/``กทม``/``กรุงเทพมหานคร``). Explicit codes (``TH370101``) win.
3. **Group** the mentions into addresses. Thai writes addresses small to large (village,
   tambon, district, province), so a mention finer than the one before it starts a new address:
   ``หมู่ที่ 7 ตำบลเดิด อำเภอเมือง จังหวัดยโสธร - ตำบลภูเงิน อำเภอเสลภูมิ จังหวัดร้อยเอ็ด`` is two.
   An address that writes no province or district borrows it from the next address, else the
   previous one, else from the ``province``/``district`` arguments (the file's columns).
4. **Resolve** names in that context, largest first: province, district, then the tambon, which
   is looked up in the district, then in the province (tambon names repeat across the country:
   there are 28 หนองบัว), with abolished tambons (→ successor) after the current ones at each
   level, then in the file's province if the text pointed elsewhere, and only when no province
   is known at all in the whole country (unique names only). Exact names are tried in every
   scope first, then rapidfuzz against the names in the district or province (typos), then a
   name that runs into the next word. A village is the tambon code + the two-digit หมู่ที่
   number, so it needs a known tambon.

Several places: each address yields its villages (else its tambons, else the districts it
writes, else the province it writes); areas that contain another named area are dropped (the
province of a PAO name next to a village) and a place named again in more detail keeps its
first position; the first remaining area is ``code`` and the rest, in text order, are
``others`` — each at its own precision (the code length tells the level). A tambon name that
is ambiguous or unknown in its context is not guessed: the address falls back to its district
or province, placed after the areas resolved by name, and the note says why.

Confidence multiplies the factors in ``PENALTY`` (1.0 = every name matched exactly in an
explicit context); ``note`` says why it is lower.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

import geothai
from geothai.abolished import abolished_areas
from geothai.types import Abolished, District
from rapidfuzz import fuzz, process

from etl.normalize import clean_text, thai_digits_to_arabic
from geodata.areas import LEVEL_BY_LENGTH

__all__ = ["PENALTY", "Location", "Locator", "Precision"]

Precision = Literal["village", "tambon", "district", "province", "none"]
_RANK: dict[str, int] = {"none": 0, "province": 1, "district": 2, "tambon": 3, "village": 4}
BANGKOK = "10"


@dataclass(frozen=True)
class Location:
    """Where a text says an item is.

    ``code`` is a DOPA code: 2 province / 4 district / 6 tambon / 8 village (= tambon code +
    two-digit หมู่ที่). ``others`` are further areas the text names (see module docstring).
    ``village_name`` is the ``บ้าน…`` name written next to the village number, for display only
    (there is no village list to check it against).
    """

    code: str | None
    precision: Precision
    confidence: float
    note: str = ""
    others: tuple[str, ...] = ()
    village_name: str = ""


# --------------------------------------------------------------------------- confidence

PENALTY: dict[str, float] = {
    "keyword typo": 0.95,  # ตาบล/อาเภอ: the name after it is still exact
    "fuzzy": 0.85,  # name matched by rapidfuzz, e.g. สิงค์บุรี→สิงห์บุรี
    "run-on": 0.85,  # name glued to the next word, e.g. "อบต.หัวนาคำกำหนด"
    "abolished": 0.9,  # old code or name mapped to its successor
    "district inferred": 0.9,  # tambon unique in the province, district not written
    "district contradicted": 0.8,  # tambon not in the district written, found elsewhere
    "province inferred": 0.75,  # no province anywhere; name unique in the country
    "lao name": 0.85,  # area taken from "อบต.X"/"เทศบาลตำบลX", which may differ
    "file province": 0.8,  # tambon not in the province the text implies, found in the file's
}
FUZZY_CUTOFF = 85.0  # rapidfuzz ratio on skeletons; เชียงคำ (a district) vs เชียงราย scores 80
MIN_FUZZY_LENGTH = 4  # one wrong letter in a 3-letter name is another name
MIN_RUN_ON_LENGTH = 4


@dataclass(frozen=True)
class _Area:
    """A resolved area, with the confidence and notes collected on the way. Immutable, because
    areas are shared between cached results and the file's context."""

    code: str
    confidence: float = 1.0
    notes: tuple[str, ...] = ()

    def penalised(self, reason: str, note: str) -> _Area:
        notes = self.notes if note in self.notes else (*self.notes, note)
        return replace(self, confidence=self.confidence * PENALTY[reason], notes=notes)

    def moved(self, code: str) -> _Area:
        """Another area found inside this one's context: keeps its confidence and notes."""
        return replace(self, code=code)


# --------------------------------------------------------------------------- text preparation

_KEYWORD_TYPOS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), fixed, f"typo {label}→{fixed}")
    for pattern, fixed, label in (
        (r"ต\s?าบล", "ตำบล", "ตาบล"),  # PDF extraction drops or detaches the ำ
        (r"อ\s?าเภอ", "อำเภอ", "อาเภอ"),
        (r"จังหวด", "จังหวัด", "จังหวด"),
    )
)


def _prepare(text: str) -> tuple[str, tuple[str, ...]]:
    """One comparable form of the text, plus a note for each keyword typo repaired."""
    cleaned = thai_digits_to_arabic(clean_text(text) or "")
    notes = []
    for pattern, fixed, note in _KEYWORD_TYPOS:
        cleaned, count = pattern.subn(fixed, cleaned)
        if count:
            notes.append(note)
    return cleaned, tuple(notes)


# --------------------------------------------------------------------------- scanning


def _keyword(word: str, *, not_after: Sequence[str] = (), own_word: bool = False) -> str:
    """Regex for a keyword: the literal first, checks after it, so the engine only runs the
    lookbehinds where a keyword starts (three times faster than leading lookbehinds).

    ``not_after``: words that make it generic ("ระดับตำบล", "กลุ่มจังหวัด"). ``own_word``: not
    glued to a Thai letter, for short forms: "ม." but not the ม. of "กม.".
    """
    checks = [f"(?<!{w}{word})" for w in not_after]
    if own_word:
        checks.append(f"(?<![ก-๙]{word})")
    return word + "".join(checks)


# "ระดับตำบล", "ทุกอำเภอ", "โรงพยาบาลส่งเสริมสุขภาพตำบลบ้านX" (named after a village) are not
# places; "ประจำจังหวัดร้อยเอ็ด" is, so ประจำ only blocks ตำบล/อำเภอ.
_GENERIC = ("ระดับ", "ทุก", "กลุ่ม", "สุขภาพ", "ราย")
_NUM = r"\d{1,2}(?!\d)"
# "หมูที่"/"หมที่" are typos seen in ThaiME; bare "หมู" is not accepted (หมู 50 ตัว = 50 pigs);
# "ม." glued to a number is a village ("ซอย 12 ม.3"); after a number and before a space it is
# metres ("1.00 ม.  3 แถว", "4X5 ม. 1 ชั้น"); glued to a Thai letter it is "กม." (km).
_VILLAGE_KEY = r"(?:หมู่ที่|หมูที่|หมที่|หมู่|ม\.(?=\d)(?<![ก-๙]ม\.)|ม\.(?<![ก-๙\d]ม\.)(?<!\d ม\.))"
_TAMBON_KEY = "|".join((_keyword("ตำบล", not_after=(*_GENERIC, "ประจำ")), _keyword(r"ต\.", own_word=True)))
# "กิ่งอำเภอ" (old minor district) ends in อำเภอ and is found as such.
_DISTRICT_KEY = "|".join((_keyword("อำเภอ", not_after=(*_GENERIC, "ประจำ")), _keyword(r"อ\.", own_word=True)))
_PROVINCE_KEY = "|".join((_keyword("จังหวัด", not_after=_GENERIC), _keyword(r"จ\.", own_word=True), r"อบจ\."))
_BANGKOK_KEY = "|".join(_keyword(w, own_word=True) for w in ("กรุงเทพมหานคร", "กรุงเทพ", "กทม"))
_SCAN = re.compile(
    "|".join(
        (
            r"(?P<code>TH(?<![A-Za-z0-9]TH)(?P<th>\d{8}|\d{6}|\d{4}|\d{2})(?!\d)"
            r"|รหัส(?:พื้นที่|หมู่บ้าน|ตำบล|อำเภอ|จังหวัด)?\s*(?P<rh>\d{8}|\d{6}|\d{4}|\d{2})(?!\d))",
            rf"(?P<village>{_VILLAGE_KEY}\s*(?P<numbers>{_NUM}"
            rf"(?:\s*(?:,|และ|-|–|ถึง)\s*(?:{_VILLAGE_KEY})?\s*{_NUM})*))",
            r"(?P<lao>องค์การบริหารส่วนตำบล|เทศบาลตำบล|อบต\.?|ทต\.)",
            rf"(?P<tambon>{_TAMBON_KEY}|(?P<khwaeng>แขวง))",
            rf"(?P<district>{_DISTRICT_KEY}|(?P<khet>เขต))",
            rf"(?P<province>{_PROVINCE_KEY})",
            rf"(?P<bangkok>{_BANGKOK_KEY})",
        )
    )
)
_NUMBER_SPLIT = re.compile(r"(\d{1,2})|(-|–)|([หม])")  # ห, ม: a repeated หมู่ที่/ม.
# Where a name ends: a space or punctuation, or the next keyword glued to it.
_NAME_END = re.compile(
    r"[\s()\[\]{},;:/\"'“”.ฯ+&-]|ตำบล|อำเภอ|จังหวัด|หมู่|แขวง|กรุงเทพ|กทม|[ตอจม]\.|อบต|เทศบาล"
    r"|องค์การ"
)
_THAI_NAME_START = re.compile(r"[ก-ฮเ-ไ]")
_WHOLE_CODE = re.compile(r"(?:TH)?(\d{8}|\d{6}|\d{4}|\d{2})")
_NAME_WINDOW = 48  # the longest area name has 23 letters
_TONE_MARKS = str.maketrans("", "", "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")

Level = Literal["village", "tambon", "district", "province"]
_LEVEL_ORDER: dict[str, int] = {"village": 0, "tambon": 1, "district": 2, "province": 3}


@dataclass(frozen=True)
class _Mention:
    """One place word found in the text: its level, where it is, and the text after it."""

    level: Level
    start: int
    end: int
    rest: str = ""  # text after the keyword, where the name is
    numbers: tuple[int, ...] = ()  # village numbers
    via: Literal["", "lao", "bangkok"] = ""  # LAO name; Bangkok-only keyword เขต/แขวง/กทม

    @property
    def name(self) -> str:
        return _name_token(self.rest)


def _name_token(rest: str) -> str:
    """The name part of ``rest``: up to a space, punctuation or the next keyword."""
    if _NAME_END.match(rest):
        return ""
    m = _NAME_END.search(rest, 1)
    return rest[: m.start()] if m else rest


def _skeleton(name: str) -> str:
    """A name without tone marks and with ำ as า, for fuzzy comparison only: PDF text and
    hand typing get these wrong most ("ทุ่งกว่ำว" for ทุ่งกว๋าว)."""
    return name.translate(_TONE_MARKS).replace("\u0e33", "\u0e32")


def _village_numbers(spec: str) -> tuple[int, ...]:
    """``"1, 2 และหมู่ที่ 9"`` → (1, 2, 9); ``"1-5"`` → 1..5. Only a dash between bare numbers
    is a range: "หมู่ที่ 2 - หมู่ที่ 8" and "หมู่ที่ 4 ถึง 7" name the two ends of a road."""
    numbers: list[int] = []
    dash = False
    for number, is_dash, keyword in _NUMBER_SPLIT.findall(spec):
        if is_dash or keyword:
            dash = bool(is_dash)
            continue
        n = int(number)
        if dash and numbers and numbers[-1] < n <= numbers[-1] + 30:
            numbers.extend(range(numbers[-1] + 1, n + 1))
        elif n >= 1 and n not in numbers:
            numbers.append(n)
        dash = False
    return tuple(numbers)


def _scan(text: str) -> tuple[list[_Mention], list[str]]:
    """Place mentions in text order (those followed by something name-like), and codes."""
    mentions: list[_Mention] = []
    codes: list[str] = []
    for m in _SCAN.finditer(text):
        if m["code"]:
            codes.append(m["th"] or m["rh"])
            continue
        if m["village"]:
            numbers = _village_numbers(m["numbers"])
            if numbers:
                mentions.append(_Mention("village", m.start(), m.end(), numbers=numbers))
            continue
        if m["bangkok"]:
            mentions.append(_Mention("province", m.start(), m.end(), m["bangkok"], via="bangkok"))
            continue
        rest = text[m.end() : m.end() + _NAME_WINDOW].lstrip()
        if not _THAI_NAME_START.match(_name_token(rest)):
            continue  # "ตำบล 500 ตำบล", "ระดับอำเภอ และ", "แขวง 10"
        if m["lao"]:
            mentions.append(_Mention("tambon", m.start(), m.end(), rest, via="lao"))
        elif m["tambon"]:
            via = "bangkok" if m["khwaeng"] else ""
            mentions.append(_Mention("tambon", m.start(), m.end(), rest, via=via))
        elif m["district"]:
            via = "bangkok" if m["khet"] else ""
            mentions.append(_Mention("district", m.start(), m.end(), rest, via=via))
        elif m["province"]:
            mentions.append(_Mention("province", m.start(), m.end(), rest))
    return mentions, codes


def _group(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Splits mentions into addresses: a mention finer than the previous one starts a new one."""
    groups: list[list[_Mention]] = []
    previous: _Mention | None = None
    for m in mentions:
        if previous is None or _LEVEL_ORDER[m.level] < _LEVEL_ORDER[previous.level]:
            groups.append([])
        groups[-1].append(m)
        previous = m
    return groups


_VILLAGE_NAME_BEFORE = re.compile(r"(?<!หมู่)บ้าน([ก-๙]+)\s*$")
_VILLAGE_NAME_AFTER = re.compile(r"\s*บ้าน([ก-๙]+)")
_VILLAGE_NAME_END = re.compile(r"ตำบล|อำเภอ|จังหวัด|หมู่|เทศบาล|องค์การ|อบต|[ตอจม]\.")
_NOT_VILLAGE_NAMES = ("นาย", "นาง", "พัก", "เลขที่")  # "บ้านนายคำตั๋น" is a person's house


def _village_name(text: str, m: _Mention) -> str:
    """The บ้าน… name written right after or right before a village number."""
    for match in (
        _VILLAGE_NAME_AFTER.match(text, m.end),
        _VILLAGE_NAME_BEFORE.search(text[max(0, m.start - _NAME_WINDOW) : m.start]),
    ):
        if match and not _VILLAGE_NAME_END.match(match[1]):
            name = _VILLAGE_NAME_END.split(match[1], maxsplit=1)[0]
            if not name.startswith(_NOT_VILLAGE_NAMES):
                return "บ้าน" + name
    return ""


# --------------------------------------------------------------------------- name indexes


@dataclass(frozen=True)
class _Found:
    name: str
    codes: tuple[str, ...]
    how: Literal["exact", "fuzzy", "run-on"]

    def penalty(self, written: str) -> tuple[str, str] | None:
        """(reason, note) when the name was not matched exactly."""
        if self.how == "fuzzy":
            return "fuzzy", f"typo {written}→{self.name}"
        if self.how == "run-on":
            return "run-on", f"name runs on: {written}→{self.name}"
        return None


def _name_keys(name: str) -> set[str]:
    """Keys a name is found under: as written, without spaces, each part of "ปอภาร (ปอพาน)"."""
    keys = {name, name.replace(" ", "")}
    keys.update(part.strip() for part in re.split(r"[()]", name) if part.strip())
    return keys


class _NameIndex:
    """Names of one level within one scope (a district, a province, the country) → codes."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        grouped: dict[str, list[str]] = {}
        for name, code in entries:
            for key in _name_keys(name):
                if code not in grouped.setdefault(key, []):
                    grouped[key].append(code)
        self.codes = {k: tuple(sorted(v)) for k, v in grouped.items()}
        self.longest = max((len(k) for k in self.codes), default=0)
        self.skeletons: dict[str, str] = {}
        for key in self.codes:
            self.skeletons.setdefault(_skeleton(key), key)
        self.choices = tuple(self.skeletons)

    def exact(self, rest: str) -> tuple[_Found | None, _Found | None]:
        """Longest name ``rest`` starts with: (one ending at a word boundary, one running on)."""
        run_on = None
        for length in range(min(self.longest, len(rest)), 1, -1):
            codes = self.codes.get(rest[:length])
            if codes is None:
                continue
            if length == len(rest) or _NAME_END.match(rest, length):
                return _Found(rest[:length], codes, "exact"), run_on
            if run_on is None and length >= MIN_RUN_ON_LENGTH:
                run_on = _Found(rest[:length], codes, "run-on")
        return None, run_on

    def fuzzy(self, token: str) -> _Found | None:
        """The closest name in scope by rapidfuzz ratio, if close enough to be a typo."""
        if len(token) < MIN_FUZZY_LENGTH or not self.choices:
            return None
        best = process.extractOne(_skeleton(token), self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        name = self.skeletons[best[0]]
        return _Found(name, self.codes[name], "fuzzy")


Scope = Literal["district", "province", "country", "abolished", "file"]
_FUZZY_SCOPES = ("district", "province")


def _lookup(
    scopes: list[tuple[_NameIndex | None, Scope]], rest: str, *, exact_only: bool = False
) -> tuple[_Found, Scope] | None:
    """Searches the scopes in order: exact names in all scopes first, then typos (only in the
    district or province: the country is too big to guess in), then names that run on.

    Exact-everywhere-first keeps a typo match in a small scope from beating the exact name one
    scope wider (a tambon written with the wrong district).
    """
    run_ons: list[tuple[_Found, Scope]] = []
    for index, scope in scopes:
        if index is None:
            continue
        found, run_on = index.exact(rest)
        if found:
            return found, scope
        if run_on:
            run_ons.append((run_on, scope))
    if exact_only:
        return None
    token = _name_token(rest)
    for index, scope in scopes:
        if index is not None and scope in _FUZZY_SCOPES and (found := index.fuzzy(token)):
            return found, scope
    return run_ons[0] if run_ons else None


def _index_by(areas: Iterable[Abolished], key: Callable[[Abolished], str]) -> dict[str, _NameIndex]:
    """Abolished areas grouped by a parent code, as name indexes."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for a in areas:
        grouped.setdefault(key(a), []).append((a.name_th, a.code))
    return {k: _NameIndex(v) for k, v in grouped.items()}


def _district_entries(pcode: str, districts: Iterable[District]) -> Iterator[tuple[str, str]]:
    """District names as written in text: "เขตบางนา" and "บางนา"; "เมือง" → the capital XX01."""
    for d in districts:
        yield d.name_th, d.code
        if d.name_th.startswith("เขต"):
            yield d.name_th[3:], d.code
    if pcode != BANGKOK:
        yield "เมือง", f"{pcode}01"


def _common_prefix(codes: list[str]) -> str:
    prefix = codes[0]
    for c in codes[1:]:
        while not c.startswith(prefix):
            prefix = prefix[:-2]
    return prefix


# --------------------------------------------------------------------------- the locator


@dataclass(frozen=True)
class _Context:
    """Province and district an address is read in; ``district_written``: by the address
    itself, not borrowed from another address or the file."""

    province: _Area | None = None
    district: _Area | None = None
    district_written: bool = False
    file_province: _Area | None = None  # the file's, searched last when it differs


@dataclass
class _Address:
    """What one address resolved to."""

    areas: list[_Area]
    notes: list[str]
    village_name: str = ""
    weak: bool = False  # only the address's province/district: its finer names did not resolve


class Locator:
    """Finds the DOPA area a Thai text names. Build once (indexes geothai), call many times.

    Results are cached per (text, province, district) in an LRU owned by the instance: the
    Budget Bill repeats descriptions across years and volumes.
    """

    def __init__(self, *, cache_size: int = 200_000) -> None:
        provinces = geothai.provinces()
        districts = {p.code: geothai.districts(p.code) for p in provinces}
        tambons = [t for ds in districts.values() for d in ds for t in geothai.subdistricts(d.code)]
        self._current = {p.code for p in provinces}
        self._current.update(d.code for ds in districts.values() for d in ds)
        self._current.update(t.code for t in tambons)

        aliases = [("กทม", BANGKOK), ("กรุงเทพ", BANGKOK), ("อยุธยา", "14")]
        self._provinces = _NameIndex([(p.name_th, p.code) for p in provinces] + aliases)
        self._districts = {p: _NameIndex(_district_entries(p, ds)) for p, ds in districts.items()}
        self._districts_all = _NameIndex(
            entry for p, ds in districts.items() for entry in _district_entries(p, ds) if entry[0] != "เมือง"
        )
        by_district: dict[str, list[tuple[str, str]]] = {}
        by_province: dict[str, list[tuple[str, str]]] = {}
        for t in tambons:
            by_district.setdefault(t.district_code, []).append((t.name_th, t.code))
            by_province.setdefault(t.province_code, []).append((t.name_th, t.code))
        self._tambons = {k: _NameIndex(v) for k, v in by_district.items()}
        self._tambons_in_province = {k: _NameIndex(v) for k, v in by_province.items()}
        self._tambons_all = _NameIndex((t.name_th, t.code) for t in tambons)

        self._abolished = {a.code: a for a in abolished_areas()}
        old_tambons = [a for a in self._abolished.values() if a.level == "subdistrict"]
        old_districts = [a for a in self._abolished.values() if a.level == "district"]
        self._old_tambons = _index_by(old_tambons, lambda a: a.code[:4])
        self._old_tambons_in_province = _index_by(old_tambons, lambda a: a.code[:2])
        self._old_districts = _index_by(old_districts, lambda a: a.code[:2])
        # Every Bangkok name: "แขวง"/"เขต" count as places only when one of these follows.
        self._bangkok_names = _NameIndex(
            [
                *((d.name_th[3:], d.code) for d in districts[BANGKOK]),
                *((t.name_th, t.code) for t in tambons if t.province_code == BANGKOK),
                *((a.name_th, a.code) for a in self._abolished.values() if a.code[:2] == BANGKOK),
            ]
        )

        self._hints: dict[tuple[str, str], tuple[_Context, tuple[str, ...]]] = {}
        self._locate_cached = functools.lru_cache(maxsize=cache_size)(self._locate)

    # ------------------------------------------------------------------ public API

    def locate(self, text: str | None, *, province: str | None = None, district: str | None = None) -> Location:
        """Location named by ``text``, read in the context of the file's province/district.

        ``province`` and ``district`` are Thai names as in a file's columns ("เชียงใหม่",
        "จ.เชียงใหม่", "จังหวัดเชียงใหม่", "อำเภอแม่ริม"); they are used where the text does not
        say. Never raises for odd text: what cannot be resolved gives precision "none" or the
        file's area, with a note.
        """
        return self._locate_cached(text or "", province or "", district or "")

    def locate_best(
        self,
        texts: Iterable[str | None],
        *,
        province: str | None = None,
        district: str | None = None,
    ) -> Location:
        """The most precise location among several texts of one record (first wins ties).

        A Budget Bill line names its place in ITEM_DESCRIPTION, sometimes only in a category
        or the project title: pass them most specific first.
        """
        best: Location | None = None
        for text in texts:
            found = self.locate(text, province=province, district=district)
            if best is None or _RANK[found.precision] > _RANK[best.precision]:
                best = found
        return best or self.locate(None, province=province, district=district)

    # ------------------------------------------------------------------ pipeline

    def _locate(self, raw_text: str, province: str, district: str) -> Location:
        text, typo_notes = _prepare(raw_text)
        hint, hint_notes = self._hint(province, district)
        mentions, codes = _scan(text)
        if whole := _WHOLE_CODE.fullmatch(text):
            codes = [whole[1]]
        coded = [a for a in map(self._from_code, codes) if a is not None]
        if coded:
            return self._result(coded, hint, [*hint_notes], "")
        mentions = [m for m in mentions if m.via != "bangkok" or self._is_bangkok_name(m)]
        if any(m.level == "tambon" and m.via != "lao" for m in mentions):
            # LAO names (อบต.X) count only when the text writes no ตำบล: in "หมู่ 1 ตำบลบ้านกลาง
            # อบต.เวียงท่ากาน" the village is in บ้านกลาง, served by the LAO of another tambon.
            mentions = [m for m in mentions if m.via != "lao"]
        groups = _group(mentions)
        areas: list[_Area] = []
        weak: list[_Area] = []  # after the areas resolved by name, whatever the text order
        notes: list[str] = list(hint_notes)
        village_name = ""
        for group, context in zip(groups, self._contexts(groups, hint), strict=True):
            address = self._address(group, context, text)
            (weak if address.weak else areas).extend(address.areas)
            notes.extend(address.notes)
            village_name = village_name or address.village_name
        areas += weak
        for note in typo_notes:
            areas = [a.penalised("keyword typo", note) for a in areas]
        return self._result(areas, hint, notes, village_name)

    def _result(self, areas: list[_Area], hint: _Context, notes: list[str], village_name: str) -> Location:
        """Drops duplicates and areas containing another; the first left is ``code``."""
        unique = {a.code: a for a in reversed(areas)}  # first occurrence wins
        codes = list(dict.fromkeys(a.code for a in areas))
        finest = [c for c in codes if not any(o != c and o.startswith(c) for o in codes)]
        # An area named again in more detail later takes the place of the first mention.
        ordered = (next(f for f in finest if f.startswith(c)) for c in codes)
        kept = [unique[c] for c in dict.fromkeys(ordered)]
        if not kept:
            fallback = hint.district or hint.province
            if fallback is None:
                return Location(None, "none", 0.0, "; ".join(dict.fromkeys(notes)))
            kept = [fallback]
            notes = [*notes, "no place named below the file's area"]
        first = kept[0]
        all_notes = [*first.notes, *notes]
        if hint.province and not first.code.startswith(hint.province.code):
            all_notes.append(f"outside the file's province {hint.province.code}")
        return Location(
            code=first.code,
            precision=LEVEL_BY_LENGTH[len(first.code)],  # type: ignore[arg-type]
            confidence=round(first.confidence, 3),
            note="; ".join(dict.fromkeys(all_notes)),
            others=tuple(a.code for a in kept[1:]),
            village_name=village_name if len(first.code) == 8 else "",
        )

    # ------------------------------------------------------------------ context

    def _hint(self, province: str, district: str) -> tuple[_Context, tuple[str, ...]]:
        """Context from the file's columns (names, perhaps with จ./จังหวัด/อ. prefixes)."""
        key = (province, district)
        if key not in self._hints:
            self._hints[key] = self._resolve_hint(province, district)
        return self._hints[key]

    def _resolve_hint(self, province: str, district: str) -> tuple[_Context, tuple[str, ...]]:
        notes = []
        p_area = d_area = None
        p_text = re.sub(r"^(?:จังหวัด|จ\.)\s*", "", _prepare(province)[0])
        if p_text:
            p_area = self._resolve_province(p_text)
            if p_area is None:
                notes.append(f"unknown file province {p_text}")
        d_text = re.sub(r"^(?:อำเภอ|อ\.|เขต)\s*", "", _prepare(district)[0])
        if d_text:
            d_area = self._resolve_district(d_text, p_area)
            if d_area is None:
                notes.append(f"unknown file district {d_text}")
            elif p_area is None:
                p_area = d_area.moved(d_area.code[:2])
        return _Context(p_area, d_area), tuple(notes)

    def _contexts(self, groups: list[list[_Mention]], hint: _Context) -> list[_Context]:
        """Province and district of each address: its own, else the next address's, else the
        previous one's, else the file's (Thai writes a shared district once, at the end)."""
        provinces = [self._written_province(g, hint) for g in groups]
        provinces = [
            p or next((q for q in _neighbours(provinces, i) if q), hint.province) for i, p in enumerate(provinces)
        ]
        districts = [self._written_district(g, p) for g, p in zip(groups, provinces, strict=True)]
        contexts = []
        for i, (province, district) in enumerate(zip(provinces, districts, strict=True)):
            if district is not None and (province is None or province.code != district.code[:2]):
                province = district.moved(district.code[:2])  # district named, province not
            borrowed = district
            if borrowed is None and province is not None:
                candidates = [*_neighbours(districts, i), hint.district]
                borrowed = next((d for d in candidates if d and d.code[:2] == province.code), None)
            file_province = hint.province
            if file_province is not None and province is not None:
                file_province = None if file_province.code == province.code else file_province
            contexts.append(_Context(province, borrowed, district is not None, file_province))
        return contexts

    def _written_province(self, group: list[_Mention], hint: _Context) -> _Area | None:
        """The first province an address writes. กทม/กรุงเทพ say Bangkok; แขวง/เขต say so only
        when the file has no other province ("รอยต่อเขตหนองบอน" in มหาสารคาม is a boundary)."""
        for m in group:
            if m.level == "province" and m.via != "bangkok":
                if (area := self._resolve_province(m.rest)) is not None:
                    return area
        outside = hint.province is not None and hint.province.code != BANGKOK
        if any(m.via == "bangkok" and (m.level == "province" or not outside) for m in group):
            return _Area(BANGKOK)
        return None

    def _written_district(self, group: list[_Mention], province: _Area | None) -> _Area | None:
        """The first district an address writes that resolves in its province."""
        for m in group:
            if m.level != "district":
                continue
            if m.via == "bangkok":
                if province is not None and province.code != BANGKOK:
                    continue  # "เขต" outside Bangkok is a zone, not a district
                province = province or _Area(BANGKOK)
            if (area := self._resolve_district(m.rest, province)) is not None:
                return area
        return None

    def _is_bangkok_name(self, m: _Mention) -> bool:
        if m.level == "province":
            return True
        exact, run_on = self._bangkok_names.exact(m.rest)
        return bool(exact or run_on or self._bangkok_names.fuzzy(m.name))

    # ------------------------------------------------------------------ single names

    def _resolve_province(self, rest: str) -> _Area | None:
        found = _lookup([(self._provinces, "province")], rest)
        if found is None:
            return None
        area = _Area(found[0].codes[0])
        penalty = found[0].penalty(_name_token(rest))
        return area.penalised(*penalty) if penalty else area

    def _resolve_district(self, rest: str, province: _Area | None) -> _Area | None:
        scopes: list[tuple[_NameIndex | None, Scope]]
        if province is not None:
            scopes = [
                (self._districts.get(province.code), "province"),
                (self._old_districts.get(province.code), "abolished"),
            ]
        else:
            scopes = [(self._districts_all, "country")]
        result = _lookup(scopes, rest)
        if result is None or len(result[0].codes) > 1:
            return None
        found, scope = result
        area = (province or _Area("")).moved(found.codes[0])
        if penalty := found.penalty(_name_token(rest)):
            area = area.penalised(*penalty)
        if scope == "abolished":
            return self._successor(area)
        if scope == "country":
            area = area.penalised("province inferred", f"province inferred from {found.name}")
        return area

    def _resolve_tambon(self, m: _Mention, context: _Context) -> tuple[_Area | None, str]:
        """The tambon a mention names in its address context, or None and why."""
        province, district = context.province, context.district
        if m.via == "bangkok" and province is not None and province.code != BANGKOK:
            return None, ""  # "แขวง" outside Bangkok: a highway office, a court district
        scopes: list[tuple[_NameIndex | None, Scope]] = []
        if district is not None:
            scopes += [
                (self._tambons.get(district.code), "district"),
                (self._old_tambons.get(district.code), "abolished"),
            ]
        if province is not None:
            scopes += [
                (self._tambons_in_province.get(province.code), "province"),
                (self._old_tambons_in_province.get(province.code), "abolished"),
            ]
        else:
            scopes += [(self._tambons_all, "country")]
        if context.file_province is not None:
            scopes += [(self._tambons_in_province.get(context.file_province.code), "file")]
        if m.via == "lao" and province is not None and not _lookup(scopes, m.rest, exact_only=True):
            if (district_of_lao := self._lao_district(m, province)) is not None:
                return district_of_lao, ""
        result = _lookup(scopes, m.rest)
        if result is None:
            return None, f"unknown tambon {m.name}"
        found, scope = result
        if len(found.codes) > 1:
            return None, f"ambiguous tambon {found.name}: {', '.join(found.codes)}"
        base = context.file_province if scope == "file" else district or province
        area = (base or _Area("")).moved(found.codes[0])
        if penalty := found.penalty(m.name):
            area = area.penalised(*penalty)
        if m.via == "lao":
            area = area.penalised("lao name", f"tambon from LAO name {found.name}")
        if scope == "abolished":
            return self._successor(area), ""
        if scope == "province" and district is not None and context.district_written:
            note = f"tambon {found.name} is in {area.code[:4]}, not {district.code}"
            area = area.penalised("district contradicted", note)
        elif scope == "province":
            area = area.penalised("district inferred", f"district inferred from {found.name}")
        elif scope == "country":
            area = area.penalised("province inferred", f"province inferred from {found.name}")
        elif scope == "file":
            area = area.penalised("file province", f"{found.name} found in the file's province")
        return area, ""

    def _lao_district(self, m: _Mention, province: _Area) -> _Area | None:
        """Many municipalities carry their district's name, not their tambon's: เทศบาลตำบลจะนะ
        is in tambon บ้านนา of อำเภอจะนะ, เทศบาลตำบลเมืองขุขันธ์ in อำเภอขุขันธ์. An LAO name
        that is no tambon exactly may name the district (exact names only)."""
        scopes: list[tuple[_NameIndex | None, Scope]] = [(self._districts.get(province.code), "province")]
        rest = m.rest[len("เมือง") :] if m.rest.startswith("เมือง") else m.rest
        result = _lookup(scopes, m.rest, exact_only=True) or _lookup(scopes, rest, exact_only=True)
        if result is None or len(result[0].codes) > 1:
            return None
        area = province.moved(result[0].codes[0])
        return area.penalised("lao name", f"district from LAO name {m.name}")

    # ------------------------------------------------------------------ addresses

    def _address(self, group: list[_Mention], context: _Context, text: str) -> _Address:
        """Areas one address names: villages, else tambons, else districts, else the province.

        Villages belong to the next tambon written after them, else the one before.
        """
        result = _Address([], [])
        tambons: list[tuple[int, _Area]] = []
        for i, m in enumerate(group):
            if m.level == "tambon":
                area, note = self._resolve_tambon(m, context)
                if area is not None:
                    tambons.append((i, area))
                elif note:
                    result.notes.append(note)
        with_villages: set[str] = set()
        for i, m in enumerate(group):
            if m.level != "village":
                continue
            after = [a for j, a in tambons if j > i]
            before = [a for j, a in tambons if j < i]
            tambon = (after or before[-1:] or [None])[0]
            if tambon is None or len(tambon.code) != 6:
                numbers = ",".join(map(str, m.numbers))
                result.notes.append(f"หมู่ที่ {numbers} without a known tambon")
                continue
            with_villages.add(tambon.code)
            result.village_name = result.village_name or _village_name(text, m)
            result.areas.extend(tambon.moved(f"{tambon.code}{n:02d}") for n in m.numbers)
        result.areas.extend(a for _, a in tambons if a.code not in with_villages)
        if not result.areas and context.district_written:
            result.areas.extend(self._written_districts(group, context))
        if not result.areas and context.province and (result.notes or any(m.level == "province" for m in group)):
            # The address writes only a province, or its finer names did not resolve
            # (ambiguous or unknown): it is about its district or province.
            result.areas.append(context.district or context.province)
            result.weak = True
        return result

    def _written_districts(self, group: list[_Mention], context: _Context) -> list[_Area]:
        """Every district an address names ("อำเภอA และอำเภอB"), in order."""
        found = (self._resolve_district(m.rest, context.province) for m in group if m.level == "district")
        areas = [a for a in found if a is not None]
        return areas or ([context.district] if context.district else [])

    # ------------------------------------------------------------------ codes

    def _from_code(self, code: str) -> _Area | None:
        """An explicit DOPA code: current as is, abolished → successor, unknown → None."""
        village = code[6:] if len(code) == 8 else ""
        code = code[:6] if village else code
        if village == "00":
            return None
        if code in self._current:
            return _Area(code + village)
        if code not in self._abolished:
            return None
        area = self._successor(_Area(code))
        if area is not None and village and len(area.code) == 6:
            area = area.moved(area.code + village)
        return area

    def _successor(self, area: _Area) -> _Area | None:
        """An abolished area's successor. A split, or an abolition without successor, gives the
        nearest current parent: the item is in one of the parts, but we cannot say which."""
        old = area.code
        codes = [old]
        for _ in range(5):  # successors can themselves have been abolished
            nxt: list[str] = []
            for c in codes:
                a = self._abolished.get(c)
                nxt.extend(a.successors if a else (c,))
            if nxt == codes:
                break
            codes = nxt
        current = [c for c in dict.fromkeys(codes) if c in self._current]
        prefix = current[0] if len(current) == 1 else _common_prefix(current or [old[:-2]])
        new = next((prefix[:n] for n in (6, 4, 2) if prefix[:n] in self._current), None)
        if new is None:
            return None
        return area.moved(new).penalised("abolished", f"abolished {old}→{new}")


_T = TypeVar("_T")


def _neighbours(items: list[_T], i: int) -> list[_T]:
    """Items after ``i`` (nearest first), then items before it (nearest first)."""
    return [*items[i + 1 :], *reversed(items[:i])]
