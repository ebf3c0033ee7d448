"""Report-quality map images (PNG, SVG, PDF) with geopandas + matplotlib: no browser, no tiles,
no internet, so a server or the command line can print the same map the dashboard shows.

The legend classes come from the dashboard's own ``build_legend`` (same quantile breaks, same
colours, same grey "no data"), so a printed map and the page agree. The map is drawn in the UTM
zone of the area, which makes the scale bar a plain distance in metres. Matplotlib is not
thread-safe, so renders are serialised by a lock (Dash serves callbacks from threads).

The projected geometry is kept per process (a render worker draws the national tambons again and
again) and areas are drawn as one collection of paths with one hatched path for "no data" (the
national tambon map: 4.5 s → 1.5 s). Names never overlap each other or a village's marker, and
their halos are drawn under every name, so no halo cuts a Thai vowel or tone mark.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import colormaps, patheffects, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Patch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path

from dashboard import i18n
from dashboard.exports._pdftext import shaped_pdf_text
from dashboard.exports.fonts import thai_fonts
from dashboard.exports.model import MapView
from dashboard.figures import (
    NO_DATA_COLOUR,
    PALETTES,
    SUPPLY_METRICS,
    build_legend,
    class_labels,
    legend_unit,
    not_linked_legend,
)
from dashboard.i18n import t
from dashboard.metrics import class_index

A4_LANDSCAPE = (11.69, 8.27)  # inches
FORMATS = ("png", "svg", "pdf")
MARGIN = 0.3  # inches
HATCH = "////"
INK = "#222222"
MUTED = "#555555"
_lock = threading.Lock()


def render_map(
    view: MapView,
    fmt: str = "png",
    dpi: int = 300,
    *,
    size: tuple[float, float] = A4_LANDSCAPE,
    show_title: bool = True,
    text_scale: float = 1.0,
) -> bytes:
    """The map as PNG/SVG/PDF bytes; A4 landscape at ``dpi`` by default (300: print).
    ``text_scale`` enlarges every text (1.25 for a projected slide)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown map format {fmt!r}; expected one of {FORMATS}")
    fonts = thai_fonts()
    buffer = io.BytesIO()
    with _lock, rc_context(fonts.rc()), shaped_pdf_text():
        fig = Figure(figsize=size)
        draw_map(fig, view, title=view.meta.title if show_title else None, text_scale=text_scale)
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(view, fmt))
    return buffer.getvalue()


def _metadata(view: MapView, fmt: str) -> dict[str, str]:
    meta = view.meta
    description = " · ".join(f"{k}: {v}" for k, v in meta.lines()[1:])
    if fmt == "pdf":
        return {"Title": meta.title, "Subject": description, "Creator": "planmap"}
    if fmt == "svg":
        return {"Title": meta.title, "Description": description, "Creator": "planmap"}
    return {"Title": meta.title, "Description": description, "Software": "planmap"}


# --------------------------------------------------------------------------- layout


def draw_map(fig: Figure, view: MapView, *, title: str | None, text_scale: float = 1.0) -> None:
    """Lay the whole map page out on ``fig`` (any size; positions are in inches, and the text
    sizes and line heights grow with ``text_scale``). Texts take the Thai font family here;
    the caller saves under ``thai_fonts().rc()`` so PDF/SVG embed it."""
    with rc_context(thai_fonts().rc()):
        _draw_page(fig, view, title, text_scale)


