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
   number, so it needs a known tambon (and, with a village list, must be in it).

Several places: each address yields its villages (else its tambons, else the districts it
writes, else the province it writes); areas that contain another named area are dropped (the
province of a PAO name next to a village) and a place named again in more detail keeps its
first position; the first remaining area is ``code`` and the rest, in text order, are
``others`` — each at its own precision (the code length tells the level). A tambon name that
is ambiguous or unknown in its context is not guessed: the address falls back to its district
or province, placed after the areas resolved by name, and the note says why. Districts listed
after one prefix ("อำเภอเมือง - บ้านไผ่ - ชนบท", "อ.ก, ข และ ค") are each an area (exact names
in the province); "(สาม/3) จังหวัดชายแดนภาคใต้" and "จชต." are ปัตตานี, ยะลา, นราธิวาส ("4 …"
adds สงขลา, "5 …" สงขลา and สตูล), unless the address names something finer.

Far ends: in "หมู่ที่ 3 ตำบลA ถึงตำบลB", "สายบ้านก - บ้านข", "จากหมู่ 3 ไปยังตำบลY" the place
after the connector (ถึง, ไป/ไปยัง/ไปสู่/สู่, เชื่อม/เชื่อมต่อ, ต่อเขต, a dash after สาย/ระหว่าง)
is where the road ends, not where the item is: it stays in ``others`` and is listed in
``Location.ends``, a village number before the connector does not belong to a tambon after it,
and ``code`` is never a far end (see :func:`_mark_ends`).

With a village list (``Locator(villages=VillageIndex…)``) a village must exist in the list:
"บ้านX" + tambon resolves to the village of that name, the หมู่ที่ number is checked against
the name written next to it, and a number the list does not have gives the tambon (see
:class:`Locator`). Without one, a village is the tambon code + the number, as written.

Confidence multiplies the factors in ``PENALTY`` (1.0 = every name matched exactly in an
explicit context); ``note`` says why it is lower.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, TypeVar

import geothai
from geothai.abolished import abolished_areas
from geothai.types import Abolished, District

from etl.normalize import clean_text, thai_digits_to_arabic
from etl.thai_names import (
    Found,
    NameIndex,
    name_token,
)
from geodata.areas import LEVEL_BY_LENGTH

if TYPE_CHECKING:
    from etl.village_index import VillageIndex

__all__ = ["PENALTY", "Location", "Locator", "Precision"]

Precision = Literal["village", "tambon", "district", "province", "none"]
_RANK: dict[str, int] = {"none": 0, "province": 1, "district": 2, "tambon": 3, "village": 4}
BANGKOK = "10"


@dataclass(frozen=True)
class Location:
    """Where a text says an item is.

    ``code`` is a DOPA code: 2 province / 4 district / 6 tambon / 8 village (= tambon code +
    two-digit หมู่ที่). ``others`` are further areas the text names (see module docstring).
    ``village_name`` is the ``บ้าน…`` name written next to the village (as written; with a
    village index it is checked against the list, see :class:`Locator`).
    ``ends``: the areas of ``others`` that the text names as the far end of a road, pipe or
    canal ("ถึง/ไปยัง/เชื่อมต่อ ตำบลY", "สายบ้านก - บ้านข"): the item reaches them, it is not
    located there. ``code`` is never an end; when the text names nothing but far ends, ``code``
    is the area around them (the address's district, else the file's area), else None.
    """

    code: str | None
    precision: Precision
    confidence: float
    note: str = ""
    others: tuple[str, ...] = ()
    village_name: str = ""
    ends: tuple[str, ...] = ()


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
    # with a village index (Locator(villages=...)):
    "village by name": 0.95,  # "บ้านX" + tambon, no หมู่ที่ written: the name picks the village
    "village renamed": 0.95,  # "บ้านX" is the village's former name
    "village disagrees": 0.7,  # หมู่ที่ n is another บ้าน in the list than the one written
}


