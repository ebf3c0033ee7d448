"""Column layouts of the files `planmap import` reads, and the header matcher that finds them.

Real files name the same column a dozen ways: ``วงเงินงบประมาณ (บาท)``, ``วงเงิน (บาท)``,
``budget``, ``ลำดับ⏎ที่`` with a line break typed inside the cell, ``ประเภทโครงการ*`` with a
footnote mark, ``แผนงาน3.1-3.4``. A header cell is therefore reduced to a *key* (clean text,
case-folded, Thai digits as 0-9, unit annotations such as "(บาท)" removed, everything but
letters and digits dropped) and compared with the keys of each layout's synonyms: equal keys
score 100, near misses score their rapidfuzz ratio when it reaches :data:`FUZZY_CUTOFF`.

Each field takes at most one column and each column at most one field, best score first, then
the more specific synonym (earlier in its tuple), then the leftmost column: so the side table
``งบประมาณ`` of a ThaiME sheet loses the amount to ``วงเงินงบประมาณ (บาท)``, and the layout
with the most matched fields wins. A header that is exactly some field's synonym in any
layout never fuzzy-matches another field ("ปีงบประมาณ" is no near miss of "งบประมาณ"). A small
mapping file (:func:`load_mapping`) adds or overrides header → field pairs.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from rapidfuzz import fuzz, process

from etl.normalize import clean_text, thai_digits_to_arabic

__all__ = [
    "BUDGET_FIELDS",
    "FIELDS",
    "FUZZY_CUTOFF",
    "IGNORE",
    "LAYOUTS",
    "PLAN_FIELDS",
    "REQUIRED",
    "HeaderMatch",
    "HeaderMatcher",
    "Layout",
    "MappingError",
    "amount_unit_of",
    "header_key",
    "load_mapping",
    "match_header",
]

Kind = Literal["plans", "budget"]

PLAN_FIELDS: tuple[str, ...] = (
    "title",
    "amount",
    "agency",
    "ministry",
    "province",
    "district",
    "tambon",
    "village",
    "area_code",
    "date",
    "fiscal_year",
    "sector",
    "strategy",
    "item_ref",
    "escalated_to_ref",
    "beyond_capacity",
    "plan_group",
    "project_type",
    "url",
)
BUDGET_FIELDS: tuple[str, ...] = (
    "item_id",
    "ministry",
    "budgetary_unit",
    "budget_plan",
    "output",
    "project",
    "category_lv1",
    "category_lv2",
    "category_lv3",
    "category_lv4",
    "category_lv5",
    "category_lv6",
    "item_description",
    "fiscal_year",
    "amount",
    "obliged",
    "ref_doc",
    "ref_page",
)
FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType({"plans": PLAN_FIELDS, "budget": BUDGET_FIELDS})
REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"plans": ("title", "amount"), "budget": ("item_id", "amount", "fiscal_year")}
)

# rapidfuzz ratio (0-100) a near miss needs. "ประเภทโครงการ1" scores 96 against ประเภทโครงการ and
# "ชื่อโครงการ PDF" 88 against ชื่อโครงการ, while the side-table header "ประเภท" scores 63 and
# "จำนวนโครงการ" 61, so they stay unmapped.
FUZZY_CUTOFF = 85.0
# A score for a key found only after dropping parentheses and trailing numbering
# ("แผนงานที่ (3.1 - 3.4)" → แผนงานที่) is one lower, so a literal match wins a tie.
_LOOSE_PENALTY = 1.0
# Mapping-file entries beat every synonym.
_MAPPED_SCORE = 101.0
# Map a header to this in a mapping file to keep it out of every field.
IGNORE = "ignore"


@dataclass(frozen=True)
class Layout:
    """A family of files: canonical field → header variants, most specific variant first."""

    name: str
    kind: Kind
    synonyms: Mapping[str, tuple[str, ...]]


def _layout(name: str, kind: Kind, synonyms: dict[str, tuple[str, ...]]) -> Layout:
    unknown = set(synonyms) - set(FIELDS[kind])
    assert not unknown, f"{name}: unknown fields {unknown}"
    return Layout(name, kind, MappingProxyType(synonyms))


LAYOUTS: tuple[Layout, ...] = (
    # planmap's own plan template (README): one Thai and one English header per field.
    _layout(
        "planmap-template",
        "plans",
        {
            "title": ("ชื่อโครงการ", "title", "โครงการ", "ชื่อโครงการ/กิจกรรม", "project_title"),
            "amount": ("วงเงิน", "requested_amount", "amount", "วงเงินที่ขอ", "จำนวนเงิน", "งบประมาณ"),
            "agency": ("หน่วยงาน", "agency", "หน่วยงานรับผิดชอบ", "หน่วยงานที่รับผิดชอบ"),
            "ministry": ("กระทรวง", "ministry"),
            "province": ("จังหวัด", "province"),
            "district": ("อำเภอ", "district", "อำเภอ/เขต", "เขต"),
            "tambon": ("ตำบล", "tambon", "ตำบล/แขวง", "แขวง", "subdistrict"),
            "village": ("หมู่ที่", "village", "หมู่", "หมู่บ้าน", "village_no"),
            "area_code": ("รหัสพื้นที่", "area_code", "geocode"),
            "date": ("วันที่", "date", "วันที่เสนอ"),
            "fiscal_year": ("ปีงบประมาณ", "fiscal_year", "ปีงบ", "fy"),
            "sector": ("ด้าน", "sector"),
            "strategy": ("ยุทธศาสตร์", "strategy"),
            "item_ref": ("เลขที่อ้างอิง", "item_ref", "เลขอ้างอิง", "รหัสโครงการ"),
            "escalated_to_ref": ("ส่งต่อไปยัง", "escalated_to_ref", "escalated_to"),
            "beyond_capacity": ("เกินขีดความสามารถ", "beyond_capacity"),
            "plan_group": ("แผนงาน", "plan_group"),
            "project_type": ("ประเภทโครงการ", "project_type"),
            "url": ("url", "ลิงก์", "link"),
        },
    ),
    # The national Budget Bill CSV (kaogeek/thailand-budget-pdf2csv "Expected Output Format V2").
    _layout(
        "budget-bill",
        "budget",
        {
            "item_id": ("ITEM_ID",),
            "ministry": ("MINISTRY", "กระทรวง"),
            "budgetary_unit": ("BUDGETARY_UNIT", "หน่วยรับงบประมาณ"),
            "budget_plan": ("BUDGET_PLAN", "แผนงาน"),
            "output": ("OUTPUT", "ผลผลิต"),
            "project": ("PROJECT", "โครงการ"),
            "category_lv1": ("CATEGORY_LV1",),
            "category_lv2": ("CATEGORY_LV2",),
            "category_lv3": ("CATEGORY_LV3",),
            "category_lv4": ("CATEGORY_LV4",),
            "category_lv5": ("CATEGORY_LV5",),
            "category_lv6": ("CATEGORY_LV6",),
            "item_description": ("ITEM_DESCRIPTION", "รายการ"),
            "fiscal_year": ("FISCAL_YEAR", "ปีงบประมาณ"),
            "amount": ("AMOUNT", "จำนวนเงิน", "วงเงิน"),
            "obliged": ("OBLIGED?", "OBLIGED", "งบผูกพัน"),
            "ref_doc": ("REF_DOC",),
            "ref_page": ("REF_PAGE_NO", "REF_PAGE"),
        },
    ),
    # Project lists as provinces send them (ThaiME 2020 sheets and their cleaned exports).
    _layout(
        "local-proposals",
        "plans",
        {
            "plan_group": ("แผนงานที่", "แผนงาน", "group", "plan_nb"),
            "title": ("ชื่อโครงการ", "project_name"),
            "amount": ("วงเงินงบประมาณ", "วงเงิน", "budget", "งบประมาณ"),
            "agency": (
                "หน่วยรับงบประมาณ",
                "ชื่อหน่วยรับงบประมาณ",
                "หน่วยงานรับงบประมาณ",
                "agency",
                "unit",
            ),
            "ministry": ("กระทรวง", "ministry"),
            "province": ("จังหวัด", "province"),
            "date": ("วันเสนอโครงการ", "date"),
            "url": ("ดูรายละเอียด", "url"),
            "project_type": ("ประเภทโครงการ", "type", "ประเภท"),
        },
    ),
)


# --------------------------------------------------------------------------- keys

_UNIT_IN_PARENS = re.compile(r"\([^)]*(?:บาท|baht|thb|ลบ\.)[^)]*\)")
_UNIT_AT_END = re.compile(r"\s*(?:ล้านบาท|บาท|million\s*baht|baht|thb)\s*$")
_PARENS = re.compile(r"\([^)]*\)")
_THAI_THEN_NUMBERING = re.compile(r"(?<=[\u0e00-\u0e7f])[\d\s.\-–/]+$")
_NOT_KEY = re.compile(r"[^0-9a-z\u0e01-\u0e5b]+")
_MILLION = re.compile(r"ล้าน|million|\bmb\b|mthb|\(\s*ลบ\.?\s*\)")  # (ลบ.) = ล้านบาท
_BAHT = re.compile(r"บาท|baht|thb")


def _base(text: object) -> str:
    cleaned = clean_text(text)
    if cleaned is None:
        return ""
    return _UNIT_AT_END.sub("", _UNIT_IN_PARENS.sub(" ", thai_digits_to_arabic(cleaned).casefold()))


def header_key(text: object) -> str:
    """The comparable form of a header: ``"ลำดับ\\nที่ "`` → ``ลำดับที่``, ``ITEM_ID`` → ``itemid``,
    ``วงเงินงบประมาณ (ล้านบาท)`` → ``วงเงินงบประมาณ`` (the unit is read separately)."""
    return _NOT_KEY.sub("", _base(text))


def _loose_key(text: object) -> str:
    """:func:`header_key` after dropping remarks in parentheses and numbering after Thai text."""
    return _NOT_KEY.sub("", _THAI_THEN_NUMBERING.sub("", _PARENS.sub(" ", _base(text)).strip()))


def amount_unit_of(text: object) -> Literal["baht", "million"] | None:
    """The unit a header declares: "(ล้านบาท)" → million, "(บาท)" → baht, nothing → None."""
    folded = (clean_text(text) or "").casefold()
    if _MILLION.search(folded):
        return "million"
    if _BAHT.search(folded):
        return "baht"
    return None


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class HeaderMatch:
    """What a header row means: column index (0-based) → field, for the best layout.

    ``missing`` lists required fields that were not found (empty for a usable header; only
    :meth:`HeaderMatcher.match` with ``allow_partial=True`` returns incomplete matches, for
    error messages). ``headers`` holds the header text of every non-empty column.
    """

    layout: str
    columns: Mapping[int, str]
    amount_unit: Literal["baht", "million"] | None
    headers: Mapping[int, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    score: float = 0.0
    # fields two columns claim equally (same header text, same score): field -> columns
    ambiguous: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def rank(self) -> tuple[int, int, float]:
        """Orders matches: more required fields found, then more fields, then better scores."""
        return (-len(self.missing), len(self.columns), self.score)


class HeaderMatcher:
    """Scores header cells against the layouts of one kind; caches scores per header text.

    One matcher serves one file (the reader scans up to 30 candidate rows per sheet, and real
    sheets repeat the same texts), so the cache lives and dies with it.
    """

    def __init__(self, kind: Kind, mapping: Mapping[str, str] | None = None) -> None:
        if kind not in FIELDS:
            raise ValueError(f"kind must be 'plans' or 'budget', not {kind!r}")
        self.kind = kind
        self.layouts = tuple(layout for layout in LAYOUTS if layout.kind == kind)
        self._mapping = {
            header_key(header): target
            for header, target in (mapping or {}).items()
            if target == IGNORE or target in FIELDS[kind]
        }
        # layout name -> synonym key -> (field, rank); rank 0 is the field's most specific variant
        self._synonyms: dict[str, dict[str, tuple[str, int]]] = {}
        for layout in self.layouts:
            table: dict[str, tuple[str, int]] = {}
            for name, variants in layout.synonyms.items():
                for rank, variant in enumerate(variants):
                    table.setdefault(header_key(variant), (name, rank))
            self._synonyms[layout.name] = table
        self._cache: dict[str, dict[str, dict[str, tuple[float, int]]]] = {}

    def _scores(self, text: str) -> dict[str, dict[str, tuple[float, int]]]:
        """layout → field → (score, synonym rank) for one header text (best of its key forms).

        A text that is exactly a synonym of some field in any layout of the kind can only mean
        that field: "ปีงบประมาณ" is a fiscal year, never a near miss of the amount "งบประมาณ".
        """
        if text in self._cache:
            return self._cache[text]
        forms = [(header_key(text), 0.0), (_loose_key(text), _LOOSE_PENALTY)]
        mapped = self._mapping.get(forms[0][0])
        known = {table[key][0] for table in self._synonyms.values() for key, _ in forms if key in table}
        result: dict[str, dict[str, tuple[float, int]]] = {}
        for layout in self.layouts:
            scores: dict[str, tuple[float, int]] = {}
            if mapped is not None:
                if mapped != IGNORE:
                    scores[mapped] = (_MAPPED_SCORE, -1)
                result[layout.name] = scores
                continue
            table = self._synonyms[layout.name]
            for key, penalty in forms:
                if not key:
                    continue
                for choice, score, _ in process.extract(
                    key, table.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                ):
                    name, rank = table[choice]
                    if not known or name in known:
                        _keep_better(scores, name, (score - penalty, rank))
            result[layout.name] = scores
        self._cache[text] = result
        return result

    def match(self, rows: Sequence[Sequence[object]], *, allow_partial: bool = False) -> HeaderMatch | None:
        """Matches a header of one or more stacked rows (a two-row header is two rows).

        A column's text is its non-empty cells top to bottom; it is scored as a whole and part
        by part ("วัตถุประสงค์โครงการ" over "สร้างงาน"), best score kept, so a group heading above
        a sub-heading or a vertically merged cell (text in the top row only) both match.
        """
        texts = _column_texts(rows)
        found = [self._match_layout(layout, texts) for layout in self.layouts]
        best = max((m for m in found if m is not None), key=lambda m: m.rank, default=None)
        if best is None or (best.missing and not allow_partial):
            return None
        return best

    def _match_layout(self, layout: Layout, texts: dict[int, list[str]]) -> HeaderMatch | None:
        """Assigns fields to columns for one layout: best score, specific synonym, leftmost."""
        candidates: list[tuple[float, int, int, str]] = []
        for col, parts in texts.items():
            merged: dict[str, tuple[float, int]] = {}
            for variant in parts if len(parts) == 1 else [" ".join(parts), *parts]:
                for name, score_rank in self._scores(variant)[layout.name].items():
                    _keep_better(merged, name, score_rank)
            candidates.extend((score, rank, col, name) for name, (score, rank) in merged.items())
        candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
        columns: dict[int, str] = {}
        chosen: dict[str, tuple[float, int, int]] = {}
        ambiguous: dict[str, tuple[int, ...]] = {}
        total = 0.0
        for score, rank, col, name in candidates:
            if col not in columns and name not in columns.values():
                columns[col] = name
                chosen[name] = (score, rank, col)
                total += score
            elif name in chosen and col not in columns and chosen[name][:2] == (score, rank):
                first = chosen[name][2]
                if _same_header(texts[first], texts[col]):
                    ambiguous[name] = (*ambiguous.get(name, (first,)), col)
        if not columns:
            return None
        amount = [" ".join(texts[c]) for c, name in columns.items() if name == "amount"]
        return HeaderMatch(
            layout=layout.name,
            columns=dict(sorted(columns.items())),
            amount_unit=amount_unit_of(amount[0]) if amount else None,
            headers={c: " ".join(p) for c, p in texts.items()},
            missing=tuple(f for f in REQUIRED[self.kind] if f not in columns.values()),
            score=total,
            ambiguous=ambiguous,
        )


def _same_header(a: list[str], b: list[str]) -> bool:
    return [header_key(t) for t in a] == [header_key(t) for t in b]


def _column_texts(rows: Sequence[Sequence[object]]) -> dict[int, list[str]]:
    """Column index → its distinct non-empty text cells, top to bottom (numbers are not headers)."""
    texts: dict[int, list[str]] = {}
    for row in rows:
        for col, cell in enumerate(row):
            if isinstance(cell, str) and clean_text(cell) and cell not in texts.get(col, ()):
                texts.setdefault(col, []).append(cell)
    return dict(sorted(texts.items()))


def _keep_better(scores: dict[str, tuple[float, int]], name: str, candidate: tuple[float, int]) -> None:
    """Keeps a field's higher score; on equal scores its more specific synonym (lower rank)."""
    old = scores.get(name)
    if old is None or (candidate[0], -candidate[1]) > (old[0], -old[1]):
        scores[name] = candidate