def _draw_page(fig: Figure, view: MapView, title: str | None, k: float) -> None:
    width, height = fig.get_size_inches()
    lang = view.meta.lang
    fig.patch.set_facecolor("white")

    def text(x: float, y_from_top: float, value: str, **kw) -> None:
        fig.text(x / width, 1 - y_from_top / height, value, parse_math=False, color=kw.pop("color", INK), **kw)

    y = MARGIN + 0.05
    if title:
        text(MARGIN, y + 0.2 * k, _clip(title, 110), fontsize=19 * k, weight="bold", va="center")
        y += 0.5 * k
    subtitle = " · ".join(
        [
            f"{view.area_name()}" + (f" ({view.area_code})" if view.area_code != "TH" else ""),
            f"{t('level_of_map', lang)}: {i18n.area_level(view.level, lang)}",
            view.label(),
            i18n.fiscal_year(view.meta.fiscal_year, lang),
        ]
    )
    text(MARGIN, y + 0.12 * k, _clip(subtitle, 150), fontsize=12.5 * k, va="center")
    text(
        MARGIN,
        y + 0.42 * k,
        _clip(f"{t('filters', lang)}: {view.meta.filter_text()}", 180),
        fontsize=10 * k,
        va="center",
        color=MUTED,
    )
    header = y + 0.62 * k
    footer = 0.62 * k
    panel_x = width * 0.69

    frame = _drawable(view)
    crs = _utm(view.frame)
    projected, paths = _projected(frame, crs)
    outline = getattr(view, "outline", None)  # the mapped area's own boundary, when given
    if outline is not None and len(outline):
        outline = (outline if outline.crs is not None else outline.set_crs("EPSG:4326")).to_crs(crs).geometry
    column = "items" if view.not_linked else view.column  # not linked: one class for areas with requests
    values = (
        [
            None
            if v is None or (isinstance(v, float) and math.isnan(v)) or (view.not_linked and not v)
            else (1.0 if view.not_linked else float(v))
            for v in projected[column]
        ]
        if len(frame)
        else []
    )
    breaks, colours, labels, legend_title = _legend(values, view)

    ax = fig.add_axes(_rect(MARGIN, footer, panel_x - MARGIN - 0.15, height - header - footer, width, height))
    _draw_areas(ax, projected, paths, values, breaks, colours, view, k, outline)
    _scale_bar(ax, lang, k)
    _north_arrow(ax, k)

    _side_panel(
        fig, view, projected, crs, (colours, labels, legend_title), x=panel_x, top=header, bottom=height - footer, k=k
    )

    meta = view.meta
    made = t("generated", lang) + (f" {i18n.when(meta.generated_at, lang)}" if meta.generated_at else "")
    first = " · ".join(
        [
            f"{t('data_date', lang)} {i18n.when(meta.data_date, lang)}",
            f"{t('boundary_version', lang)}: {meta.boundary_version or t('unknown', lang)}",
            made,
        ]
    )
    room = width - 2 * MARGIN - (3.4 * k if meta.synthetic else 0)
    chars = int(room * 72 / (8.5 * k * 0.5))
    text(MARGIN, height - 0.42 * k, _clip(first, chars), fontsize=8.5 * k, va="center", color=MUTED)
    text(
        MARGIN,
        height - 0.2 * k,
        _clip(f"{t('source', lang)}: {meta.source or t('unknown', lang)}", chars),
        fontsize=8.5 * k,
        va="center",
        color=MUTED,
    )
    if meta.synthetic:
        text(
            width - MARGIN,
            height - 0.42 * k,
            t("synthetic", lang),
            fontsize=10 * k,
            va="center",
            ha="right",
            color="#b2182b",
            weight="bold",
        )


