/* annotate reader: sentence pairing, pinning, layer toggles (remembered), search, glossary table. */
(function () {
  "use strict";
  var store = {
    get: function (k, d) { try { var v = localStorage.getItem("annotate." + k); return v === null ? d : v; } catch (e) { return d; } },
    set: function (k, v) { try { localStorage.setItem("annotate." + k, v); } catch (e) { /* file:// may forbid storage */ } }
  };
  var body = document.body;

  function twins(id) { return document.querySelectorAll('[data-s="' + CSS.escape(id) + '"]'); }
  function mark(id, cls, on) { twins(id).forEach(function (el) { el.classList.toggle(cls, on); }); }

  function pin(id, scroll) {
    document.querySelectorAll(".pinned").forEach(function (el) { el.classList.remove("pinned"); });
    if (!id) return;
    mark(id, "pinned", true);
    var zh = document.getElementById(id);
    if (zh && scroll) zh.scrollIntoView({ block: "center" });
  }

  if (body.classList.contains("doc")) {
    // One listener each on the document (event delegation): a long page has thousands of sentences.
    var sentenceOf = function (ev) { return ev.target.closest ? ev.target.closest(".s, .s-en") : null; };
    var over = function (on) {
      return function (ev) {
        var el = sentenceOf(ev);
        if (el) mark(el.getAttribute("data-s"), "hl", on);
      };
    };
    document.addEventListener("mouseover", over(true));
    document.addEventListener("mouseout", over(false));
    document.addEventListener("focusin", over(true));
    document.addEventListener("focusout", over(false));
    var choose = function (el) {
      var id = el.getAttribute("data-s");
      history.replaceState(null, "", "#" + id);
      pin(id, false);
    };
    document.addEventListener("click", function (ev) {
      var el = sentenceOf(ev);
      if (el && !ev.target.closest("a")) choose(el);
    });
    document.addEventListener("keydown", function (ev) {
      var el = sentenceOf(ev);
      if (el && (ev.key === "Enter" || ev.key === " ") && !ev.target.closest("a, input, select")) { ev.preventDefault(); choose(el); }
    });
    if (location.hash.length > 1) pin(decodeURIComponent(location.hash.slice(1)), true);

    var toggles = [["opt-pinyin", "no-pinyin", true], ["opt-tone-num", "tone-num", false], ["opt-entities", "no-entities", true]];
    toggles.forEach(function (t) {
      var box = document.getElementById(t[0]);
      if (!box) return;
      var apply = function () { body.classList.toggle(t[1], t[2] ? !box.checked : box.checked); };
      box.checked = store.get(t[0], box.checked ? "1" : "0") === "1";
      apply();
      box.addEventListener("change", function () { store.set(t[0], box.checked ? "1" : "0"); apply(); });
    });

    var layer = document.getElementById("opt-layer");
    var setLayer = function (v) {
      ["mt", "gloss", "both", "none"].forEach(function (l) { body.classList.toggle("layer-" + l, l === v); });
    };
    var saved = store.get("layer", layer.value);
    var opt = layer.querySelector('option[value="' + saved + '"]');
    if (opt && !opt.disabled) layer.value = saved;
    setLayer(layer.value);
    layer.addEventListener("change", function () { store.set("layer", layer.value); setLayer(layer.value); });

    var controls = document.querySelector("form.controls");
    if (controls) controls.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var search = document.getElementById("search");
    var status = document.getElementById("search-status");
    var plain = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z]/g, ""); };
    var toned = function (s) { return s.toLowerCase().replace(/[\s\d]+/g, ""); };
    // The search index is built from the page itself, on the first search.
    var index = null;
    var build = function () {
      index = Array.prototype.map.call(document.querySelectorAll(".s"), function (el) {
        var zh = "", py = [];
        var walk = function (node) {
          node.childNodes.forEach(function (c) {
            if (c.nodeType === 3) zh += c.nodeValue;
            else if (c.nodeName === "RT") py.push(c.textContent);
            else if (!(c.classList && c.classList.contains("card"))) walk(c);
          });
        };
        walk(el);
        var twin = document.querySelector('.s-en[data-s="' + CSS.escape(el.getAttribute("data-s")) + '"]');
        var pys = py.join("");
        return { el: el, zh: zh, py: plain(pys), pyt: toned(pys), en: twin ? twin.textContent.toLowerCase() : "" };
      });
    };
    var run = function () {
      if (!index) build();
      var q = search.value.trim();
      var hits = [];
      index.forEach(function (d) {
        var ok = false;
        if (q) {
          if (/[\u3400-\u9fff]/.test(q)) ok = d.zh.indexOf(q) >= 0;
          else {
            var hasTone = /[\u0300-\u036f]/.test(q.normalize("NFD"));
            var p = hasTone ? toned(q) : plain(q);
            ok = (p && (hasTone ? d.pyt : d.py).indexOf(p) >= 0) || d.en.indexOf(q.toLowerCase()) >= 0;
          }
        }
        d.el.classList.toggle("match", ok);
        if (ok) hits.push(d.el);
      });
      status.textContent = q ? hits.length + " sentence" + (hits.length === 1 ? "" : "s") + " found" : "";
      if (hits.length) hits[0].scrollIntoView({ block: "center" });
    };
    search.addEventListener("input", run);
  }

  var table = document.getElementById("gloss-table");
  if (table) {
    var rows = function () { return Array.prototype.slice.call(table.tBodies[0].rows); };
    table.querySelectorAll("th button").forEach(function (btn) {
      var col = +btn.getAttribute("data-sort"), asc = true;
      btn.addEventListener("click", function () {
        var key = function (r) { var c = r.cells[col]; return c.hasAttribute("data-n") ? +c.getAttribute("data-n") : c.textContent.trim(); };
        var sorted = rows().sort(function (a, b) { var x = key(a), y = key(b); return (x > y ? 1 : x < y ? -1 : 0) * (asc ? 1 : -1); });
        asc = !asc;
        sorted.forEach(function (r) { table.tBodies[0].appendChild(r); });
      });
    });
    var filter = document.getElementById("gloss-filter");
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      rows().forEach(function (r) { r.hidden = q && (r.textContent.toLowerCase().indexOf(q) < 0 && r.id.indexOf(q) < 0); });
    });
  }
})();
