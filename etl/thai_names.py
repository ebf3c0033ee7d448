"""Thai area names as people write them: where a name ends in running text, the keys a name is
found under, and an index of names that finds the longest exact name a text starts with, or the
closest one when it is a typo (rapidfuzz on "skeletons" without tone marks).

Shared by the locator (provinces, districts, tambons) and the village index (village names
inside a tambon), so both tolerate the same typos.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 85.0  # rapidfuzz ratio on skeletons; เชียงคำ (a district) vs เชียงราย scores 80
MIN_FUZZY_LENGTH = 4  # one wrong letter in a 3-letter name is another name
MIN_RUN_ON_LENGTH = 4

# Where a name ends: a space or punctuation, or the next keyword glued to it.
NAME_END = re.compile(
    r"[\s()\[\]{},;:/\"'“”.ฯ+&-]|ตำบล|อำเภอ|จังหวัด|หมู่|แขวง|กรุงเทพ|กทม|[ตอจม]\.|อบต|เทศบาล"
    r"|องค์การ"
)

TONE_MARKS = str.maketrans("", "", "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")


def name_token(rest: str) -> str:
    """The name part of ``rest``: up to a space, punctuation or the next keyword."""
    if NAME_END.match(rest):
        return ""
    m = NAME_END.search(rest, 1)
    return rest[: m.start()] if m else rest


def skeleton(name: str) -> str:
    """A name without tone marks and with ำ as า, for fuzzy comparison only: PDF text and
    hand typing get these wrong most ("ทุ่งกว่ำว" for ทุ่งกว๋าว)."""
    return name.translate(TONE_MARKS).replace("\u0e33", "\u0e32")


@dataclass(frozen=True)
class Found:
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


def name_keys(name: str) -> set[str]:
    """Keys a name is found under: as written, without spaces, each part of "ปอภาร (ปอพาน)"."""
    keys = {name, name.replace(" ", "")}
    keys.update(part.strip() for part in re.split(r"[()]", name) if part.strip())
    return keys


class NameIndex:
    """Names of one level within one scope (a district, a province, the country) → codes."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        grouped: dict[str, list[str]] = {}
        for name, code in entries:
            for key in name_keys(name):
                if code not in grouped.setdefault(key, []):
                    grouped[key].append(code)
        self.codes = {k: tuple(sorted(v)) for k, v in grouped.items()}
        self.longest = max((len(k) for k in self.codes), default=0)
        self.skeletons: dict[str, str] = {}
        for key in self.codes:
            self.skeletons.setdefault(skeleton(key), key)
        self.choices = tuple(self.skeletons)

    def exact(self, rest: str) -> tuple[Found | None, Found | None]:
        """Longest name ``rest`` starts with: (one ending at a word boundary, one running on)."""
        run_on = None
        for length in range(min(self.longest, len(rest)), 1, -1):
            codes = self.codes.get(rest[:length])
            if codes is None:
                continue
            if length == len(rest) or NAME_END.match(rest, length):
                return Found(rest[:length], codes, "exact"), run_on
            if run_on is None and length >= MIN_RUN_ON_LENGTH:
                run_on = Found(rest[:length], codes, "run-on")
        return None, run_on

    def fuzzy(self, token: str) -> Found | None:
        """The closest name in scope by rapidfuzz ratio, if close enough to be a typo."""
        if len(token) < MIN_FUZZY_LENGTH or not self.choices:
            return None
        best = process.extractOne(skeleton(token), self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        name = self.skeletons[best[0]]
        return Found(name, self.codes[name], "fuzzy")
