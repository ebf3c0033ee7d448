"""A Thai font for matplotlib, found once and embedded in every PDF/SVG we write.

Noto Sans Thai (Debian ``fonts-noto-core``, installed by ``.ci/install-system-deps``) has only
the Thai block, so Latin letters, digits and signs such as ``≤`` come from Noto Sans and then
DejaVu Sans through matplotlib's per-glyph font fallback. PDFs get TrueType (Type 42) subsets;
SVG text becomes paths, because ``svg.fonttype = 'none'`` would leave the reader's machine to
find a Thai font and most do not have this one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from matplotlib import font_manager

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
THAI_FAMILY = "Noto Sans Thai"
LATIN_FAMILY = "Noto Sans"
FALLBACK_FAMILY = "DejaVu Sans"  # bundled with matplotlib: always there
DEBIAN_PACKAGE = "fonts-noto-core"
_lock = threading.Lock()
_found: ThaiFonts | None = None


class ThaiFontMissing(RuntimeError):
    """No Thai font is installed; exports would print boxes instead of Thai."""


@dataclass(frozen=True)
class ThaiFonts:
    thai: str  # family name of the Thai font
    families: tuple[str, ...]  # matplotlib's font.family list, Thai-capable, with fallbacks
    files: tuple[Path, ...]  # font files registered with matplotlib

    def rc(self) -> dict[str, object]:
        """rcParams for a render: the family list, embedded TrueType in PDF, paths in SVG."""
        return {
            "font.family": list(self.families),
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "path",
            "axes.unicode_minus": False,
        }


def _register(paths: list[Path]) -> None:
    for path in paths:
        font_manager.fontManager.addfont(str(path))


def _family_of(path: Path) -> str:
    return font_manager.FontProperties(fname=str(path)).get_name()


def thai_fonts(search_dir: Path = NOTO_DIR) -> ThaiFonts:
    """Find and register the Thai font (cached): Noto Sans Thai from ``search_dir``, else any
    font matplotlib knows whose family name contains "Thai"; a clear error otherwise."""
    global _found
    with _lock:
        if _found is not None and search_dir == NOTO_DIR:
            return _found
        thai = sorted(search_dir.glob("NotoSansThai-*.ttf")) if search_dir.is_dir() else []
        latin = [p for p in (search_dir / "NotoSans-Regular.ttf", search_dir / "NotoSans-Bold.ttf") if p.is_file()]
        if thai:
            _register(thai + latin)
            family = _family_of(thai[0])
        else:
            others = [f for f in font_manager.fontManager.ttflist if "thai" in f.name.lower()]
            if not others:
                raise ThaiFontMissing(
                    f"no Thai font found (looked for {search_dir}/NotoSansThai-*.ttf and any font whose "
                    f"family contains 'Thai'); install the Debian package {DEBIAN_PACKAGE} "
                    f"(sudo apt-get install {DEBIAN_PACKAGE}) or run .ci/install-system-deps"
                )
            family = sorted(others, key=lambda f: ("sans" not in f.name.lower(), f.name))[0].name
            latin = []
        families = tuple(dict.fromkeys([LATIN_FAMILY] * bool(latin) + [family, FALLBACK_FAMILY]))
        found = ThaiFonts(family, families, tuple(thai + latin))
        if search_dir == NOTO_DIR:
            _found = found
        return found
