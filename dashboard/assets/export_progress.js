/* planmap: feedback while an export is made. A click on an export link (views.export_links)
   fetches the file instead of opening a tab that stays blank for seconds: the link says
   "กำลังสร้างไฟล์…" / "Preparing the file…" (aria-busy, announced politely) until the response
   arrives, then the file is saved under the server's name. A full queue (429) opens the server's
   self-retrying page in a new tab, as the plain link did; an error is said on the link for a while.
   Once the page shows its export links it asks the server, once, to start a render worker, so the
   first export does not wait for one to start (dashboard.exports.web.WARM_ROUTE). */
(function () {
  "use strict";

  var ROUTE = "/_planmap/export/";
  var TEXTS = {
    th: { busy: "กำลังสร้างไฟล์…", failed: "สร้างไฟล์ไม่สำเร็จ" },
    en: { busy: "Preparing the file…", failed: "The file could not be made" },
  };

  function lang() {
    var page = document.documentElement.getAttribute("lang");
    if (new URLSearchParams(window.location.search).get("lang") === "en") return "en";
    return page === "en" ? "en" : "th";
  }

  function exportLink(target) {
    var link = target && target.closest ? target.closest("a.export-link") : null;
    return link && link.href.indexOf(ROUTE) !== -1 ? link : null;
  }

  function announcer() {
    var live = document.getElementById("planmap-export-status");
    if (!live) {
      live = document.createElement("div");
      live.id = "planmap-export-status";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      live.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);";
      document.body.appendChild(live);
    }
    return live;
  }

  function setBusy(link, busy, text) {
    if (busy) {
      link.dataset.planmapLabel = link.dataset.planmapLabel || link.textContent;
      link.textContent = text;
      link.setAttribute("aria-busy", "true");
      link.classList.add("export-busy");
      link.style.cursor = "progress";
      link.style.opacity = "0.75";
      announcer().textContent = text;
    } else {
      if (link.dataset.planmapLabel) link.textContent = link.dataset.planmapLabel;
      delete link.dataset.planmapLabel;
      link.removeAttribute("aria-busy");
      link.classList.remove("export-busy");
      link.style.cursor = "";
      link.style.opacity = "";
    }
  }

  function filename(response, href) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) {
      try {
        return decodeURIComponent(star[1]);
      } catch (e) {
        /* fall through to the plain name */
      }
    }
    var plain = /filename="([^"]+)"/i.exec(header);
    if (plain) return plain[1];
    return href.split("?")[0].split("/").pop();
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 60000);
  }

  function fail(link, message) {
    var texts = TEXTS[lang()];
    setBusy(link, false);
    var label = link.textContent;
    link.textContent = texts.failed;
    link.title = message || "";
    announcer().textContent = texts.failed + (message ? ": " + message : "");
    setTimeout(function () {
      if (link.textContent === texts.failed) link.textContent = label;
      link.removeAttribute("title");
    }, 6000);
  }

  document.addEventListener("click", function (event) {
    var link = exportLink(event.target);
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // the browser's own ways
    if (!window.fetch || !window.URL || !URL.createObjectURL) return; // the plain link then
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return; // one file at a time per link
    var href = link.href;
    setBusy(link, true, TEXTS[lang()].busy);
    fetch(href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 429) {
          setBusy(link, false);
          window.open(href, "_blank", "noopener"); // the server's page that retries by itself
          return null;
        }
        if (!response.ok) {
          return response.text().then(function (text) {
            fail(link, (text || String(response.status)).slice(0, 200));
          });
        }
        var name = filename(response, href);
        return response.blob().then(function (blob) {
          setBusy(link, false);
          announcer().textContent = name;
          save(blob, name);
        });
      })
      .catch(function (error) {
        fail(link, String(error && error.message ? error.message : error));
      });
  });

  // Start a render worker once the page shows its export links (not on pages without any).
  var warmed = false;
  function warm() {
    if (warmed || !window.fetch) return;
    var link = document.querySelector("a.export-link[href*='" + ROUTE + "']");
    if (!link) return;
    warmed = true;
    var base = link.href.split(ROUTE)[0];
    fetch(base + ROUTE + "workers.warm", { credentials: "same-origin", cache: "no-store" }).catch(function () {});
  }
  var tries = 0;
  var timer = setInterval(function () {
    tries += 1;
    warm();
    if (warmed || tries > 60) clearInterval(timer);
  }, 1000);
})();
