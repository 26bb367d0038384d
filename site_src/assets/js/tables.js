/*
 * minhbach tables: sortable and filterable tables, and a cue on tables that scroll sideways.
 *
 * Markup (see site_src/overrides/README.md):
 *   <div class="mb-sortable" data-filter-placeholder="Lọc theo tên cơ quan"
 *        data-filter-label="Lọc bảng xếp hạng">          (both attributes optional)
 *     <table> <thead><tr><th>…</th>…</tr></thead> <tbody>…</tbody> </table>
 *   </div>
 * Optional: <td data-sort="96.57"> (a machine-readable key: a JS number or ISO text),
 *           <th data-type="number|text">, <th data-sort-default="desc">, <th data-nosort>.
 *
 * Without JavaScript the table is an ordinary complete table. With it, each column header gets
 * a <button> (keyboard and screen reader friendly) and aria-sort, and a labelled filter field
 * above the table hides the rows whose text does not contain every word typed, ignoring case
 * and Vietnamese diacritics.
 *
 * Numbers are read the Vietnamese way: "96,57" is 96.57, "21.969" is 21969, "1.234,5%" is
 * 1234.5; "—", "–", "-" and empty cells are missing and always sort last.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });
  var counter = 0;

  function fold(value) {
    return value
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\u0111/g, "d")
      .replace(/\u0110/g, "D")
      .toLowerCase();
  }

  function formatCount(n) {
    return n.toLocaleString("vi-VN");
  }

  var MISSING = /^[\u2014\u2013\u2012\u2212\-\s]*$/;
  var VI_NUMBER =
    /^([+\-\u2212]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(?:%|‰|₫|đ|điểm|ngày|hồ sơ)?$/i;

  /* A cell's sort key: {missing: true}, {num: n} or {text: s}. */
  function cellKey(cell) {
    if (!cell) return { missing: true };
    var raw = cell.getAttribute("data-sort");
    var text = (raw !== null ? raw : cell.textContent).replace(/[\s\u00a0\u202f]+/g, " ").trim();
    if (MISSING.test(text)) return { missing: true };
    if (raw !== null && raw.trim() !== "" && isFinite(Number(raw))) return { num: Number(raw) };
    var m = VI_NUMBER.exec(text.replace(/[\u00a0\u202f ]/g, ""));
    if (m) {
      var value = Number(m[2].replace(/\./g, "") + (m[3] ? "." + m[3] : ""));
      return { num: m[1] && m[1] !== "+" ? -value : value };
    }
    return { text: text };
  }

  /* Column index of each cell of a row, counting colspans. */
  function cellAt(row, column) {
    var index = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var span = row.cells[i].colSpan || 1;
      if (column >= index && column < index + span) return span === 1 ? row.cells[i] : null;
      index += span;
    }
    return null;
  }

  function bodyRows(table) {
    var rows = [];
    for (var b = 0; b < table.tBodies.length; b++) {
      rows.push.apply(rows, Array.prototype.slice.call(table.tBodies[b].rows));
    }
    return rows;
  }

  function columnType(th, rows, column) {
    var declared = th.getAttribute("data-type");
    if (declared === "number" || declared === "text") return declared;
    var seen = 0;
    for (var i = 0; i < rows.length; i++) {
      var key = cellKey(cellAt(rows[i], column));
      if (key.missing) continue;
      if (!("num" in key)) return "text";
      seen++;
    }
    return seen ? "number" : "text";
  }

  function keyText(key) {
    return "text" in key ? key.text : String(key.num);
  }

  function headerLabel(th) {
    return th.textContent.replace(/\s+/g, " ").trim();
  }

  function setupSort(wrapper, table, status) {
    var head = table.tHead;
    if (!head || !head.rows.length) return;
    var row = head.rows[head.rows.length - 1];
    var headers = [];
    var column = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var th = row.cells[i];
      var span = th.colSpan || 1;
      if (span === 1 && th.tagName === "TH" && !th.hasAttribute("data-nosort")) {
        headers.push({ th: th, column: column });
      }
      column += span;
    }
    var rows = bodyRows(table);
    if (rows.length < 2) return;

    headers.forEach(function (h) {
      h.type = columnType(h.th, rows, h.column);
      if (h.type === "number") h.th.setAttribute("data-type", "number");
      h.label = headerLabel(h.th);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mb-sort";
      while (h.th.firstChild) button.appendChild(h.th.firstChild);
      var icon = document.createElement("span");
      icon.className = "mb-sort-icon";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = "↕";
      button.appendChild(icon);
      h.th.appendChild(button);
      h.icon = icon;
      button.addEventListener("click", function () {
        var current = h.th.getAttribute("aria-sort");
        var first = h.th.getAttribute("data-sort-default") === "desc" ? "descending" : "ascending";
        var next =
          current === "ascending" ? "descending" : current === "descending" ? "ascending" : first;
        sortBy(h, next);
      });
    });

    function sortBy(h, direction) {
      headers.forEach(function (other) {
        if (other !== h) {
          other.th.removeAttribute("aria-sort");
          other.icon.textContent = "↕";
        }
      });
      h.th.setAttribute("aria-sort", direction);
      h.icon.textContent = direction === "ascending" ? "▲" : "▼";
      var sign = direction === "ascending" ? 1 : -1;
      for (var b = 0; b < table.tBodies.length; b++) {
        var body = table.tBodies[b];
        var keyed = Array.prototype.map.call(body.rows, function (r, index) {
          return { row: r, key: cellKey(cellAt(r, h.column)), index: index };
        });
        keyed.sort(function (a, z) {
          if (a.key.missing || z.key.missing) {
            if (a.key.missing && z.key.missing) return a.index - z.index;
            return a.key.missing ? 1 : -1; /* missing last, both directions */
          }
          var d;
          if (h.type === "number" && "num" in a.key && "num" in z.key) d = a.key.num - z.key.num;
          else d = collator.compare(keyText(a.key), keyText(z.key));
          return d !== 0 ? sign * d : a.index - z.index;
        });
        var fragment = document.createDocumentFragment();
        keyed.forEach(function (k) {
          fragment.appendChild(k.row);
        });
        body.appendChild(fragment);
      }
      status.announce(
        "Đã sắp xếp theo " + h.label + ", " + (direction === "ascending" ? "tăng dần" : "giảm dần")
      );
    }
  }

  function setupFilter(wrapper, table) {
    var rows = bodyRows(table);
    var texts = rows.map(function (r) {
      return fold(r.textContent.replace(/\s+/g, " "));
    });
    var id = "mb-filter-" + ++counter;
    var box = document.createElement("div");
    box.className = "mb-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = wrapper.getAttribute("data-filter-label") || "Lọc bảng";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = wrapper.getAttribute("data-filter-placeholder") || "Gõ để lọc các dòng";
    var output = document.createElement("span");
    output.className = "mb-filter-status";
    output.setAttribute("role", "status");
    output.id = id + "-status";
    input.setAttribute("aria-describedby", output.id);
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(output);
    wrapper.insertBefore(box, wrapper.firstChild);

    var total = rows.length;
    function count(shown) {
      return shown === total
        ? formatCount(total) + " dòng"
        : "Hiển thị " + formatCount(shown) + "/" + formatCount(total) + " dòng";
    }
    output.textContent = count(total);

    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var match = words.every(function (w) {
          return texts[i].indexOf(w) !== -1;
        });
        rows[i].hidden = !match;
        if (match) shown++;
      }
      output.textContent = count(shown);
    }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, rows.length > 500 ? 120 : 0);
    });
    return {
      announce: function (text) {
        var shown = rows.filter(function (r) {
          return !r.hidden;
        }).length;
        output.textContent = text + ". " + count(shown);
      },
    };
  }

  function enhance(wrapper) {
    if (wrapper.hasAttribute("data-mb-ready")) return;
    var table = wrapper.querySelector("table");
    if (!table) return;
    wrapper.setAttribute("data-mb-ready", "");
    var status = setupFilter(wrapper, table);
    setupSort(wrapper, table, status);
  }

  /* The text of the heading before an element, to name a region after it. */
  function headingBefore(el) {
    var headings = document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3");
    var found = "";
    Array.prototype.forEach.call(headings, function (h) {
      if (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = h.textContent.replace(/[¶\s]+$/, "").replace(/\s+/g, " ").trim();
      }
    });
    return found;
  }

  /* Wide tables scroll sideways inside the theme's wrapper: make that reachable by keyboard
     (axe: scrollable-region-focusable) and give each scrolling region its own name. */
  var regionNames = {};
  function focusableScrollers() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap, .mb-chart-static");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var scroller = wrap.classList.contains("md-typeset__scrollwrap")
        ? wrap.querySelector(".md-typeset__table") || wrap
        : wrap;
      [wrap, scroller].forEach(function (el) {
        var scrolls = el.scrollWidth > el.clientWidth + 1;
        /* A visible cue on a table that scrolls sideways (minhbach.css: .mb-scrolls). */
        if (el === wrap && wrap.classList.contains("md-typeset__scrollwrap")) {
          wrap.classList.toggle("mb-scrolls", scrolls || scroller.scrollWidth > scroller.clientWidth + 1);
        }
        if (scrolls && !el.hasAttribute("tabindex")) {
          var table = el.querySelector("table");
          var name = table && table.caption ? table.caption.textContent.trim() : "";
          name = "Bảng " + (name || headingBefore(el) || "số liệu") + " (cuộn ngang)";
          regionNames[name] = (regionNames[name] || 0) + 1;
          if (regionNames[name] > 1) name += " " + regionNames[name];
          el.setAttribute("tabindex", "0");
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", name);
        }
      });
    });
  }

  /* Printing: the theme opens every <details> to print it; minhbach.css prints only those the
     reader opened (data-mb-open, set here on a click of their summary), so a scorecard prints
     in a few pages; what the others hold is in the page's CSV and on /du-lieu/. */
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("summary");
    var details = summary && summary.parentElement;
    if (!details || details.tagName !== "DETAILS") return;
    setTimeout(function () {
      details.toggleAttribute("data-mb-open", details.open);
    }, 0);
  });

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".mb-sortable"), enhance);
    /* After the theme has wrapped the tables (it does so on DOMContentLoaded). */
    setTimeout(focusableScrollers, 0);
    /* Tables in a tab that was hidden are measured when their tab opens. */
    document.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches(".tabbed-set > input")) {
        setTimeout(focusableScrollers, 0);
      }
    });
    window.addEventListener("resize", function () {
      clearTimeout(init.resize);
      init.resize = setTimeout(focusableScrollers, 200);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
