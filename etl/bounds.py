"""The limits every imported file is held to before any parser sees it.

Files come from people and, through the browser upload, from anyone with an account, so a file
must not be able to hang the import (a FIFO), grow it without bound (a symlink to /dev/zero, a
gzip or workbook that inflates a thousandfold) or reach outside the folder it was given in. The
largest real input is the national FY2565 Budget Bill, 3 MB of gzipped CSV (31,605 lines); the
largest workbook part in the 51 provincial ThaiME workbooks inflates to 11 MB at a ratio of 23.
The limits leave room for ten times that and stop a bomb early, with peak memory well under
300 MB for any file they reject.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MAX_COLUMNS",
    "MAX_MEMBER_RATIO",
    "MAX_SHARED_STRINGS_BYTES",
    "MAX_WORKBOOK_BYTES",
    "BoundsError",
    "Limits",
    "check_workbook",
    "gunzip",
    "read_file",
]

_MB = 2**20
MAX_WORKBOOK_BYTES = 512 * _MB  # all parts of a workbook once inflated (sheets are streamed)
MAX_SHARED_STRINGS_BYTES = 64 * 2**20  # openpyxl holds the shared strings in memory
MAX_MEMBER_RATIO = 100  # inflated / compressed, for parts above 1 MB (real workbooks: ≤ 23)
MAX_COLUMNS = 16_384  # Excel's own limit; one real analysis CSV has 6,393 columns
_RATIO_FLOOR = 2**20


class BoundsError(ValueError):
    """A file beyond one of the limits; the message names the file and the limit."""


@dataclass(frozen=True)
class Limits:
    """The limits a person may raise (``PLANMAP_IMPORT_MAX_MB``, ``PLANMAP_IMPORT_MAX_ROWS``) for
    a deliberate bulk load, such as a national file of a million plan items. The defaults hold
    three times the national Budget Bill (31,605 lines in 3 MB) and keep any file refused for
    its size or shape under 300 MB of memory."""

    file_bytes: int = 50 * _MB  # on disk (a gzip or a workbook: compressed)
    rows: int = 100_000  # data rows of one file

    @property
    def text_bytes(self) -> int:
        """A CSV once gunzipped."""
        return max(64 * _MB, self.file_bytes)

    @classmethod
    def from_settings(cls, settings: object) -> Limits:
        return cls(settings.import_max_mb * _MB, settings.import_max_rows)  # type: ignore[attr-defined]


def read_file(path: str | Path, limit: int = Limits().file_bytes) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Devices and FIFOs are refused without being read (opened non-blocking, checked with fstat
    on the open descriptor, so a swap between check and read changes nothing). A symlink may
    point only inside the folder it lies in."""
    path = Path(path)
    name = path.name
    if path.is_symlink():
        folder = path.absolute().parent.resolve()
        target = path.resolve()
        if not target.is_relative_to(folder):
            raise BoundsError(f"{name}: a link to {target}, outside the folder {folder}; copy the file there instead")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise BoundsError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BoundsError(f"{name}: not a regular file ({_kind(info.st_mode)}); import files only")
        if info.st_size > limit:
            raise BoundsError(f"{name}: {info.st_size / _MB:,.1f} MB, more than the {limit // _MB} MB a file may have")
        data = handle.read(limit + 1)
    if len(data) > limit:  # grew while being read
        raise BoundsError(f"{name}: more than the {limit // _MB} MB a file may have")
    return data


def gunzip(name: str, data: bytes, limit: int = Limits().text_bytes) -> bytes:
    """A gzip file's content (every member), streamed so that no more than ``limit`` bytes are
    ever inflated."""
    pieces: list[bytes] = []
    size = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)
        chunk = rest
        while True:
            room = min(limit + 1 - size, 1 << 20)
            try:
                piece = inflater.decompress(chunk, room)
            except zlib.error as exc:
                raise BoundsError(f"{name}: not a valid gzip file ({exc})") from exc
            pieces.append(piece)
            size += len(piece)
            if size > limit:
                raise BoundsError(
                    f"{name}: unpacks to more than {limit // _MB} MB (the file is {len(data) / _MB:,.1f} MB);"
                    " a plan or budget list is never that large"
                )
            chunk = inflater.unconsumed_tail
            if inflater.eof or (not chunk and len(piece) < room):  # a full piece may leave output pending
                break
        if not inflater.eof:
            raise BoundsError(f"{name}: not a valid gzip file (it ends early)")
        rest = inflater.unused_data.lstrip(b"\x00")  # some tools pad members with zeros
    return b"".join(pieces)