@dataclass(frozen=True)
class _Area:
    """A resolved area, with the confidence and notes collected on the way. Immutable, because
    areas are shared between cached results and the file's context."""

    code: str
    confidence: float = 1.0
    notes: tuple[str, ...] = ()
    far: bool = False  # named as the far end of a road ("ถึงตำบลY")

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
_THAI_NAME_START = re.compile(r"[ก-ฮเ-ไ]")
_WHOLE_CODE = re.compile(r"(?:TH)?(\d{8}|\d{6}|\d{4}|\d{2})")
_NAME_WINDOW = 48  # the longest area name has 23 letters


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
    via: Literal["", "lao", "bangkok", "group"] = ""  # LAO name; Bangkok-only เขต/แขวง/กทม; province group
    far: bool = False  # the far end of a road: after "ถึง"/"ไปยัง"/"สาย A -" (see _mark_ends)
    codes: tuple[str, ...] = ()  # a named group of provinces ("จังหวัดชายแดนภาคใต้")

    @property
    def name(self) -> str:
        return name_token(self.rest)


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
        if not _THAI_NAME_START.match(name_token(rest)):
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
    return _with_groups(text, mentions), codes


# Named groups of provinces. "จังหวัดชายแดนภาคใต้" (the southern border provinces) is the three
# provinces of the deep south, ปัตตานี ยะลา นราธิวาส, as in "สามจังหวัดชายแดนภาคใต้"; the four
# districts of สงขลา that the SBPAC also serves (จะนะ เทพา นาทวี สะบ้าย้อย) are left out: a text
# about the region is not about them in particular. "4 จังหวัด…" adds สงขลา, "5 จังหวัด…" สงขลา
# and สตูล, the provinces as wholes, as those phrases mean.
_PROVINCE_GROUPS = re.compile(r"(?:(?P<n>[345]|สาม|สี่|ห้า)\s*)?(?:จังหวัด|จ\.)\s*ชายแดน\s*ภาคใต้|(?<![ก-๙])จชต\.?(?![ก-๙])")
_GROUP_CODES = {
    "": ("94", "95", "96"),
    "3": ("94", "95", "96"),
    "4": ("90", "94", "95", "96"),
    "5": ("90", "91", "94", "95", "96"),
}
_GROUP_COUNT = {"สาม": "3", "สี่": "4", "ห้า": "5"}