def _side_panel(
    fig: Figure,
    view: MapView,
    projected: gpd.GeoDataFrame,
    crs: str,
    legend: tuple[Sequence[str], Sequence[str], str],
    *,
    x: float,
    top: float,
    bottom: float,
    k: float,
) -> None:
    """Inset, legend and notes between ``top`` and ``bottom`` (inches from the page top).

    Stacked when there is height (A4); on a short wide page (a slide picture) the inset goes
    left of the legend rather than being dropped; notes shrink (to 70 %) before they would run
    into the footer. The legend is measured after drawing, so nothing overlaps."""
    width, height = fig.get_size_inches()
    panel_w = width - x - MARGIN
    colours, labels, title = legend
    show_inset = view.inset is not None and view.area_code != "TH"

    def place_legend(left: float, y: float) -> float:
        ax = fig.add_axes(_rect(left, height - y - 0.1, width - MARGIN - left, 0.1, width, height))
        chars = int((width - MARGIN - left) * 72 / (11 * k * 0.52))
        wrapped = "\n".join(w for part in title.split("\n") for w in wrap(part, chars))
        return _draw_legend(ax, colours, labels, wrapped, k).get_window_extent().height / fig.dpi

    def notes_height(scale: float) -> float:
        chars = int(panel_w * 72 / (8.5 * scale * 0.52))
        return sum((0.19 * len(wrap(n, chars)) + 0.07) * scale for n in view.notes)

    avail = bottom - top - 0.15
    legend_h = place_legend(x, top)
    stacked = min(2.5, avail - legend_h - notes_height(k) - 0.15)
    if show_inset and stacked >= 1.0:
        fig.axes[-1].remove()
        inset = fig.add_axes(
            _rect(x + (panel_w - stacked * 0.62) / 2, height - top - stacked, stacked * 0.62, stacked, width, height)
        )
        _draw_inset(inset, view.inset, projected, crs)
        legend_h = place_legend(x, top + stacked + 0.15)
        block = stacked + 0.15 + legend_h
    elif show_inset:
        fig.axes[-1].remove()
        beside = max(1.0, min(2.5, panel_w * 0.4 / 0.62, avail - notes_height(k * 0.7)))
        inset = fig.add_axes(_rect(x, height - top - beside, beside * 0.62, beside, width, height))
        _draw_inset(inset, view.inset, projected, crs)
        legend_h = place_legend(x + beside * 0.62 + 0.25, top)
        block = max(beside, legend_h)
    else:
        block = legend_h
    y = top + block + 0.15
    scale = k * max(0.7, min(1.0, (bottom - y) / max(notes_height(k), 0.01)))
    chars = int(panel_w * 72 / (8.5 * scale * 0.52))
    for note in view.notes:
        for line in wrap(note, chars):
            fig.text(x / width, 1 - y / height, line, fontsize=8.5 * scale, va="top", color=MUTED, parse_math=False)
            y += 0.19 * scale
        y += 0.07 * scale


def _rect(x: float, y: float, w: float, h: float, width: float, height: float) -> list[float]:
    return [x / width, y / height, max(w, 0.1) / width, max(h, 0.1) / height]


