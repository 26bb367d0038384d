/*
 * minhbach charts: the interactive version of each chart, over its static SVG.
 *
 * Markup (see site_src/overrides/README.md):
 *   <figure class="mb-chart" id="…" data-spec="nhom-chi-so.vl.json">   (URL, relative to the page)
 *     <div class="mb-chart-static"><svg …>…</svg></div>                 (rendered at build time)
 *     <figcaption>What it shows, the key number. <a href="….csv">CSV</a></figcaption>
 *     <details class="mb-chart-data"><summary>…</summary><table>…</table></details>
 *   </figure>
 * data-spec="#some-id" reads the spec from <script type="application/json" id="some-id">.
 *
 * Only on a page that has such a figure, this script loads the vendored Vega, Vega-Lite and
 * vega-embed (assets/vendor/, nothing from another host) and the Vietnamese number and date
 * formats (assets/js/vi-VN.locale.json: decimal ",", thousands ".", "Tháng 1"…), embeds the
 * chart with actions off, then hides the static SVG (kept in the HTML: it is what prints and
 * what reads without JavaScript). If anything fails, the static SVG simply stays.
 */
(function () {
  "use strict";

  var figures = document.querySelectorAll("figure.mb-chart[data-spec]");
  if (!figures.length || !window.fetch || !window.Promise) return;

  var self = document.currentScript;
  var assets = new URL("../", self ? self.src : document.baseURI + "assets/js/");
  var VENDOR = ["vendor/vega/vega.min.js", "vendor/vega-lite/vega-lite.min.js",
    "vendor/vega-embed/vega-embed.min.js"];

  /* Download in parallel, run in order (async = false keeps insertion order). */
  function loadScript(path) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.async = false;
      script.src = new URL(path, assets).href;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("không tải được " + script.src));
      };
      document.head.appendChild(script);
    });
  }

  function loadLibraries() {
    if (window.vegaEmbed) return Promise.resolve();
    return Promise.all(VENDOR.map(loadScript));
  }

  function loadJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + url);
      return response.json();
    });
  }

  function loadSpec(figure) {
    var ref = figure.getAttribute("data-spec");
    if (ref.charAt(0) === "#") {
      var holder = document.getElementById(ref.slice(1));
      if (!holder) return Promise.reject(new Error("không có phần tử " + ref));
      return Promise.resolve({ spec: JSON.parse(holder.textContent), base: document.baseURI });
    }
    var url = new URL(ref, document.baseURI).href;
    return loadJSON(url).then(function (spec) {
      return { spec: spec, base: url };
    });
  }

  function embed(figure) {
    var still = figure.querySelector(".mb-chart-static") || figure.querySelector("svg");
    var live = document.createElement("div");
    live.className = "mb-chart-live";
    var target = document.createElement("div");
    live.appendChild(target);
    return loadSpec(figure)
      .then(function (found) {
        if (still && still.parentNode === figure) figure.insertBefore(live, still.nextSibling);
        else figure.insertBefore(live, figure.firstChild);
        return window.vegaEmbed(target, found.spec, {
          actions: false,
          renderer: "svg",
          loader: window.vega.loader({ baseURL: new URL(".", found.base).href }),
        });
      })
      .then(function () {
        if (still) still.hidden = true;
        figure.classList.add("mb-chart--live");
      })
      .catch(function (error) {
        if (live.parentNode) live.parentNode.removeChild(live);
        if (still) still.hidden = false;
        console.warn("minhbach: biểu đồ tĩnh được giữ nguyên (" + error.message + ")");
      });
  }

  Promise.all([loadLibraries(), loadJSON(new URL("js/vi-VN.locale.json", assets).href)])
    .then(function (loaded) {
      var locale = loaded[1];
      window.vega.formatLocale(locale.number);
      window.vega.timeFormatLocale(locale.time);
      return Promise.all(Array.prototype.map.call(figures, embed));
    })
    .catch(function (error) {
      console.warn("minhbach: biểu đồ tương tác không dùng được (" + error.message + ")");
    });
})();