def _with_groups(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Replaces the province mention of a named province group by one group mention."""
    groups = []
    for g in _PROVINCE_GROUPS.finditer(text):
        n = g["n"] or ""
        codes = _GROUP_CODES[_GROUP_COUNT.get(n, n)]
        groups.append(_Mention("province", g.start(), g.end(), via="group", codes=codes))
    if not groups:
        return mentions
    kept = [m for m in mentions if not any(g.start <= m.start < g.end for g in groups)]
    return sorted([*kept, *groups], key=lambda m: m.start)


# A road, pipe or canal written with its far end: "ถึงตำบลY", "ไปยังบ้านX", "เชื่อมต่อตำบลY",
# "ต่อเขตบ้านY"; the connector counts only right before a place word ("ไปหนองหิน" is a
# direction, "ถึง STA 1+494" a chainage, "เข้าถึงหมู่บ้าน" access). A dash links the two ends
# only after "สาย"/"ระหว่าง" (a road's name) and before a place word: "สายบ้านก - บ้านข".
# "ไปหมู่บ้านนานาชาติ" is no village, "- ม.เกษตรศาสตร์" a university.
_PLACE_AHEAD = r"(?=บ้าน|ตำบล|ต\.|อำเภอ|อ\.|หมู่(?!บ้าน)|ม\.\s*\d|จังหวัด|จ\.)"
_CONNECTOR = re.compile(rf"(?:ไปยัง|ไปสู่|ไป|(?<!เข้า)ถึง|(?<!เข้า)สู่|เชื่อมต่อ|เชื่อม|ต่อเขต)\s*{_PLACE_AHEAD}")
_LINE = re.compile(r"สาย|ระหว่าง")
_DASH = re.compile(rf"[-–]\s*{_PLACE_AHEAD}")
_VILLAGE_WORD = re.compile(r"(?<!หมู่)(?<!โรงเรียน)(?<!วัด)บ้าน(?!นาย|นาง|พัก|เลขที่)[ก-๙]")
_NAME_BEFORE = re.compile(r"(?<!หมู่)บ้าน[ก-๙]*$")  # "บ้านนาเชื่อม หมู่ที่ 2": a name, no connector


def _connectors(text: str, mentions: list[_Mention]) -> list[int]:
    """Where the text turns to a far end (positions of connectors outside the mentions)."""
    found = [
        c.start()
        for c in _CONNECTOR.finditer(text)
        if not (c.group().startswith("เชื่อม") and _NAME_BEFORE.search(text, max(0, c.start() - 30), c.start()))
    ]
    if line := _LINE.search(text):
        found += [c.start() for c in _DASH.finditer(text, line.end())]
    return sorted(p for p in found if not any(m.start <= p < m.end for m in mentions))


def _mark_ends(
    text: str, mentions: list[_Mention], connectors: list[int], known: Callable[[_Mention], bool]
) -> list[_Mention]:
    """Marks the mentions naming a far end. After each connector: the first place, when nothing
    else is written before it, then the places of the same address (each coarser than the one
    before) at a level the near end wrote too: in "หมู่ที่ 3 ตำบลA ถึงหมู่ที่ 5 ตำบลB" หมู่ที่ 5 and
    B; in "สายบ้านก - บ้านข ตำบลX" X is both ends' tambon, written once. A finer place after
    the far end starts the item's own address again ("… เชื่อมตำบลB) หมู่ที่ 9 ตำบลA"). When
    nothing before the first connector is a place (a village number, a ตำบล…, a บ้าน name),
    nothing is a far end."""
    if not connectors:
        return mentions
    far: set[int] = set()
    groups = _group(mentions)
    for i, p in enumerate(connectors):
        # The near end: the address written right before the connector.
        near_group = next((g for g in reversed(groups) if g[0].start < p), [])
        # "สี่แยก อบต.X" is a landmark, "เชื่อมต่อระหว่างตำบล สายบ้าน…" no tambon.
        near = {m.level for m in near_group if m.start < p and m.via != "lao" and known(m)}
        if i == 0 and not near and not _VILLAGE_WORD.search(text, 0, p):
            # The near end is no place ("ถนนซอยหลังโรงเรียน เชื่อม หมู่ที่ 2 ตำบลA", "สายสหกรณ์ -
            # อบต.X เชื่อมต่อหมู่ที่ 8 ตำบลB"): the place written is the item's, as before.
            return mentions
        stop = connectors[i + 1] if i + 1 < len(connectors) else len(text) + 1
        previous: _Mention | None = None
        for m in mentions:
            if m.start < p or m.start >= stop:
                continue
            if previous is not None and _LEVEL_ORDER[m.level] < _LEVEL_ORDER[previous.level]:
                break
            first = previous is None and not _VILLAGE_WORD.search(text, p, m.start)
            if first or m.level in near:
                far.add(m.start)
            previous = m
    return [replace(m, far=True) if m.start in far else m for m in mentions]


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
    names = _village_names(text, m)
    return names[0][0] if names else ""


def _village_names(text: str, m: _Mention) -> list[tuple[str, int]]:
    """The บ้าน… names written right after, then right before a village number, with where the
    name starts (after บ้าน)."""
    names = []
    window = max(0, m.start - _NAME_WINDOW)
    for match in (
        _VILLAGE_NAME_AFTER.match(text, m.end),
        _VILLAGE_NAME_BEFORE.search(text[window : m.start]),
    ):
        if match and not _VILLAGE_NAME_END.match(match[1]):
            name = _VILLAGE_NAME_END.split(match[1], maxsplit=1)[0]
            if not name.startswith(_NOT_VILLAGE_NAMES):
                start = match.start(1) + (window if match.re is _VILLAGE_NAME_BEFORE else 0)
                names.append(("บ้าน" + name, start))
    return names


_LIST_SEPARATOR = re.compile(r"\s*(?:,|-|–|/|และ)\s*(?:อำเภอ|อ\.)?\s*")
_VILLAGE_NAMED = re.compile(
    r"(?<!หมู่)(?<!ตำบล)(?<!อำเภอ)(?<!จังหวัด)(?<![ตอจ]\.)(?<!อบต\.)(?<!เทศบาลตำบล)บ้าน\s?(?=[ก-ฮเ-ไ])"
)


# --------------------------------------------------------------------------- name indexes


Scope = Literal["district", "province", "country", "abolished", "file"]
_FUZZY_SCOPES = ("district", "province")


def _lookup(
    scopes: list[tuple[NameIndex | None, Scope]], rest: str, *, exact_only: bool = False
) -> tuple[Found, Scope] | None:
    """Searches the scopes in order: exact names in all scopes first, then typos (only in the
    district or province: the country is too big to guess in), then names that run on.

    Exact-everywhere-first keeps a typo match in a small scope from beating the exact name one
    scope wider (a tambon written with the wrong district).
    """
    run_ons: list[tuple[Found, Scope]] = []
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
    token = name_token(rest)
    for index, scope in scopes:
        if index is not None and scope in _FUZZY_SCOPES and (found := index.fuzzy(token)):
            return found, scope
    return run_ons[0] if run_ons else None


def _index_by(areas: Iterable[Abolished], key: Callable[[Abolished], str]) -> dict[str, NameIndex]:
    """Abolished areas grouped by a parent code, as name indexes."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for a in areas:
        grouped.setdefault(key(a), []).append((a.name_th, a.code))
    return {k: NameIndex(v) for k, v in grouped.items()}


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
    around: _Area | None = None  # its district or province, when it names only far ends


class Locator:
    """Finds the DOPA area a Thai text names. Build once (indexes geothai), call many times.

    Results are cached per (text, province, district) in an LRU owned by the instance: the
    Budget Bill repeats descriptions across years and volumes.

    ``villages``: the national village list (:class:`etl.village_index.VillageIndex`). Without
    it a village is the tambon code + the หมู่ที่ number, whatever the number. With it:

    * ``บ้านX`` + a known tambon, no หมู่ที่ written: the village of that name in the tambon,
      when exactly one matches (exactly, or with the tambon names' typo tolerance; a former
      name gives the renamed village's code); "village by name" lowers the confidence a little.
    * ``หมู่ที่ n บ้านX`` where the list's หมู่ที่ n is another village: the number is kept (the
      number is what the address system uses, names are often the hamlet's or misspelt),
      the note says which village the list has, "village disagrees" lowers the confidence.
      When the list has no หมู่ที่ n but บ้านX is a village there, that village is taken.
    * a หมู่ที่ n the list does not have in the tambon (or only as abolished): the tambon, with
      a note, instead of inventing a village.
    """

    def __init__(self, villages: VillageIndex | None = None, *, cache_size: int = 200_000) -> None:
        self._villages = villages
        provinces = geothai.provinces()
        districts = {p.code: geothai.districts(p.code) for p in provinces}
        tambons = [t for ds in districts.values() for d in ds for t in geothai.subdistricts(d.code)]
        self._current = {p.code for p in provinces}
        self._current.update(d.code for ds in districts.values() for d in ds)
        self._current.update(t.code for t in tambons)

        aliases = [("กทม", BANGKOK), ("กรุงเทพ", BANGKOK), ("อยุธยา", "14")]
        self._provinces = NameIndex([(p.name_th, p.code) for p in provinces] + aliases)
        self._districts = {p: NameIndex(_district_entries(p, ds)) for p, ds in districts.items()}
        self._districts_all = NameIndex(
            entry for p, ds in districts.items() for entry in _district_entries(p, ds) if entry[0] != "เมือง"
        )
        by_district: dict[str, list[tuple[str, str]]] = {}
        by_province: dict[str, list[tuple[str, str]]] = {}
        for t in tambons:
            by_district.setdefault(t.district_code, []).append((t.name_th, t.code))
            by_province.setdefault(t.province_code, []).append((t.name_th, t.code))
        self._tambons = {k: NameIndex(v) for k, v in by_district.items()}
        self._tambons_in_province = {k: NameIndex(v) for k, v in by_province.items()}
        self._tambons_all = NameIndex((t.name_th, t.code) for t in tambons)

        self._abolished = {a.code: a for a in abolished_areas()}
        old_tambons = [a for a in self._abolished.values() if a.level == "subdistrict"]
        old_districts = [a for a in self._abolished.values() if a.level == "district"]
        self._old_tambons = _index_by(old_tambons, lambda a: a.code[:4])
        self._old_tambons_in_province = _index_by(old_tambons, lambda a: a.code[:2])
        self._old_districts = _index_by(old_districts, lambda a: a.code[:2])
        # Every Bangkok name: "แขวง"/"เขต" count as places only when one of these follows.
        self._bangkok_names = NameIndex(
            [
                *((d.name_th[3:], d.code) for d in districts[BANGKOK]),
                *((t.name_th, t.code) for t in tambons if t.province_code == BANGKOK),
                *((a.name_th, a.code) for a in self._abolished.values() if a.code[:2] == BANGKOK),
            ]
        )

        self._hints: dict[tuple[str, str], tuple[_Context, tuple[str, ...]]] = {}
        self._cache_size = cache_size
        self._locate_cached = functools.lru_cache(maxsize=cache_size)(self._locate)

    def with_villages(self, villages: VillageIndex | None) -> Locator:
        """This locator with another village list: the gazetteer's indexes (the costly part) are
        shared, the answers are not (a new list can change them)."""
        other = copy.copy(self)
        other._villages = villages
        other._hints = {}
        other._locate_cached = functools.lru_cache(maxsize=self._cache_size)(other._locate)
        return other

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
        connectors = _connectors(text, mentions)
        mentions = _mark_ends(text, mentions, connectors, self._is_known_name)
        if any(m.level == "tambon" and m.via != "lao" and not m.far for m in mentions):
            # LAO names (อบต.X) count only when the text writes no ตำบล (other than a far end):
            # in "หมู่ 1 ตำบลบ้านกลาง อบต.เวียงท่ากาน" the village is in บ้านกลาง, served by the
            # LAO of another tambon; in "หมู่ที่ 11 (… เชื่อมตำบลใจดี) อบต.ห้วยสำราญ" it is not.
            mentions = [m for m in mentions if m.via != "lao"]
        groups = _group(mentions)
        areas: list[_Area] = []
        weak: list[_Area] = []  # after the areas resolved by name, whatever the text order
        notes: list[str] = list(hint_notes)
        village_name = ""
        around: list[_Area] = []  # the area of an address that names only far ends
        floor = 0  # where the address starts: the end of the place written before it
        for group, context in zip(groups, self._contexts(groups, hint), strict=True):
            address = self._address(group, context, text, connectors, floor)
            floor = group[-1].end + len(group[-1].name)
            (weak if address.weak else areas).extend(address.areas)
            around.extend([address.around] if address.around else [])
            notes.extend(address.notes)
            village_name = village_name or address.village_name
        areas += weak
        for note in typo_notes:
            areas = [a.penalised("keyword typo", note) for a in areas]
        return self._result(areas, hint, notes, village_name, around)

    def _result(
        self, areas: list[_Area], hint: _Context, notes: list[str], village_name: str, around: Sequence[_Area] = ()
    ) -> Location:
        """Drops duplicates and areas containing another; the first left is ``code``."""
        unique = {a.code: a for a in reversed(areas)}  # first occurrence wins
        codes = list(dict.fromkeys(a.code for a in areas))
        # A far end does not make the area around it redundant: "จากหมู่ 3 ไปยังตำบลY" is in
        # the district around Y, and reaches Y.
        # A far end does not make the item's own area redundant: "หมู่ที่ 12 (not in the list)
        # ตำบลA - บ้านB หมู่ที่ 1" is in A and reaches A's หมู่ที่ 1.
        finest = [
            c
            for c in codes
            if not any(o != c and o.startswith(c) and (unique[c].far or not unique[o].far) for o in codes)
        ]
        # An area named again in more detail later takes the place of the first mention.
        ordered = (c if c in finest else next(f for f in finest if f.startswith(c)) for c in codes)
        kept = [unique[c] for c in dict.fromkeys(ordered)]
        ends = tuple(a.code for a in kept if a.far)
        if ends and len(ends) == len(kept):
            # Nothing but far ends: the item is near them, in the area the address around them
            # writes (a district, a province), else the file's.
            fallback = next((a for a in around if ends[0].startswith(a.code)), hint.district or hint.province)
            notes = [*notes, "only a far end named: " + ", ".join(ends)]
            if fallback is None:
                note = "; ".join(dict.fromkeys(notes))
                return Location(None, "none", 0.0, note, others=ends, ends=ends)
            kept = [fallback, *kept]
        elif ends:
            place = next(a for a in kept if not a.far)
            kept = [place, *(a for a in kept if a is not place)]
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
            ends=tuple(a.code for a in kept[1:] if a.far),
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
            if m.level == "province" and m.via not in ("bangkok", "group"):
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

    def _is_known_name(self, m: _Mention) -> bool:
        """Whether a tambon mention names some tambon (anywhere, exactly); other levels: yes."""
        if m.level != "tambon":
            return True
        exact, run_on = self._tambons_all.exact(m.rest)
        return bool(exact or run_on)

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
        penalty = found[0].penalty(name_token(rest))
        return area.penalised(*penalty) if penalty else area

    def _resolve_district(self, rest: str, province: _Area | None) -> _Area | None:
        scopes: list[tuple[NameIndex | None, Scope]]
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
        if penalty := found.penalty(name_token(rest)):
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
        scopes: list[tuple[NameIndex | None, Scope]] = []
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
        scopes: list[tuple[NameIndex | None, Scope]] = [(self._districts.get(province.code), "province")]
        rest = m.rest[len("เมือง") :] if m.rest.startswith("เมือง") else m.rest
        result = _lookup(scopes, m.rest, exact_only=True) or _lookup(scopes, rest, exact_only=True)
        if result is None or len(result[0].codes) > 1:
            return None
        area = province.moved(result[0].codes[0])
        return area.penalised("lao name", f"district from LAO name {m.name}")

    # ------------------------------------------------------------------ addresses

    def _address(
        self, group: list[_Mention], context: _Context, text: str, connectors: list[int], floor: int = 0
    ) -> _Address:
        """Areas one address names: villages, else tambons, else districts, else the province.

        Villages belong to the next tambon written after them (unless that tambon is a far end
        and the village is not), else the one before.
        """
        result = _Address([], [])
        tambons: list[tuple[int, _Area]] = []
        for i, m in enumerate(group):
            if m.level == "tambon":
                area, note = self._resolve_tambon(m, context)
                if area is not None:
                    tambons.append((i, replace(area, far=m.far)))
                elif note:
                    result.notes.append(note)
        with_villages: set[str] = set()
        for i, m in enumerate(group):
            if m.level != "village":
                continue
            after = [a for j, a in tambons if j > i and (m.far or not a.far)]
            before = [a for j, a in tambons if j < i]
            tambon = (after or before[-1:] or [None])[0]
            if tambon is None or len(tambon.code) != 6:
                numbers = ",".join(map(str, m.numbers))
                result.notes.append(f"หมู่ที่ {numbers} without a known tambon")
                continue
            result.village_name = result.village_name or _village_name(text, m)
            base = replace(tambon, far=m.far)
            if self._villages is None:
                with_villages.add(tambon.code)
                result.areas.extend(base.moved(f"{tambon.code}{n:02d}") for n in m.numbers)
                continue
            villages = self._checked_villages(base, m, text, result.notes)
            if villages:
                with_villages.add(tambon.code)
                result.areas.extend(villages)
        if self._villages is not None:
            for i, tambon in tambons:
                if tambon.code not in with_villages and len(tambon.code) == 6:
                    floor = group[i - 1].end + len(group[i - 1].name) if i else floor
                    named = self._named_villages(tambon, group[i], text, connectors, result.notes, floor)
                    if any(not a.far for a in named):
                        with_villages.add(tambon.code)
                    result.areas.extend(named)  # only far ends: the item is in the tambon
        result.areas.extend(a for _, a in tambons if a.code not in with_villages)
        groups = [m for m in group if m.via == "group"]
        if groups and not result.areas:
            if result.notes:
                # An unknown or ambiguous tambon "in the southern border provinces" is in one
                # of them, not in all: no area (their common parent is the country).
                result.notes.append("not placed in one of the provinces " + ", ".join(groups[0].codes))
            else:
                result.areas.extend(_Area(c, far=groups[0].far) for c in groups[0].codes)
            return result
        if not result.areas and context.district_written:
            result.areas.extend(self._written_districts(group, context, text))
        if not result.areas and context.province and (result.notes or any(m.level == "province" for m in group)):
            # The address writes only a province, or its finer names did not resolve
            # (ambiguous or unknown): it is about its district or province.
            result.areas.append(context.district or context.province)
            result.weak = True
        elif result.areas and all(a.far for a in result.areas):
            # Only a far end ("ถนนจากหมู่ 3 ไปยังตำบลY"): the item is around it, not in it.
            result.around = context.district or context.province
        return result

    def _checked_villages(self, tambon: _Area, m: _Mention, text: str, notes: list[str]) -> list[_Area]:
        """The villages หมู่ที่ n of ``m`` that the list has, checked against the บ้าน… name; the
        tambon itself for a number the list does not have."""
        assert self._villages is not None
        index = self._villages
        areas: list[_Area] = []
        missing = False
        for n in m.numbers:
            code = f"{tambon.code}{n:02d}"
            village = index.village(code)
            if village is not None and village.current:
                areas.append(tambon.moved(code))
            elif village is not None:
                notes.append(f"หมู่ที่ {n} of tambon {tambon.code} is abolished in the village list")
            elif not index.has_tambon(tambon.code):
                notes.append(f"tambon {tambon.code} has no villages in the village list (หมู่ที่ {n})")
            else:
                notes.append(f"no หมู่ที่ {n} in tambon {tambon.code} in the village list")
            missing = missing or village is None or not village.current
        kept = [*areas, tambon] if missing else areas  # the tambon, not an invented village
        if len(m.numbers) != 1:
            return kept
        code = f"{tambon.code}{m.numbers[0]:02d}"
        matches = [(name, index.match(tambon.code, text[start:])) for name, start in _village_names(text, m)]
        matches = [(name, found) for name, found in matches if found is not None]
        if not matches or any(code in found.codes for _, found in matches):
            return kept
        name, found = matches[0]
        if areas:
            listed = index.village(code)
            note = f"หมู่ที่ {m.numbers[0]} is {listed.name_th if listed else '?'} in the village list, not {name}"
            return [areas[0].penalised("village disagrees", note)]
        if len(found.codes) == 1:
            other = found.codes[0]
            note = f"{name} is หมู่ที่ {int(other[6:])} in the village list, not หมู่ที่ {m.numbers[0]}"
            return [tambon.moved(other).penalised("village disagrees", note)]
        return kept

    def _named_villages(
        self, tambon: _Area, m: _Mention, text: str, connectors: list[int], notes: list[str], floor: int
    ) -> list[_Area]:
        """Villages named ``บ้านX`` (no หมู่ที่) right before the tambon's mention (after
        ``floor``, the end of the place written before it), in the tambon: each name that is
        exactly one village of the list there."""
        assert self._villages is not None
        start = max(floor, m.start - 2 * _NAME_WINDOW)
        areas: list[_Area] = []
        last = -1
        for v in _VILLAGE_NAMED.finditer(text, start, m.start):
            rest = text[v.end() : m.start]
            token = name_token(rest)
            if not token or token.startswith(_NOT_VILLAGE_NAMES):
                continue
            # "สายบ้านก - บ้านข ตำบลX": a name after a connector is the far end.
            far = tambon.far if last < 0 else any(last <= p < v.start() for p in connectors)
            last = v.end()
            found = self._villages.match(tambon.code, rest)
            if found is None:
                continue
            written = "บ้าน" + token
            if len(found.codes) > 1:
                notes.append(f"ambiguous village {written} in {tambon.code}: {', '.join(found.codes)}")
                continue
            area = replace(tambon.moved(found.codes[0]), far=far or tambon.far)
            area = area.penalised("village by name", f"village by name {written}")
            if found.how == "former":
                area = area.penalised("village renamed", f"{written} is a former name of {found.codes[0]}")
            elif penalty := Found(found.name, found.codes, found.how).penalty(token):  # type: ignore[arg-type]
                area = area.penalised(*penalty)
            areas.append(area)
        return areas

    def _written_districts(self, group: list[_Mention], context: _Context, text: str) -> list[_Area]:
        """Every district an address names ("อำเภอA และอำเภอB"), in order, and the districts
        listed after one prefix: "อำเภอเมือง - บ้านไผ่ - ชนบท", "อ.ก, ข และ ค" (exact names in
        the province only)."""
        areas = []
        for m in group:
            if m.level != "district":
                continue
            area = self._resolve_district(m.rest, context.province)
            if area is None:
                continue
            areas.append(area)
            if context.province is not None:
                areas.extend(self._listed_districts(m, area, context.province))
        return areas or ([context.district] if context.district else [])

    def _listed_districts(self, m: _Mention, first: _Area, province: _Area) -> list[_Area]:
        index = self._districts.get(province.code)
        if index is None:
            return []
        rest, pos, areas = m.rest, len(m.name), []
        while sep := _LIST_SEPARATOR.match(rest, pos):
            found, _ = index.exact(rest[sep.end() :])
            if found is None or len(found.codes) != 1:
                break
            areas.append(first.moved(found.codes[0]))
            pos = sep.end() + len(found.name)
        return areas

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