def visible_length(value: str) -> int:
    """Characters that take horizontal space (Thai vowel and tone marks stack, they do not)."""
    return sum(1 for ch in value if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn")


def wrap(value: str, width: int) -> list[str]:
    """Break at spaces into lines of at most ``width`` visible characters (Thai writes no spaces
    between words, so a very long Thai word stays whole rather than being cut mid-syllable)."""
    lines: list[str] = []
    for word in value.split(" "):
        if lines and visible_length(lines[-1]) + 1 + visible_length(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _clip(value: str, limit: int) -> str:
    """At most ``limit`` visible characters, cut before a base letter (never orphaning a mark)."""
    if visible_length(value) <= limit:
        return value
    out, seen = "", 0
    for ch in value:
        base = not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn"
        if base and seen >= limit - 1:
            break
        seen += base
        out += ch
    return out + "…"


def _drawable(view: MapView) -> gpd.GeoDataFrame:
    frame = view.frame
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    mask = frame.geometry.notna() & ~frame.geometry.is_empty
    return frame[mask]


def _utm(frame: gpd.GeoDataFrame) -> str:
    """The UTM zone (north) of the area's centre: metres on the ground, north up."""
    try:
        west, south, east, north = frame.to_crs("EPSG:4326").total_bounds
        lon = (west + east) / 2
        zone = int((lon + 180) // 6) + 1 if math.isfinite(lon) else 47
    except ValueError:
        zone = 47
    return f"EPSG:{32600 + min(max(zone, 1), 60)}"


# --------------------------------------------------------------------------- legend


def _legend(values: Sequence[float | None], view: MapView) -> tuple[list[float], list[str], list[str], str]:
    """Breaks, colours, labels ("no data" first) and title: the dashboard's legend, or the
    caller's fixed breaks coloured from the same palette."""
    lang = view.meta.lang
    if view.not_linked:
        legend = not_linked_legend(view.metric, lang)
        return list(legend.breaks), list(legend.colours), list(legend.labels), legend.title.replace("<br>", "\n")
    if view.breaks is None:
        legend = build_legend(list(values), view.metric, lang, view.method, view.change)
        return list(legend.breaks), list(legend.colours), list(legend.labels), legend.title.replace("<br>", "\n")
    breaks = sorted(float(b) for b in view.breaks)
    palette = PALETTES["supply" if view.metric in SUPPLY_METRICS else "need"]
    if len(breaks) <= len(palette):
        colours = list(palette[len(palette) - len(breaks) :])
    else:
        cmap = colormaps["YlGnBu" if view.metric in SUPPLY_METRICS else "YlOrRd"]
        colours = [to_hex(cmap(x)) for x in np.linspace(0.1, 0.95, len(breaks))]
    present = [v for v in values if v is not None]
    labels = [t("no_value", lang), *class_labels(breaks, view.metric, min(present) if present else None)]
    return breaks, colours, labels, f"{view.label()}\n({legend_unit(view.metric, lang)})"


def _draw_legend(ax: Axes, colours: Sequence[str], labels: Sequence[str], title: str, k: float = 1.0) -> Legend:
    ax.set_axis_off()
    handles = [Patch(facecolor=NO_DATA_COLOUR, edgecolor="#9a9a9a", hatch=HATCH, linewidth=0.6)]
    handles += [Patch(facecolor=c, edgecolor="#9a9a9a", linewidth=0.6) for c in colours]
    # Highest class on top, "no data" last, as people read a legend.
    order = list(range(len(handles) - 1, 0, -1)) + [0]
    legend = ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper left",
        title=title,
        frameon=False,
        fontsize=10.5 * k,
        title_fontsize=11 * k,
        alignment="left",
        handlelength=2.2,
        handleheight=1.3,
        borderaxespad=0,
    )
    for item in [legend.get_title(), *legend.get_texts()]:
        item.set_parse_math(False)
    return legend


# --------------------------------------------------------------------------- map parts


def _draw_areas(
    ax: Axes,
    frame: gpd.GeoDataFrame,
    paths: Sequence[Path | None],
    values: Sequence[float | None],
    breaks: Sequence[float],
    colours: Sequence[str],
    view: MapView,
    k: float = 1.0,
    outline: gpd.GeoSeries | None = None,
) -> None:
    ax.set_axis_off()
    if not len(frame):
        ax.text(
            0.5,
            0.5,
            t("no_value", view.meta.lang),
            transform=ax.transAxes,
            ha="center",
            fontsize=14,
            color=MUTED,
            parse_math=False,
        )
        return
    classes = np.array([class_index(v, breaks) for v in values])
    fill = [NO_DATA_COLOUR if c == 0 else colours[c - 1] for c in classes]
    points = frame.geometry.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
    shapes = [i for i, p in enumerate(points) if not p and paths[i] is not None]
    if shapes:
        # One collection of paths made straight from the coordinates (geopandas builds a patch
        # per polygon: 1.3 s for the country's tambons), and the "no data" hatch as ONE compound
        # path: Agg sets a hatch up per path, 2.2 s for 2,800 separate hatched tambons.
        ax.add_collection(
            PathCollection([paths[i] for i in shapes], facecolors=[fill[i] for i in shapes], linewidths=0, zorder=1)
        )
        missing = [paths[i] for i in shapes if classes[i] == 0]
        if missing:
            ax.add_patch(
                PathPatch(
                    Path.make_compound_path(*missing),
                    facecolor="none",
                    edgecolor="#a3a3a3",
                    hatch=HATCH,
                    linewidth=0,
                    zorder=1.1,
                )
            )
        # Thin the borders as areas multiply, or 7,000 tambons turn into white lines.
        width = 0.8 if len(shapes) <= 300 else 0.4 if len(shapes) <= 1500 else 0.12
        ax.add_collection(
            PathCollection(
                [paths[i] for i in shapes], facecolors="none", edgecolors="white", linewidths=width, zorder=1.2
            )
        )
    if outline is not None and len(outline):
        # The mapped area's own boundary (a tambon around its villages), above its children.
        outline.plot(ax=ax, facecolor="none", edgecolor=INK, linewidth=1.2, zorder=2)
    markers = None
    if points.any():
        markers = (
            frame[points]
            .plot(
                ax=ax,
                color=[f for f, p in zip(fill, points) if p],
                markersize=60,
                edgecolor="#333333",
                linewidth=0.8,
                zorder=6,  # above the names: a name never hides its village
            )
            .collections[-1]
        )
    bounds = frame.total_bounds
    if outline is not None and len(outline):
        ob = outline.total_bounds
        bounds = [min(bounds[0], ob[0]), min(bounds[1], ob[1]), max(bounds[2], ob[2]), max(bounds[3], ob[3])]
    _fit(ax, bounds, pad=0.04)
    if len(frame) <= view.label_limit:
        _names(ax, frame, points, view.meta.lang, k, markers)


# Projected geometries and their matplotlib paths, kept per process (a render worker draws the
# same national tambons again and again, as the page keeps its geometry files). Keyed by the
# geometries' own bytes and the projection, so new boundaries are never drawn from an old entry.
_PROJECTED: OrderedDict[str, tuple[gpd.GeoSeries, list[Path | None]]] = OrderedDict()
_PROJECTED_KEPT = 6
_projected_lock = threading.Lock()


def _projected(frame: gpd.GeoDataFrame, crs: str) -> tuple[gpd.GeoDataFrame, list[Path | None]]:
    """``frame`` in ``crs`` and one path per row (None for points and empty geometries)."""
    if not len(frame):
        return frame, []
    geoms = frame.geometry.to_numpy()
    digest = hashlib.blake2b(digest_size=16)
    for w in shapely.to_wkb(geoms):
        digest.update(w if w is not None else b"\0")
    key = f"{crs}:{len(geoms)}:{digest.hexdigest()}"
    with _projected_lock:
        found = _PROJECTED.get(key)
        if found is not None:
            _PROJECTED.move_to_end(key)
    if found is None:
        series = frame.geometry.to_crs(crs)
        found = (series, _paths(series.to_numpy()))
        with _projected_lock:
            _PROJECTED[key] = found
            while len(_PROJECTED) > _PROJECTED_KEPT:
                _PROJECTED.popitem(last=False)
    series, paths = found
    projected = frame.set_geometry(gpd.GeoSeries(series.to_numpy(), index=frame.index, crs=crs))
    return projected, paths


def _paths(geoms: np.ndarray) -> list[Path | None]:
    """Polygon rings of each geometry as one compound path, made with array operations."""
    out: list[Path | None] = [None] * len(geoms)
    polygonal = shapely.get_type_id(geoms)
    keep = np.flatnonzero(np.isin(polygonal, (3, 6)) & ~shapely.is_empty(geoms))  # Polygon, MultiPolygon
    if not len(keep):
        return out
    parts, part_of = shapely.get_parts(geoms[keep], return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    starts = np.r_[0, np.flatnonzero(np.diff(coord_of)) + 1]
    ends = np.r_[starts[1:], len(coords)] - 1
    codes[starts] = Path.MOVETO
    codes[ends] = Path.CLOSEPOLY
    geom_of_coord = part_of[ring_of[coord_of]]
    bounds = np.r_[0, np.flatnonzero(np.diff(geom_of_coord)) + 1, len(coords)]
    for a, b in zip(bounds[:-1], bounds[1:]):
        out[keep[geom_of_coord[a]]] = Path(coords[a:b], codes[a:b])
    return out


def _names(
    ax: Axes,
    frame: gpd.GeoDataFrame,
    points: np.ndarray,
    lang: str,
    k: float = 1.0,
    markers: Collection | None = None,
) -> None:
    """Area names that never overlap: each name tries a few places (beside its village's
    marker, or over the area's inside) and takes the first that meets no name already placed
    and no marker; a name with no free place is left out rather than printed over another.
    Every halo is drawn under every name, so a halo never cuts a
    neighbour's vowel or tone mark (a stroked text drawn name by name would)."""
    fig = ax.figure
    renderer = _renderer(fig)
    ax.apply_aspect()
    size = 8 * k
    gap = size * 0.9  # points between a marker's centre and its name
    taken = []
    if markers is not None:
        radius = math.sqrt(60) / 2 * fig.dpi / 72 + 1
        for x, y in ax.transData.transform(markers.get_offsets()):
            taken.append((x - radius, y - radius, x + radius, y + radius))
    names = frame.get("name_en", frame["name_th"])
    order = sorted(range(len(frame)), key=lambda i: -frame.geometry.iloc[i].area)  # big areas first
    for i in order:
        name_th, name_en, geom = frame["name_th"].iloc[i], names.iloc[i], frame.geometry.iloc[i]
        name = str((name_en or name_th) if lang == "en" else name_th)
        if points[i]:
            point = geom if geom.geom_type == "Point" else geom.representative_point()
            tries = [
                ((gap, 0), "left", "center"),
                ((-gap, 0), "right", "center"),
                ((0, gap), "center", "bottom"),
                ((0, -gap), "center", "top"),
                ((gap * 0.7, gap * 0.7), "left", "bottom"),
                ((-gap * 0.7, gap * 0.7), "right", "bottom"),
                ((gap * 0.7, -gap * 0.7), "left", "top"),
                ((-gap * 0.7, -gap * 0.7), "right", "top"),
            ]
        else:
            point = geom.representative_point()
            tries = [
                ((0, 0), "center", "center"),
                ((0, size * 1.3), "center", "center"),
                ((0, -size * 1.3), "center", "center"),
            ]
        for offset, ha, va in tries:
            # the name, and under it its halo, placed alike
            placed = dict(
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=size,
                parse_math=False,
                annotation_clip=False,
            )
            label = ax.annotate(name, (point.x, point.y), color=INK, zorder=5, **placed)
            box = label.get_window_extent(renderer)
            rect = (box.x0 - 1, box.y0 - 1, box.x1 + 1, box.y1 + 1)
            if not any(_overlap(rect, other) for other in taken):
                taken.append(rect)
                label.set_gid("name")
                halo = ax.annotate(
                    name,
                    (point.x, point.y),
                    color="white",
                    zorder=4,
                    **placed,
                    # beside a village marker a soft box, so the tambon's outline never runs
                    # through a name; over a filled area a halo, to keep its colour seen
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85)
                    if points[i]
                    else None,
                    path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
                )
                halo.set_gid("halo")
                break
            label.remove()


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _renderer(fig: Figure):  # noqa: ANN202 - a backend's renderer
    """A renderer to measure texts with (Agg's: the same font metrics as every format)."""
    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):
        canvas = FigureCanvasAgg(fig)
    return canvas.get_renderer()


def _nice(length: float) -> float:
    """The largest 1, 2, 2.5 or 5 × 10^k not above ``length``."""
    power = 10 ** math.floor(math.log10(length))
    return max(m * power for m in (1, 2, 2.5, 5) if m * power <= length)


def _scale_bar(ax: Axes, lang: str, k: float = 1.0) -> None:
    """Four alternating segments along the bottom left, in kilometres (metres when short)."""
    ax.apply_aspect()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    span = x1 - x0
    if not math.isfinite(span) or span <= 0:
        return
    length = _nice(span * 0.25)
    left, bottom, bar = x0 + span * 0.03, y0 + (y1 - y0) * 0.035, (y1 - y0) * 0.012
    for n in range(4):
        ax.add_patch(
            Rectangle(
                (left + n * length / 4, bottom),
                length / 4,
                bar,
                facecolor=INK if n % 2 == 0 else "white",
                edgecolor=INK,
                linewidth=0.8,
                zorder=5,
            )
        )
    km = length >= 1000
    unit = t("km", lang) if km else ("ม." if lang == "th" else "m")

    def label(metres: float) -> str:
        value = metres / 1000 if km else metres
        return f"{value:,.2f}".rstrip("0").rstrip(".")

    for metres in (0, length / 2, length):
        ax.text(
            left + metres,
            bottom + bar * 1.8,
            label(metres),
            ha="center",
            va="bottom",
            fontsize=8.5 * k,
            color=INK,
            parse_math=False,
            zorder=5,
        )
    ax.text(
        left + length + span * 0.012,
        bottom + bar / 2,
        unit,
        ha="left",
        va="center",
        fontsize=8.5 * k,
        color=INK,
        parse_math=False,
        zorder=5,
    )


def _north_arrow(ax: Axes, k: float = 1.0) -> None:
    """A split arrowhead pointing to grid north (within a degree of true north in UTM)."""
    x, y, w, h = 0.955, 0.86, 0.018, 0.075
    t = ax.transAxes
    ax.add_patch(
        Polygon(
            [(x, y + h), (x - w, y), (x, y + h * 0.28)],
            closed=True,
            transform=t,
            facecolor=INK,
            edgecolor=INK,
            linewidth=0.8,
            zorder=6,
        )
    )
    ax.add_patch(
        Polygon(
            [(x, y + h), (x + w, y), (x, y + h * 0.28)],
            closed=True,
            transform=t,
            facecolor="white",
            edgecolor=INK,
            linewidth=0.8,
            zorder=6,
        )
    )
    ax.text(
        x,
        y + h + 0.012,
        "N",
        transform=t,
        ha="center",
        va="bottom",
        fontsize=13 * k,
        weight="bold",
        color=INK,
        parse_math=False,
        zorder=6,
    )


def _draw_inset(ax: Axes, provinces: gpd.GeoDataFrame, area: gpd.GeoDataFrame, crs: str) -> None:
    """Thailand's provinces in light grey with the mapped area filled, to say where it is."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#bbbbbb")
    country = provinces if provinces.crs is not None else provinces.set_crs("EPSG:4326")
    country = country.to_crs(crs)
    country.plot(ax=ax, facecolor="#f2f2f2", edgecolor="#b5b5b5", linewidth=0.3)
    if len(area):
        area.plot(ax=ax, facecolor="#d7301f", edgecolor="#d7301f", linewidth=0.4, markersize=4)
    ax.set_xlabel("")
    ax.set_ylabel("")
    _fit(ax, country.total_bounds, pad=0.02)


def _fit(ax: Axes, bounds: Sequence[float], pad: float) -> None:
    """Limits around ``bounds`` widened to the axes' own shape, so equal scale on both axes
    needs no change of the box or the limits (and the scale bar reads true)."""
    west, south, east, north = bounds
    margin = max(east - west, north - south) * pad + 500
    west, south, east, north = west - margin, south - margin, east + margin, north + margin
    box = ax.get_position(original=True)
    fig_w, fig_h = ax.figure.get_size_inches()
    box_ratio = (box.height * fig_h) / (box.width * fig_w)
    w, h = east - west, north - south
    if h / w < box_ratio:
        grow = (w * box_ratio - h) / 2
        south, north = south - grow, north + grow
    else:
        grow = (h / box_ratio - w) / 2
        west, east = west - grow, east + grow
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal", adjustable="box")
