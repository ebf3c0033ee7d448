/* planmap: the map shows the selected area whole on the panel's real size, names its areas where
   the names fit, and offers planmap's own map export in its toolbar.

   A map figure carries layout.meta.planmap (dashboard.figures.map_meta):
     bounds   [west, south, east, north] of the selected area (the country's at national level)
     padding  px between those bounds and the edge of the panel
     labels   [[code, name, lon, lat], ...] the areas to name (lon/lat: a label point, or null)
     points   true when the areas are points (villages): names go under their markers
     download the title of the download button (absent: no button)

   Fitting. After each plot, and when the panel changes size, MapLibre's fitBounds frames the
   bounds on the canvas as it is (clear of the legend where the panel is wide enough). The move is made as a "GUI" move of plotly's (it carries an
   originalEvent), so plotly stores it as the view of this uirevision: the next figure of the same
   view (another metric, another year) keeps it instead of the server's first guess, and the
   "reset" button returns to it. Once the reader pans or zooms a view, it is theirs until the view
   changes (another area or level); a resize then keeps their view too.

   Names. Plain text in the page's fonts (a map symbol layer would fetch glyphs from the internet),
   larger areas first; a name is shown only inside the map, away from the legend and the toolbar,
   over no other name, and - for polygons - when it is not much wider than its area on screen. */