def check_workbook(name: str, data: bytes) -> None:
    """Refuse a workbook whose parts would inflate beyond the limits, before openpyxl opens it
    (zipfile never inflates a part beyond its declared size, so the declared sizes bind)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise BoundsError(f"{name}: cannot open as an Excel workbook (a broken zip: {exc})") from exc
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > MAX_MEMBER_RATIO:
            raise BoundsError(
                f"{name}: part {part.filename} inflates {ratio:,.0f} times ({part.file_size / _MB:,.0f} MB);"
                f" real workbooks stay under {MAX_MEMBER_RATIO} times"
            )
        if part.filename.endswith("sharedStrings.xml") and part.file_size > MAX_SHARED_STRINGS_BYTES:
            raise BoundsError(
                f"{name}: the workbook's text ({part.file_size / _MB:,.0f} MB) is more than the"
                f" {MAX_SHARED_STRINGS_BYTES // _MB} MB a workbook may hold"
            )
    if total > MAX_WORKBOOK_BYTES:
        raise BoundsError(
            f"{name}: unpacks to {total / _MB:,.0f} MB, more than the {MAX_WORKBOOK_BYTES // _MB} MB a workbook may have"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in parts:
                if _is_sheet_or_strings(part.filename):
                    _scan_part(name, archive, part)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise BoundsError(f"{name}: cannot open as an Excel workbook (a broken zip: {exc})") from exc


# Row and cell start tags with any namespace prefix (<x:row>, <x:c …>), for the rare part that
# uses prefixes; parts as Excel writes them are counted with plain substring counts (5x faster).
_ROW_ANY = re.compile(rb"<(?:\w{1,16}:)?row[\s/>]")
_CELL_ANY = re.compile(rb"<(?:\w{1,16}:)?c[\s/>]")
# Excel holds at most 32,767 characters in a cell: as UTF-8 (Thai: 3 bytes) with XML escapes,
# well under this many bytes between two tags.
MAX_TEXT_RUN = 256 * 1024


def _scan_part(name: str, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """openpyxl builds a whole row, and a whole string, before yielding either: a row of a
    million cells (cells without a reference are numbered on past Excel's last column) or a
    10 MB cell would take gigabytes. The part's XML is scanned as a stream and refused first."""
    rows = cells = 0
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            buffer = carry + chunk
            cut = max(buffer.rfind(b"<"), 0)  # what follows the last "<" may go on in the next chunk
            carry, buffer = buffer[cut:], buffer[:cut]
            if len(carry) > MAX_TEXT_RUN or (buffer and max(map(len, buffer.split(b"<"))) > MAX_TEXT_RUN):
                raise BoundsError(
                    f"{name}: {part.filename} has a cell of more than 32,767 characters (more than Excel"
                    " allows in a cell)"
                )
            if b":c" in buffer or b":row" in buffer:
                first, *others = _ROW_ANY.split(buffer)
                widths = [len(_CELL_ANY.findall(s)) for s in (first, *others)]
            else:
                first, *others = buffer.split(b"<row")
                widths = [s.count(b"<c ") + s.count(b"<c>") + s.count(b"<c/") for s in (first, *others)]
            widths[0] += cells  # the first segment goes on with the row the last chunk ended in
            if max(widths) > MAX_COLUMNS:
                row = rows + next(i for i, w in enumerate(widths) if w > MAX_COLUMNS)
                raise BoundsError(
                    f"{name}: {part.filename} row {row:,} has more than {MAX_COLUMNS:,} cells"
                    " (as many columns as Excel has)"
                )
            rows, cells = rows + len(others), widths[-1]


def _is_sheet_or_strings(filename: str) -> bool:
    return filename.endswith(".xml") and (
        filename.startswith("xl/worksheets/") or filename.endswith("sharedStrings.xml")
    )


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"
