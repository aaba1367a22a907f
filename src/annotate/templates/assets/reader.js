/* annotate reader: sentence pairing and pinning, remembered display options, term cards,
   search (Chinese, pinyin with or without tones, English), the glossary table.
   Corpus text is only ever read and written as text (textContent), never as markup. */
(function () {
  "use strict";
  var store = {
    get: function (k, d) { try { var v = localStorage.getItem("annotate." + k); return v === null ? d : v; } catch (e) { return d; } },
    set: function (k, v) { try { localStorage.setItem("annotate." + k, v); } catch (e) { /* storage may be disabled */ } }
  };
  var body = document.body;
  var each = function (sel, fn, root) { Array.prototype.forEach.call((root || document).querySelectorAll(sel), fn); };

  // --- pinyin helpers -------------------------------------------------------------------
  var TONE = { "\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4" };
  var TONE_MARKS = /[\u0300\u0301\u0304\u030c]/;
  // "fàng" -> "fang4", "lǜ" -> "lü4", "de" -> "de5"
  function toneNumber(syllable) {
    var tone = "5", out = "";
    syllable.normalize("NFD").split("").forEach(function (c) { if (TONE[c]) tone = TONE[c]; else out += c; });
    return /[a-zü]/i.test(out) ? out.normalize("NFC") + tone : syllable;
  }
  // A word's ruby text: syllables apart by thin spaces (and an apostrophe before a, o, e).
  var wordToneNumbers = function (word) { return word.split(/\u2009'?/).map(toneNumber).join("\u2009"); };
  var plain = function (s) { return s.normalize("NFD").toLowerCase().replace(/[^a-z]/g, ""); };
  var toned = function (s) { return s.toLowerCase().normalize("NFC").replace(/[\s\d'’-]+/g, ""); };

  // --- search: one box on every page ----------------------------------------------------
  function matcher(q) {
    q = q.trim();
    if (!q) return null;
    if (/[\u3400-\u9fff]/.test(q)) return function (d) { return d.zh.indexOf(q) >= 0; };
    var lower = q.toLowerCase();
    var hasTone = TONE_MARKS.test(q.normalize("NFD"));
    var p = hasTone ? toned(q) : plain(q);
    return function (d) { return (p.length > 1 && (hasTone ? d.pyt : d.py).indexOf(p) >= 0) || d.en.indexOf(lower) >= 0; };
  }
  function setupSearch(items, onHits) {
    var box = document.getElementById("search"), status = document.getElementById("search-status");
    if (!box) return;
    var form = box.form;
    if (form) form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var index = null;
    box.addEventListener("input", function () {
      if (!index) index = items();  // built on the first keystroke, from the page itself
      var test = matcher(box.value), hits = [];
      index.forEach(function (d) {
        var ok = test ? test(d) : null;
        onHits(d.el, ok);
        if (ok) hits.push(d.el);
      });
      status.textContent = test ? hits.length + (hits.length === 1 ? " match" : " matches") + " found" : "";
      if (hits.length && body.classList.contains("doc")) hits[0].scrollIntoView({ block: "center" });
    });
  }
  // Rows of the index and glossary pages carry their pinyin in data-py / data-pyt.
  function rowItems(sel) {
    return function () {
      return Array.prototype.map.call(document.querySelectorAll(sel), function (el) {
        var text = el.textContent;
        return { el: el, zh: text, en: (text + " " + el.id).toLowerCase(), py: el.getAttribute("data-py") || "", pyt: el.getAttribute("data-pyt") || "" };
      });
    };
  }
  var hideRow = function (el, ok) { el.hidden = ok === false; };

  if (body.classList.contains("doc")) setupDocument();
  else if (document.getElementById("gloss-table")) { setupSearch(rowItems("#gloss-table tbody tr"), hideRow); setupTable(); }
  else setupSearch(rowItems("li.hit"), hideRow);

  function setupDocument() {
    function twins(id) { return document.querySelectorAll('[data-s="' + CSS.escape(id) + '"]'); }
    function mark(id, cls, on) { Array.prototype.forEach.call(twins(id), function (el) { el.classList.toggle(cls, on); }); }
    function pin(id, scroll) {
      each(".pinned", function (el) { el.classList.remove("pinned"); });
      if (!id) return;
      mark(id, "pinned", true);
      var zh = document.getElementById(id);
      if (zh && scroll) zh.scrollIntoView({ block: "center" });
    }

    // One listener each on the document (event delegation): a long page has thousands of sentences.
    var sentenceOf = function (ev) { return ev.target.closest ? ev.target.closest(".s, .s-en") : null; };
    var over = function (on) {
      return function (ev) {
        var el = sentenceOf(ev);
        if (el) mark(el.getAttribute("data-s"), "hl", on);
        if (!ev.target.closest) return;
        var term = ev.target.closest("a[aria-describedby]"), card = ev.target.closest(".card");
        if (on && term) showCard(term);
        // Leaving a term or its card hides the card, unless the pointer moves between the two.
        var to = ev.relatedTarget && ev.relatedTarget.closest ? ev.relatedTarget.closest("a[aria-describedby], .card") : null;
        if (!on && (term || card) && !(to && (to === openTerm || to === openCard))) hideCard();
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
      if (ev.key === "Escape") { hideCard(); return; }
      var el = sentenceOf(ev);
      if (el && (ev.key === "Enter" || ev.key === " ") && !ev.target.closest("a, input, select")) { ev.preventDefault(); choose(el); }
    });
    var hashId = function () { try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; } };
    window.addEventListener("hashchange", function () { pin(hashId(), true); });
    if (location.hash.length > 1) {
      var target = hashId();
      pin(target, true);
      // Rows far from the screen are laid out lazily (content-visibility), so scroll again once they settle.
      window.addEventListener("load", function () { requestAnimationFrame(function () { pin(target, true); }); });
    }

    // Term cards: each entry's card is on the page once, outside the text (rows clip what
    // overflows them), and is placed under whichever term is hovered or focused.
    var openTerm = null, openCard = null;
    function showCard(term) {
      var card = document.getElementById(term.getAttribute("aria-describedby"));
      if (!card || (card === openCard && term === openTerm)) return;
      hideCard();
      openTerm = term; openCard = card;
      card.classList.add("open");
      var r = term.getClientRects()[0] || term.getBoundingClientRect();
      var width = card.offsetWidth, left = Math.min(r.left, document.documentElement.clientWidth - width - 8);
      card.style.left = Math.max(4, left) + window.scrollX + "px";
      card.style.top = r.bottom + window.scrollY + 2 + "px";
    }
    function hideCard() {
      if (openCard) openCard.classList.remove("open");
      openTerm = openCard = null;
    }

    // Display options, remembered across pages and visits.
    var rts = null, marks = new WeakMap();  // <rt> -> its tone-marked text, once numbers were shown
    function setToneNumbers(on) {
      if (!rts) {
        if (!on) return;
        rts = document.querySelectorAll("main rt");
        Array.prototype.forEach.call(rts, function (rt) { marks.set(rt, rt.textContent); });
      }
      Array.prototype.forEach.call(rts, function (rt) { rt.textContent = on ? wordToneNumbers(marks.get(rt)) : marks.get(rt); });
    }
    [["opt-pinyin", function (on) { body.classList.toggle("no-pinyin", !on); }],
     ["opt-tone-num", setToneNumbers],
     ["opt-entities", function (on) { body.classList.toggle("no-entities", !on); }]].forEach(function (t) {
      var box = document.getElementById(t[0]);
      if (!box) return;
      box.checked = store.get(t[0], box.checked ? "1" : "0") === "1";
      t[1](box.checked);
      box.addEventListener("change", function () { store.set(t[0], box.checked ? "1" : "0"); t[1](box.checked); });
    });
    var layer = document.getElementById("opt-layer");
    var setLayer = function (v) { ["mt", "gloss", "both", "none"].forEach(function (l) { body.classList.toggle("layer-" + l, l === v); }); };
    var saved = store.get("layer", layer.value);
    var opt = layer.querySelector('option[value="' + CSS.escape(saved) + '"]');
    if (opt && !opt.disabled) layer.value = saved;
    setLayer(layer.value);
    layer.addEventListener("change", function () { store.set("layer", layer.value); setLayer(layer.value); });

    setupSearch(function () {
      return Array.prototype.map.call(document.querySelectorAll(".s"), function (el) {
        var zh = "", py = [], en = "";
        var walk = function (node, cb) {
          node.childNodes.forEach(function (c) {
            if (c.nodeType === 3) cb(c.nodeValue);
            else if (c.nodeName === "RT") py.push(marks.get(c) || c.textContent);
            else walk(c, cb);
          });
        };
        walk(el, function (t) { zh += t; });
        var twin = document.querySelector('.s-en[data-s="' + CSS.escape(el.getAttribute("data-s")) + '"]');
        if (twin) walk(twin, function (t) { en += t; });
        var pys = py.join("");
        return { el: el, zh: zh, py: plain(pys), pyt: toned(pys), en: en.toLowerCase() };
      });
    }, function (el, ok) { el.classList.toggle("match", ok === true); });
  }

  function setupTable() {
    var table = document.getElementById("gloss-table");
    var rows = function () { return Array.prototype.slice.call(table.tBodies[0].rows); };
    each("th button", function (btn) {
      var col = +btn.getAttribute("data-sort"), asc = true;
      btn.addEventListener("click", function () {
        var key = function (r) { var c = r.cells[col]; return c.hasAttribute("data-n") ? +c.getAttribute("data-n") : c.textContent.trim(); };
        var sorted = rows().sort(function (a, b) { var x = key(a), y = key(b); return (x > y ? 1 : x < y ? -1 : 0) * (asc ? 1 : -1); });
        each("th", function (th) { if (th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none"); }, table);
        btn.parentNode.setAttribute("aria-sort", asc ? "ascending" : "descending");
        asc = !asc;
        sorted.forEach(function (r) { table.tBodies[0].appendChild(r); });
      });
    }, table);
  }
})();
