"""Safe download names from area names and codes (which come from data), and the
Content-Disposition header that carries them (RFC 6266 with an RFC 5987 ``filename*``).

A name may contain ``../``, slashes, quotes, control characters or reserved device names; none
of that may reach a file system or a header. Thai letters are kept (with their vowel and tone
marks, NFC-normalised) because officials look for files by the area's Thai name.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_BYTES = 150  # of the UTF-8 name with extension: far below 255 everywhere
FALLBACK = "planmap-export"
_EXT = re.compile(r"^[a-z0-9]{1,8}$")
_FORBIDDEN = set("/\\:*?\"<>|'`;&$%{}[]#~!=+,^")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


def _clean(part: object) -> str:
    text = unicodedata.normalize("NFC", str(part))
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category.startswith("C") or category in ("Zl", "Zp"):
            continue  # control, format, unassigned, line breaks
        if ch in _FORBIDDEN or category.startswith("Z"):
            kept.append("-" if ch not in "'\"`" else "")
        else:
            kept.append(ch)
    text = "".join(kept)
    text = re.sub(r"\.{2,}", ".", text)  # no '..' anywhere
    text = re.sub(r"-{2,}", "-", text)
    return text.strip(".-_ ")


def _truncate(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes, cut before a base letter so no Thai mark is orphaned."""
    if len(text.encode("utf-8")) <= limit:
        return text
    out = ""
    for ch in text:
        if len((out + ch).encode("utf-8")) > limit:
            break
        out += ch
    while out and unicodedata.category(text[len(out)]) == "Mn":
        out = out[:-1]  # the next char is a mark of the last letter
    return out.rstrip(".-_ ")


def safe_filename(*parts: object, ext: str) -> str:
    """'planmap_37_อำนาจเจริญ_2568.pptx' from the parts (empty parts skipped) and an extension;
    never a path, never hidden, never empty, at most ``MAX_BYTES`` bytes."""
    ext = ext.lower().lstrip(".")
    if not _EXT.match(ext):
        raise ValueError(f"not a file extension: {ext!r}")
    stem = "_".join(p for p in (_clean(part) for part in parts if part is not None) if p)
    stem = _truncate(stem, MAX_BYTES - len(ext) - 1) or FALLBACK
    if _RESERVED.match(stem):
        stem = "_" + stem
    return f"{stem}.{ext}"


def ascii_filename(name: str) -> str:
    """The ASCII fallback of a safe name (old clients' ``filename=``): non-ASCII runs become
    one '-', and a name left without letters or digits becomes 'planmap-export'."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    ascii_stem = re.sub(r"-{2,}", "-", re.sub(r"\.{2,}", ".", ascii_stem)).strip(".-_")
    ascii_stem = re.sub(r"[-_]*_[-_]*", "_", ascii_stem)
    if not re.search(r"[A-Za-z0-9]", ascii_stem):
        ascii_stem = FALLBACK
    if _RESERVED.match(ascii_stem):
        ascii_stem = FALLBACK + "-" + ascii_stem
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)
    return f"{ascii_stem}.{ext}" if ext else ascii_stem


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """``attachment; filename="ascii.pdf"; filename*=UTF-8''%E0%B8…`` for a safe name."""
    fallback = ascii_filename(name)
    encoded = quote(name, safe="")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