def match_header(
    cells: Sequence[object],
    kind: Kind,
    *,
    mapping: Mapping[str, str] | None = None,
    allow_partial: bool = False,
) -> HeaderMatch | None:
    """Reads one row as a header: column index → field of the best layout, or None.

    None means the row lacks a required field (``REQUIRED[kind]``) in every layout; with
    ``allow_partial`` the best incomplete match is returned instead (its ``missing`` says what
    is absent), which is what error messages need.
    """
    return HeaderMatcher(kind, mapping).match([cells], allow_partial=allow_partial)


# --------------------------------------------------------------------------- mapping files


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and line."""


def load_mapping(path: str | Path) -> dict[str, str]:
    """Reads a column-mapping file: which header means which field.

    Two formats, chosen by the file name:

    - ``*.csv``: two columns, header text and field (an optional first line
      ``header,field`` is skipped); quote headers that contain commas;
    - anything else: one ``header = field`` per line; the last ``=`` splits, so a header may
      itself contain ``=``; blank lines and lines starting with ``#`` are ignored.

    Field names are those of :data:`PLAN_FIELDS` / :data:`BUDGET_FIELDS`, or ``ignore`` to keep
    a header out of every field. Headers are compared like all headers (:func:`header_key`), so
    spacing, line breaks and case do not matter. Entries override the built-in synonyms.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path.name}: cannot read mapping file: {exc}") from exc
    if path.suffix.casefold() == ".csv":
        pairs = _csv_pairs(path.name, text)
    else:
        pairs = _line_pairs(path.name, text)
    known = set(PLAN_FIELDS) | set(BUDGET_FIELDS) | {IGNORE}
    mapping: dict[str, str] = {}
    for line, header, target in pairs:
        target = target.strip().casefold()
        if target not in known:
            choices = ", ".join(sorted(known))
            raise MappingError(f"{path.name}:{line}: unknown field {target!r}; use one of {choices}")
        if not header_key(header):
            raise MappingError(f"{path.name}:{line}: empty header")
        mapping[header.strip()] = target
    return mapping


def _line_pairs(name: str, text: str) -> Iterable[tuple[int, str, str]]:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "=" not in stripped:
            raise MappingError(f"{name}:{number}: expected 'header = field', got {stripped!r}")
        header, target = stripped.rsplit("=", 1)
        yield number, header, target


def _csv_pairs(name: str, text: str) -> Iterable[tuple[int, str, str]]:
    for number, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise MappingError(f"{name}:{number}: expected two columns (header, field), got {len(row)}")
        if number == 1 and [c.strip().casefold() for c in row] == ["header", "field"]:
            continue
        yield number, row[0], row[1]