(function () {
  "use strict";

  var FIT = "planmap-fit"; // originalEvent.type of the moves this script makes
  var MAX_ZOOM = 15;
  var GAP = 3; // px kept free around a name

  function metaOf(gd) {
    var meta = gd.layout && gd.layout.meta;
    return meta && meta.planmap && meta.planmap.bounds ? meta.planmap : null;
  }

  function subplotOf(gd) {
    var full = gd._fullLayout;
    var sp = full && full.map && full.map._subplot;
    return sp && sp.map ? sp : null;
  }

  function stateOf(gd) {
    if (!gd._planmapMap) {
      gd._planmapMap = { key: null, size: null, view: null, user: false, userView: null, layout: null, fitting: false };
    }
    return gd._planmapMap;
  }

  function viewOf(map) {
    var c = map.getCenter();
    return { lon: c.lng, lat: c.lat, zoom: map.getZoom() };
  }

  function sameView(a, b) {
    return (
      !!a && !!b && Math.abs(a.zoom - b.zoom) < 1e-3 && Math.abs(a.lon - b.lon) < 1e-5 && Math.abs(a.lat - b.lat) < 1e-5
    );
  }

  function sizeOf(map) {
    var el = map.getContainer();
    return el.clientWidth + "x" + el.clientHeight;
  }

  // ------------------------------------------------------------------ fitting

  function keyOf(gd, meta) {
    return String(gd.layout.uirevision) + "|" + meta.bounds.join(",");
  }

  function wanted(st) {
    return st.user ? st.userView : st.view;
  }

  function jump(gd, sp, view) {
    /* move the map as a reader would (plotly and dcc.Graph's figure follow the move) */
    var st = stateOf(gd);
    st.fitting = true;
    try {
      sp.map.jumpTo({ center: [view.lon, view.lat], zoom: view.zoom }, { originalEvent: { type: FIT } });
    } finally {
      st.fitting = false;
    }
  }

  function fit(gd) {
    var meta = metaOf(gd);
    var sp = subplotOf(gd);
    if (!meta || !sp) return;
    var map = sp.map;
    var st = stateOf(gd);
    var key = keyOf(gd, meta);
    map.resize(); // the canvas follows its container (plotly sizes the container)
    if (!map.getContainer().clientWidth || !map.getContainer().clientHeight) return; // hidden
    var size = sizeOf(map);
    var fresh = gd.layout !== st.layout; // a new figure, not a relayout of this one
    st.layout = gd.layout;
    if (key === st.key && size === st.size) {
      // The same view on the same panel. A new figure of it (another metric, another year)
      // comes with the server's first guess of the view: put back the fitted view, or the
      // reader's. A relayout of the same figure is the reader's own (the modebar's zoom,
      // "reset"; plotly_relayout tells which after this plot): leave it.
      var view = wanted(st);
      if (fresh && view && !sameView(viewOf(map), view)) jump(gd, sp, view);
      return;
    }
    if (key === st.key && st.user) return; // a new size: the reader's view stays theirs
    st.user = key === st.key && st.user;
    var b = meta.bounds;
    st.fitting = true;
    try {
      map.fitBounds(
        [
          [b[0], b[1]],
          [b[2], b[3]],
        ],
        { padding: padding(gd, map, meta), animate: false, maxZoom: MAX_ZOOM },
        { originalEvent: { type: FIT } }
      );
    } finally {
      st.fitting = false;
    }
    st.key = key;
    st.size = size;
    st.view = viewOf(map);
    // plotly's "reset view" goes back to the view it saw first: make that the fitted one
    sp.viewInitial = {
      center: { lon: st.view.lon, lat: st.view.lat },
      zoom: st.view.zoom,
      bearing: map.getBearing(),
      pitch: map.getPitch(),
    };
    place(gd);
  }

  function padding(gd, map, meta) {
    /* The margin on every side; on the left, room for the legend when the panel is wide enough
       to spare it (on a phone the legend sits over the map). */
    var el = map.getContainer();
    var pad = Math.max(0, Math.min(meta.padding || 0, el.clientWidth / 8, el.clientHeight / 8));
    var out = { top: pad, bottom: pad, left: pad, right: pad };
    var legend = gd.querySelector(".colorbar");
    if (legend) {
      var width = legend.getBoundingClientRect().right - el.getBoundingClientRect().left;
      if (width > 0 && width < el.clientWidth * 0.3) out.left = Math.round(width) + pad;
    }
    return out;
  }

  function beforePlot(gd) {
    /* A new figure of the view on screen: draw it at the view kept (no flash of the server's
       first guess). Plotly reads the view from the layout it is given. */
    var meta = metaOf(gd);
    var st = stateOf(gd);
    var view = wanted(st);
    if (!meta || !view || keyOf(gd, meta) !== st.key || !gd.layout.map) return;
    [gd.layout.map, gd._fullLayout && gd._fullLayout.map].forEach(function (m) {
      if (!m) return;
      m.center = { lon: view.lon, lat: view.lat };
      m.zoom = view.zoom;
    });
  }

  function onRelayout(gd, edit) {
    var st = stateOf(gd);
    if (st.fitting || !edit) return;
    var moved = Object.keys(edit).some(function (k) {
      return k.indexOf("map.center") === 0 || k.indexOf("map.zoom") === 0;
    });
    var sp = subplotOf(gd);
    if (moved && sp) {
      st.userView = viewOf(sp.map);
      st.user = !sameView(st.userView, st.view); // "reset" is not a move away
    }
    if (!moved && ("autosize" in edit || "width" in edit || "height" in edit)) later(gd);
  }

  // ------------------------------------------------------------------ names

  function extents(gd) {
    /* code -> [west, south, east, north] of the areas drawn from a GeoJSON plotly fetched */
    var out = {};
    var assets = window.PlotlyGeoAssets || {};
    (gd.data || []).forEach(function (trace) {
      var geo = typeof trace.geojson === "string" ? assets[trace.geojson] : trace.geojson;
      if (!geo || !geo.features || !trace.locations || !trace.locations.length) return;
      var want = {};
      trace.locations.forEach(function (c) {
        want[c] = true;
      });
      geo.features.forEach(function (f) {
        if (!want[f.id] || out[f.id] || !f.geometry) return;
        var box = [Infinity, Infinity, -Infinity, -Infinity];
        (function walk(c) {
          if (typeof c[0] === "number") {
            if (c[0] < box[0]) box[0] = c[0];
            if (c[1] < box[1]) box[1] = c[1];
            if (c[0] > box[2]) box[2] = c[0];
            if (c[1] > box[3]) box[3] = c[1];
          } else c.forEach(walk);
        })(f.geometry.coordinates);
        if (box[0] <= box[2]) out[f.id] = box;
      });
    });
    return out;
  }

  function layerOf(sp) {
    var host = sp.map.getContainer();
    var layer = host.querySelector(":scope > .map-labels");
    if (!layer) {
      layer = document.createElement("div");
      layer.className = "map-labels";
      layer.setAttribute("aria-hidden", "true");
      host.appendChild(layer);
    }
    return layer;
  }

  function build(gd) {
    var meta = metaOf(gd);
    var sp = subplotOf(gd);
    if (!sp) return;
    var labels = (meta && meta.labels) || [];
    var signature = JSON.stringify(labels) + "|" + (gd.data || []).map(function (t) {
      return typeof t.geojson === "string" ? t.geojson : "";
    });
    var layer = layerOf(sp);
    var st = stateOf(gd);
    if (st.labels && st.labels.signature === signature && st.labels.layer === layer) {
      if (!st.labels.complete && labels.length) {
        // the geometry may have arrived since: fill in the extents of the polygons
        var boxes = extents(gd);
        st.labels.complete = st.labels.items.every(function (item) {
          if (!meta.points && !item.box) item.box = boxes[item.code] || null;
          return meta.points || !!item.box;
        });
        complete(st.labels.items);
      }
      return;
    }
    layer.textContent = "";
    var boxes = meta && !meta.points ? extents(gd) : {};
    var items = labels.map(function (l) {
      var el = document.createElement("span");
      el.className = "map-label";
      el.textContent = l[1];
      el.setAttribute("data-code", l[0]);
      layer.appendChild(el);
      return { code: l[0], lon: l[2], lat: l[3], el: el, box: boxes[l[0]] || null, w: 0, h: 0 };
    });
    items.forEach(function (item) {
      item.w = item.el.offsetWidth;
      item.h = item.el.offsetHeight;
    });
    complete(items);
    st.labels = {
      signature: signature,
      layer: layer,
      items: items,
      points: !!(meta && meta.points),
      complete: !!(meta && meta.points) || items.every(function (i) { return !!i.box; }),
    };
  }

  function complete(items) {
    items.forEach(function (item) {
      if ((item.lon === null || item.lat === null) && item.box) {
        item.lon = (item.box[0] + item.box[2]) / 2;
        item.lat = (item.box[1] + item.box[3]) / 2;
      }
      item.area = item.box ? (item.box[2] - item.box[0]) * (item.box[3] - item.box[1]) : 0;
    });
    items.sort(function (a, b) {
      return b.area - a.area;
    });
  }

  function obstacles(gd, host) {
    var origin = host.getBoundingClientRect();
    var out = [];
    gd.querySelectorAll(".colorbar, .modebar").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width && r.height)
        out.push([r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]);
    });
    return out;
  }

  function place(gd) {
    var st = stateOf(gd);
    var sp = subplotOf(gd);
    if (!st.labels || !sp) return;
    var map = sp.map;
    var host = map.getContainer();
    var width = host.clientWidth;
    var height = host.clientHeight;
    var taken = obstacles(gd, host);
    st.labels.items.forEach(function (item) {
      var show = item.lon !== null && item.lat !== null && item.w > 0;
      var x = 0;
      var y = 0;
      if (show) {
        var p = map.project([item.lon, item.lat]);
        x = p.x - item.w / 2;
        y = st.labels.points ? p.y + 9 : p.y - item.h / 2;
        show = x >= GAP && y >= GAP && x + item.w <= width - GAP && y + item.h <= height - GAP;
      }
      if (show && item.box) {
        var nw = map.project([item.box[0], item.box[3]]);
        var se = map.project([item.box[2], item.box[1]]);
        show = se.x - nw.x >= item.w * 0.8 && se.y - nw.y >= item.h;
      }
      var rect = [x - GAP, y - GAP, x + item.w + GAP, y + item.h + GAP];
      if (show) {
        show = !taken.some(function (r) {
          return rect[0] < r[2] && rect[2] > r[0] && rect[1] < r[3] && rect[3] > r[1];
        });
      }
      if (show) {
        taken.push(rect);
        item.el.style.transform = "translate(" + Math.round(x) + "px," + Math.round(y) + "px)";
        item.el.style.visibility = "visible";
      } else {
        item.el.style.visibility = "hidden";
      }
      item.shown = show;
    });
  }

  // ------------------------------------------------------------------ the download button

  var ICON = "M11 3h2v9.2l3.3-3.3 1.4 1.4L12 16 6.3 10.3l1.4-1.4 3.3 3.3z M5 18h14v2H5z";

  function exportHref() {
    var link = document.querySelector("#exports a.export-link[href*='/_planmap/export/map.png']");
    return link ? link.getAttribute("href") : null;
  }

  function download(gd) {
    var meta = metaOf(gd);
    var bar = gd.querySelector(".modebar");
    if (!meta || !meta.download || !bar) return;
    var button = bar.querySelector(".planmap-download");
    if (!button) {
      var group = document.createElement("div");
      group.className = "modebar-group";
      button = document.createElement("a");
      button.className = "modebar-btn planmap-download";
      button.setAttribute("rel", "noopener");
      button.setAttribute("target", "_blank");
      var svgNS = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("class", "icon");
      svg.setAttribute("height", "1em");
      svg.setAttribute("width", "1em");
      var path = document.createElementNS(svgNS, "path");
      path.setAttribute("d", ICON);
      svg.appendChild(path);
      button.appendChild(svg);
      var sync = function () {
        var href = exportHref();
        if (href) button.setAttribute("href", href);
      };
      button.addEventListener("mouseenter", sync);
      button.addEventListener("focus", sync);
      button.addEventListener("mousedown", sync);
      group.appendChild(button);
      bar.appendChild(group);
    }
    button.setAttribute("data-title", meta.download);
    button.setAttribute("aria-label", meta.download);
    var href = exportHref();
    if (href) button.setAttribute("href", href);
    button.parentNode.style.display = href ? "" : "none";
  }

  // ------------------------------------------------------------------ wiring

  function later(gd) {
    if (gd._planmapTimer) clearTimeout(gd._planmapTimer);
    gd._planmapTimer = setTimeout(function () {
      gd._planmapTimer = null;
      update(gd);
    }, 60);
  }

  function update(gd) {
    if (!metaOf(gd) || !subplotOf(gd)) return;
    build(gd);
    fit(gd);
    place(gd);
    download(gd);
  }

  function watchMap(gd) {
    var sp = subplotOf(gd);
    if (!sp || sp.map._planmapWatched) return;
    sp.map._planmapWatched = true;
    var queued = false;
    sp.map.on("move", function () {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        place(gd);
      });
    });
    sp.map.on("moveend", function () {
      place(gd);
    });
  }

  function attach(gd) {
    if (gd._planmapFitWatched || typeof gd.on !== "function") return;
    gd._planmapFitWatched = true;
    gd.on("plotly_afterplot", function () {
      watchMap(gd);
      update(gd);
    });
    gd.on("plotly_beforeplot", function () {
      beforePlot(gd);
    });
    gd.on("plotly_relayout", function (edit) {
      onRelayout(gd, edit);
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        later(gd);
      }).observe(gd);
    }
    watchMap(gd);
    update(gd);
  }

  function scan() {
    document.querySelectorAll(".js-plotly-plot").forEach(attach);
  }

  var queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      scan();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", function () {
    document.querySelectorAll(".js-plotly-plot").forEach(later);
  });
  scan();

  window.planmapMap = { fit: fit, place: place, update: update }; // for tests and the console
})();
