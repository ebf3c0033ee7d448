/* planmap: the grids' own texts in the page's language, keyboard use of the section tabs and the
   ranking (Enter on a row drills down, as a click does), screen-reader names, and an image of the
   map for printing (the map is WebGL: a canvas prints blank, so a PNG of it is kept ready). */
(function () {
  "use strict";

  function pageLang() {
    return new URLSearchParams(window.location.search).get("lang") === "en" ? "en" : "th";
  }

  // ------------------------------------------------------------------ grid texts
  var fns = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  var known = null; // {th: {...}, en: {...}} as the server sent it (i18n.grid_text_function)
  fns.planmapGridText = function (params, texts) {
    if (texts) known = texts;
    var own = (texts && texts[pageLang()]) || {};
    return Object.prototype.hasOwnProperty.call(own, params.key) ? own[params.key] : params.defaultValue;
  };

  // AG Grid asks for a text when it draws a part; the paging panel is drawn once, so after a
  // change of language its fixed words are swapped here.
  var EN_DEFAULT = {
    page: "Page",
    of: "of",
    to: "to",
    more: "more",
    noRowsToShow: "No Rows To Show",
    pageSizeSelectorLabel: "Page Size:",
  };
  function swapGridWords(lang) {
    if (!known) return;
    var target = known[lang] || {};
    var other = known[lang === "en" ? "th" : "en"] || {};
    var map = {};
    Object.keys(EN_DEFAULT).forEach(function (key) {
      var to = target[key] || EN_DEFAULT[key];
      [other[key], EN_DEFAULT[key], (known.th || {})[key]].forEach(function (from) {
        if (from && from !== to) map[from] = to;
      });
    });
    document.querySelectorAll(".ag-paging-panel span, .ag-paging-panel .ag-label, .ag-overlay-no-rows-center").forEach(function (el) {
      var ref = el.getAttribute("data-ref") || "";
      if (el.children.length === 0 && ref.indexOf("lb") !== 0) {
        var text = el.textContent.trim();
        if (Object.prototype.hasOwnProperty.call(map, text)) el.textContent = map[text];
      }
    });
  }

  // ------------------------------------------------------------------ keyboard and names
  var SR = {
    th: { map: "แผนที่ คลิกพื้นที่เพื่อดูรายละเอียด", sections: "ส่วนของหน้า", print: "แผนที่ (ภาพสำหรับพิมพ์)" },
    en: { map: "Map: click an area to drill down", sections: "Sections of the page", print: "Map (image for printing)" },
  };

  function label() {
    var lang = pageLang();
    document.documentElement.setAttribute("lang", lang);
    document.querySelectorAll(".view-tab, #tabs .tab, .tab").forEach(function (tab) {
      if (!tab.hasAttribute("tabindex")) tab.setAttribute("tabindex", "0");
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", tab.classList.contains("tab--selected") || tab.classList.contains("selected") ? "true" : "false");
      if (tab.classList.contains("tab--disabled")) tab.setAttribute("aria-disabled", "true");
    });
    document.querySelectorAll(".view-tabs, .tab-container").forEach(function (list) {
      list.setAttribute("role", "tablist");
      if (list.classList.contains("view-tabs")) list.setAttribute("aria-label", SR[lang].sections);
    });
    var map = document.getElementById("map");
    if (map) {
      map.setAttribute("role", "region");
      map.setAttribute("aria-label", SR[lang].map);
    }
    var ranking = document.getElementById("ranking");
    var title = document.getElementById("ranking-title");
    if (ranking && title) {
      ranking.querySelectorAll("[role=grid], [role=treegrid]").forEach(function (grid) {
        grid.setAttribute("aria-labelledby", "ranking-title");
      });
    }
    var img = document.getElementById("map-print");
    if (img) img.setAttribute("alt", SR[lang].print);
    // the map's area list (views.side_list): dcc.Link takes no aria-label, its title is the name
    document.querySelectorAll("a.area-link[title]").forEach(function (a) {
      if (a.getAttribute("aria-label") !== a.title) a.setAttribute("aria-label", a.title);
    });
    // a control's visible label names what receives the focus inside it (a dropdown's button)
    document.querySelectorAll(".control > label[id]").forEach(function (lab) {
      lab.parentNode
        .querySelectorAll("button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), [role=combobox]")
        .forEach(function (el) {
          if (!el.closest("label") && !el.hasAttribute("aria-label")) el.setAttribute("aria-labelledby", lab.id);
        });
    });
    document.querySelectorAll("input[placeholder]:not([aria-labelledby])").forEach(function (el) {
      if (el.hasAttribute("aria-label") && !el.hasAttribute("data-pm-named")) return;
      el.setAttribute("aria-label", el.getAttribute("placeholder")); // follows the language
      el.setAttribute("data-pm-named", "1");
    });
    var langs = document.getElementById("lang");
    if (langs) {
      langs.setAttribute("role", "radiogroup");
      langs.setAttribute("aria-label", lang === "en" ? "Language" : "ภาษา");
    }
  }

  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      var target = event.target;
      if (!target || !target.closest) return;
      // a ranking row: Enter drills down, exactly as a click on it does
      var cell = target.closest("#ranking .ag-cell, #ranking .ag-row");
      if (cell && event.key === "Enter") {
        var row = cell.classList.contains("ag-row") ? cell.querySelector(".ag-cell") : cell;
        if (row) {
          event.preventDefault();
          event.stopPropagation();
          row.click();
        }
        return;
      }
      // a section tab (a div to Dash): Enter or Space selects it
      var tab = target.closest("[role=tab]");
      if (tab && tab === target) {
        event.preventDefault();
        tab.click();
      }
    },
    true
  );

  // ------------------------------------------------------------------ the map for printing
  var pending = null;
  function snapshot() {
    var gd = document.querySelector("#map .js-plotly-plot");
    if (!gd || !window.Plotly || !gd._fullLayout || !gd.data || !gd.data.length) return;
    var width = gd.clientWidth || 1000;
    var height = gd.clientHeight || 700;
    window.Plotly.toImage(gd, { format: "png", width: width, height: height })
      .then(function (url) {
        var img = document.getElementById("map-print");
        var host = document.getElementById("map");
        if (!host) return;
        if (!img) {
          img = document.createElement("img");
          img.id = "map-print";
          img.className = "map-print";
          host.parentNode.insertBefore(img, host.nextSibling);
        }
        img.setAttribute("alt", SR[pageLang()].print);
        img.src = url;
        img.setAttribute("data-ready", String(Date.now()));
      })
      .catch(function () {});
  }
  function later() {
    if (pending) clearTimeout(pending);
    pending = setTimeout(snapshot, 900);
  }
  function watchMap() {
    var gd = document.querySelector("#map .js-plotly-plot");
    if (gd && gd.on && !gd._planmapPrint) {
      gd._planmapPrint = true;
      gd.on("plotly_afterplot", later);
      later();
    }
  }
  window.addEventListener("beforeprint", function () {
    var img = document.getElementById("map-print");
    if (!img || !img.src) snapshot();
  });
  window.planmapPrintSnapshot = snapshot;

  // ------------------------------------------------------------------ whole tables on paper
  // AG Grid draws only the rows in view (and a few more): on paper a table would stop there, and
  // a grid laid out again for print (domLayout "print") draws its rows a frame or more later than
  // the browser lays the page out. So, as printing starts, every grid in view gets a plain copy
  // made at once: its columns as shown, every row of its current page (all rows of a grid
  // without pages), in its sort and filter, as the cells show them. On paper the copy prints in
  // the grid's place (planmap.css); it is removed afterwards.
  var printed = [];
  function gridsInView() {
    var out = [];
    document.querySelectorAll(".ag-root-wrapper").forEach(function (root) {
      var host = root.parentNode && root.parentNode.closest ? root.parentNode.closest("[id]") : null;
      if (!host || !host.offsetParent || !window.dash_ag_grid || !window.dash_ag_grid.getApi) return;
      var api = null;
      try {
        api = window.dash_ag_grid.getApi(host.id);
      } catch (e) {
        api = null; // not ready yet
      }
      if (api && !api.isDestroyed()) out.push({ host: host, api: api });
    });
    return out;
  }
  function rowsOf(api) {
    var nodes = [];
    var count = api.getDisplayedRowCount();
    var first = 0;
    var last = count - 1;
    if (api.getGridOption("pagination")) {
      var size = api.paginationGetPageSize();
      first = api.paginationGetCurrentPage() * size;
      last = Math.min(first + size, count) - 1;
    }
    for (var i = first; i <= last; i++) {
      var node = api.getDisplayedRowAtIndex(i);
      if (node && node.data) nodes.push(node);
    }
    return nodes;
  }
  function paperCopy(api) {
    var columns = api.getAllDisplayedColumns().filter(function (col) {
      return api.getDisplayNameForColumn(col, "header") || col.getColDef().field;
    });
    var table = document.createElement("table");
    table.className = "grid-print";
    var head = table.createTHead().insertRow();
    columns.forEach(function (col) {
      var th = document.createElement("th");
      th.textContent = api.getDisplayNameForColumn(col, "header") || "";
      head.appendChild(th);
    });
    var body = table.createTBody();
    rowsOf(api).forEach(function (node) {
      var tr = body.insertRow();
      columns.forEach(function (col) {
        var td = tr.insertCell();
        var raw = api.getCellValue({ rowNode: node, colKey: col });
        var shown = api.getCellValue({ rowNode: node, colKey: col, useFormatter: true });
        td.textContent = shown === null || shown === undefined ? "" : String(shown);
        if (typeof raw === "number") td.className = "num";
      });
    });
    return table;
  }
  function gridsForPaper() {
    if (printed.length) return;
    gridsInView().forEach(function (g) {
      if (!g.api.getDisplayedRowCount()) return; // an empty grid prints as it is
      var copy;
      try {
        copy = paperCopy(g.api);
      } catch (e) {
        return; // the grid prints as drawn
      }
      g.host.parentNode.insertBefore(copy, g.host.nextSibling);
      g.host.classList.add("grid-on-paper");
      printed.push({ host: g.host, copy: copy });
    });
  }
  function gridsForScreen() {
    printed.forEach(function (g) {
      g.host.classList.remove("grid-on-paper");
      if (g.copy.parentNode) g.copy.parentNode.removeChild(g.copy);
    });
    printed = [];
  }
  window.addEventListener("beforeprint", gridsForPaper);
  window.addEventListener("afterprint", gridsForScreen);
  window.planmapPrintGrids = { paper: gridsForPaper, screen: gridsForScreen }; // for tests and the console

  // ------------------------------------------------------------------ follow the page
  var lastLang = null;
  function tick() {
    label();
    watchMap();
    var lang = pageLang();
    if (lang !== lastLang) {
      lastLang = lang;
      swapGridWords(lang);
    }
  }
  var queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      tick();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  setInterval(tick, 1000);
})();
