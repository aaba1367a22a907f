/* annotate reader: sentence pairing, pinning and citation, word lookup, remembered display
   options, search (Chinese, pinyin with or without tones, English) on every page, the
   glossary table, and the corpus-wide concordance (search.html).
   Corpus text is only ever read and written as text (textContent), never as markup. */
(function () {
  "use strict";
  var store = {
    get: function (k, d) { try { var v = localStorage.getItem("annotate." + k); return v === null ? d : v; } catch (e) { return d; } },
    set: function (k, v) { try { localStorage.setItem("annotate." + k, v); } catch (e) { /* storage may be disabled */ } }
  };
  var body = document.body;
  var each = function (sel, fn, root) { Array.prototype.forEach.call((root || document).querySelectorAll(sel), fn); };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // --- pinyin ---------------------------------------------------------------------------
  var TONE = { "\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4" };
  var MARK = { "1": "\u0304", "2": "\u0301", "3": "\u030c", "4": "\u0300" };
  // "fàng" -> "fang4", "lǜ" -> "lü4", "de" -> "de5"
  function toneNumber(syllable) {
    var tone = "5", out = "";
    syllable.normalize("NFD").split("").forEach(function (c) { if (TONE[c]) tone = TONE[c]; else out += c; });
    return /[a-zü]/i.test(out) ? out.normalize("NFC") + tone : syllable;
  }
  // "lian2" -> "lián", "lv4" -> "lǜ": the mark goes on a or e, on the o of ou, else on the last vowel.
  function toneMark(numbered) {
    var m = /^([a-zü]+)([1-5])$/.exec(numbered.replace(/v/g, "ü"));
    if (!m) return numbered;
    var s = m[1], tone = m[2];
    if (tone === "5") return s;
    var i = s.search(/[ae]/);
    if (i < 0) i = s.indexOf("ou");
    if (i < 0) { for (var k = s.length - 1; k >= 0; k--) if ("iouü".indexOf(s[k]) >= 0) { i = k; break; } }
    if (i < 0) return s;
    return (s.slice(0, i + 1) + MARK[tone] + s.slice(i + 1)).normalize("NFC");
  }
  // A word's pinyin as drawn: syllables apart by thin spaces (and an apostrophe before a, o, e).
  var wordSyllables = function (word) { return word.split(/\u2009'?/).filter(Boolean); };
  var wordToneNumbers = function (word) { return wordSyllables(word).map(toneNumber).join("\u2009"); };

  // --- one query language for every search box --------------------------------------------
  var HAN = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
  // A query is tried as pinyin when it is only letters, tone marks or numbers and spaces,
  // with two letters or more: "5G" is not pinyin, "fangguanfu" and "yíng shāng" are.
  function compile(q, mode) {
    q = (q || "").trim();
    if (!q) return null;
    var low = q.toLowerCase();
    var c = { raw: q, zh: null, py: null, en: null };
    var han = HAN.test(q);
    if (mode !== "py" && mode !== "en") c.zh = q;
    if (!han && mode !== "zh") {
      var nfd = low.replace(/ü/g, "v").normalize("NFD");
      var letters = nfd.replace(/[^a-z]/g, "").length;
      if (mode !== "en" && /^[a-z\s'’\u0300\u0301\u0304\u030c\u0308:1-5-]+$/.test(nfd) && letters >= 2) {
        var kind = /[\u0300\u0301\u0304\u030c]/.test(nfd) ? "mark" : /[1-5]/.test(nfd) ? "num" : "plain";
        var key = kind === "mark" ? low.normalize("NFC").replace(/[\s'’-]+/g, "").replace(/v/g, "ü")
          : kind === "num" ? nfd.replace(/[\s'’:\u0308-]+/g, "") : nfd.replace(/[^a-z]/g, "");
        c.py = { kind: kind, key: key };
      }
      if (mode !== "py") c.en = new RegExp("(^|[^a-z0-9])(" + low.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi");
    }
    return c;
  }
  // syllables: [{n: "lian2", a: char start, b: char end}] in text order.
  function syllableForms(syls, kind) {
    var text = "", starts = [], ends = [];
    syls.forEach(function (s, i) {
      var f = kind === "mark" ? toneMark(s.n) : kind === "num" ? s.n : s.n.replace(/[1-5]$/, "");
      starts[text.length] = i; text += f; ends[text.length] = i;
    });
    return { text: text, starts: starts, ends: ends };
  }
  // Hits in one sentence: [{lang, a, b}] with character offsets into its Chinese or English text.
  function findHits(c, zh, syls, en) {
    var hits = [], i;
    if (c.zh) { for (i = zh.indexOf(c.zh); i >= 0; i = zh.indexOf(c.zh, i + c.zh.length)) hits.push({ lang: "zh", a: i, b: i + c.zh.length }); }
    if (c.py && syls.length) {
      var f = syls._forms || (syls._forms = {});
      var form = f[c.py.kind] || (f[c.py.kind] = syllableForms(syls, c.py.kind));
      for (i = form.text.indexOf(c.py.key); i >= 0; i = form.text.indexOf(c.py.key, i + 1)) {
        var first = form.starts[i], last = form.ends[i + c.py.key.length];
        if (first === undefined || last === undefined) continue;  // only whole syllables
        var a = syls[first].a, b = syls[last].b;
        if (!hits.some(function (h) { return h.lang === "zh" && h.a < b && a < h.b; })) hits.push({ lang: "zh", a: a, b: b });
      }
    }
    if (!hits.length && c.en && en) {
      c.en.lastIndex = 0;
      var m;
      while ((m = c.en.exec(en))) { var s = m.index + m[1].length; hits.push({ lang: "en", a: s, b: s + m[2].length }); if (!m[2].length) break; }
    }
    hits.sort(function (x, y) { return x.a - y.a; });
    return hits;
  }
  // The syllables of a word of n characters: one per character when they match, else all on the word.
  function pushSyllables(out, numbered, a, b) {
    var per = numbered.length === b - a;
    numbered.forEach(function (n, k) { out.push({ n: n, a: per ? a + k : a, b: per ? a + k + 1 : b }); });
  }

  // --- popups: one element, role=tooltip, placed next to what it describes ------------------
  function Popup(node) {
    var owner = null, sticky = false;
    function place(target, keep) {
      var rect = function () { return target.getClientRects()[0] || target.getBoundingClientRect(); };
      var vw = document.documentElement.clientWidth, vh = window.innerHeight, phone = vw <= 760;
      node.style.maxHeight = node.style.top = node.style.bottom = "";
      node.className = phone ? "sheet" : "";  // phones: a sheet across the screen
      var r = rect(), h = Math.ceil(node.getBoundingClientRect().height) + 2, w = node.offsetWidth, head = headHeight();
      var below = vh - r.bottom - 8, above = r.top - head - 8;
      // A popup opened by a click, a tap or the keyboard is shown whole: if it fits on neither
      // side of the word, the word is scrolled to the top of the screen first.
      if (keep && h > below && h > above) {
        window.scrollBy(0, r.top - head - 8);
        r = rect(); below = vh - r.bottom - 8; above = r.top - head - 8;
      }
      var down = h <= below || below >= above;
      node.style.maxHeight = Math.max(80, down ? below : above) + "px";
      var top = down ? r.bottom + 4 : r.top - 4 - Math.min(h, above);
      if (phone) { node.style.top = top + "px"; return; }
      node.style.left = Math.max(4, Math.min(r.left, vw - w - 8)) + window.scrollX + "px";
      node.style.top = top + window.scrollY + "px";
    }
    return {
      show: function (target, fill, keep) {
        if (owner === target && !node.hidden) {  // hovered first, then clicked: now it must be whole
          if (keep && !sticky) { sticky = true; place(target, true); }
          return;
        }
        this.hide();
        node.textContent = "";
        fill(node);
        owner = target; sticky = !!keep;
        node.hidden = false;
        target.setAttribute("aria-describedby", node.id);
        place(target, keep);
      },
      hide: function () {
        if (owner) owner.removeAttribute("aria-describedby");
        owner = null; sticky = false; node.hidden = true;
      },
      owner: function () { return owner; },
      sticky: function () { return sticky; },
      node: node
    };
  }
  function headHeight() {
    var h = document.querySelector("header.top");
    return h && getComputedStyle(h).position === "sticky" ? h.getBoundingClientRect().height : 0;
  }
  // Anchors and scrollIntoView stop below the sticky toolbar, whatever its height.
  function trackHeader() {
    var set = function () { document.documentElement.style.setProperty("--head", headHeight() + "px"); };
    set();
    if (window.ResizeObserver) new ResizeObserver(set).observe(document.querySelector("header.top"));
    window.addEventListener("resize", set);
  }
  trackHeader();

  if (body.classList.contains("doc")) setupDocument();
  else if (document.getElementById("gloss-table")) { setupRowSearch("#gloss-table tbody tr"); setupTable(); }
  else if (body.classList.contains("concordance")) setupConcordance();
  else setupRowSearch("li.hit");

  // Index and glossary pages: the box filters rows; each row carries its pinyin.
  function setupRowSearch(sel) {
    var box = document.getElementById("search"), status = document.getElementById("search-status");
    if (!box) return;
    box.form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var rows = null;
    box.addEventListener("input", function () {
      rows = rows || Array.prototype.map.call(document.querySelectorAll(sel), function (r) {
        return { el: r, text: r.textContent, low: (r.textContent + " " + r.id).toLowerCase(),
                 py: r.getAttribute("data-py") || "", pyt: r.getAttribute("data-pyt") || "" };
      });
      var c = compile(box.value, "auto"), n = 0;
      rows.forEach(function (r) {
        var ok = !c || r.text.indexOf(c.raw) >= 0 || r.low.indexOf(c.raw.toLowerCase()) >= 0 ||
          (c.py && c.py.kind === "plain" && r.py.indexOf(c.py.key) >= 0) ||
          (c.py && c.py.kind === "mark" && r.pyt.indexOf(c.py.key) >= 0) ||
          (c.py && c.py.kind === "num" && r.py.indexOf(c.py.key.replace(/[1-5]/g, "")) >= 0);
        r.el.hidden = !ok;
        if (ok) n++;
      });
      status.textContent = c ? n + (n === 1 ? " match" : " matches") : "";
    });
  }

  function setupDocument() {
    var data = JSON.parse(document.getElementById("page-data").textContent);
    var pop = Popup(document.getElementById("pop"));
    var twins = function (id) { return document.querySelectorAll('[data-s="' + CSS.escape(id) + '"], [id="' + CSS.escape(id) + '"].s'); };
    var mark = function (id, cls, on) { Array.prototype.forEach.call(twins(id), function (e) { e.classList.toggle(cls, on); }); };
    var actions = document.getElementById("actions");
    var pinned = null;
    function pin(id, scroll) {
      each(".pinned", function (e) { e.classList.remove("pinned"); });
      var zh = id ? document.getElementById(id) : null;
      pinned = zh && zh.classList.contains("s") ? zh : null;
      if (!pinned) { actions.hidden = true; return; }
      mark(id, "pinned", true);
      pinned.closest(".row").appendChild(actions);  // the pair's actions, under its row
      actions.hidden = false;
      document.getElementById("copy-status").textContent = "";
      if (scroll) { reveal(pinned); pinned.scrollIntoView({ block: "start" }); }
    }

    // --- word lookup ------------------------------------------------------------------
    var UPOS_NAMES = { ADJ: "adjective", ADP: "adposition", ADV: "adverb", AUX: "auxiliary", CCONJ: "coordinating conjunction",
      DET: "determiner", INTJ: "interjection", NOUN: "noun", NUM: "numeral", PART: "particle", PRON: "pronoun",
      PROPN: "proper noun", PUNCT: "punctuation", SCONJ: "subordinating conjunction", SYM: "symbol", VERB: "verb", X: "other" };
    function cardOf(term) {
      var c = term && document.getElementById("card-" + term.getAttribute("data-t"));
      if (!c) return null;
      var copy = c.cloneNode(true);
      copy.removeAttribute("id"); copy.hidden = false;
      return copy;
    }
    function fillWord(word) {
      return function (node) {
        var key = data.lex[+word.getAttribute("data-k")] || ["", -1];
        var py = word.hasAttribute("data-py") ? (marked && marked.get(word)) || word.getAttribute("data-py") : "";
        var entry = [word.textContent, py ? py.replace(/\u2009/g, " ") + "  (" + wordToneNumbers(py).replace(/\u2009/g, " ") + ")" : "",
                     key[0], data.senses[key[1]] || []];
        var head = el("p", "w-head");
        var zh = el("span", "w-zh", entry[0]); zh.lang = "zh-Hans";
        head.appendChild(zh);
        if (entry[1]) { var py = el("span", "w-py", entry[1]); py.lang = "zh-Latn-pinyin"; head.appendChild(py); }
        if (entry[2]) head.appendChild(el("span", "w-pos", entry[2] + " · " + (UPOS_NAMES[entry[2]] || "")));
        node.appendChild(head);
        if (entry[3].length) {
          var list = el("ol", "w-senses");
          entry[3].forEach(function (s) { list.appendChild(el("li", "", s)); });
          node.appendChild(el("p", "w-src", "CC-CEDICT"));
          node.appendChild(list);
        } else node.appendChild(el("p", "w-src", "not in CC-CEDICT"));
        var term = word.closest(".term"), card = cardOf(term);
        if (card) {
          node.appendChild(el("p", "w-src", "Glossary"));
          if (term.classList.contains("missing")) node.appendChild(el("p", "w-missing", "The approved English is missing from the translation."));
          node.appendChild(card);
        }
      };
    }
    function fillCard(term) { return function (node) { var c = cardOf(term); if (c) node.appendChild(c); }; }
    function lookup(target, keep) {
      if (target.matches("[data-k]")) pop.show(target, fillWord(target), keep);
      else pop.show(target, fillCard(target), keep);
    }
    var lookable = function (t) { return t && t.closest ? t.closest(".s [data-k], .term-en, .s-en .term") : null; };

    // One listener per event type (event delegation): a long page has tens of thousands of words.
    var sentenceOf = function (t) { return t && t.closest ? t.closest(".s, .s-en") : null; };
    var hideTimer = 0, escaped = false;  // after Escape, hovering opens nothing until the pointer really moves
    document.addEventListener("mousemove", function (ev) { if (ev.movementX || ev.movementY) escaped = false; });
    document.addEventListener("mouseover", function (ev) {
      var s = sentenceOf(ev.target);
      if (s) mark(s.getAttribute("data-s") || s.id, "hl", true);
      var w = lookable(ev.target);
      if (w || ev.target.closest("#pop")) clearTimeout(hideTimer);
      if (w && !pop.sticky() && !escaped) lookup(w, false);
    });
    document.addEventListener("mouseout", function (ev) {
      var s = sentenceOf(ev.target);
      if (s) mark(s.getAttribute("data-s") || s.id, "hl", false);
      var from = lookable(ev.target) || ev.target.closest("#pop");
      var to = ev.relatedTarget && ev.relatedTarget.closest ? (lookable(ev.relatedTarget) || ev.relatedTarget.closest("#pop")) : null;
      // Leaving a word or its popup hides the popup, unless the pointer moves between the two.
      if (from && !to && !pop.sticky()) { clearTimeout(hideTimer); hideTimer = setTimeout(function () { pop.hide(); }, 150); }
    });
    document.addEventListener("focusin", function (ev) {
      var s = sentenceOf(ev.target);
      if (s) mark(s.getAttribute("data-s") || s.id, "hl", true);
      if (ev.target.matches && ev.target.matches(".s [data-k]")) lookup(ev.target, false);
    });
    document.addEventListener("focusout", function (ev) {
      var s = sentenceOf(ev.target);
      if (s) mark(s.getAttribute("data-s") || s.id, "hl", false);
      if (ev.target === pop.owner() && !(ev.relatedTarget && ev.relatedTarget.closest && ev.relatedTarget.closest("#pop"))) pop.hide();
    });
    var choose = function (s) {
      var id = s.getAttribute("data-s") || s.id;
      history.replaceState(null, "", "#" + id);
      pin(id, false);
    };
    document.addEventListener("click", function (ev) {
      if (ev.target.closest("#pop, #actions, header")) return;
      var s = sentenceOf(ev.target), w = lookable(ev.target);
      if (s && !ev.target.closest("a")) choose(s);  // first: pinning moves the pair's actions, and so the text
      if (w) lookup(w, true);  // a click or a tap keeps the popup open until Escape or a click elsewhere
      else pop.hide();
    });
    // Arrow keys walk the words of the focused sentence (one Tab stop per sentence, not per word).
    function words(s) { return s.querySelectorAll("[data-k]"); }
    function focusWord(w) {
      var old = document.querySelector('.s [data-k][tabindex]');
      if (old && old !== w) old.removeAttribute("tabindex");
      w.setAttribute("tabindex", "-1");
      w.focus();
    }
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { if (!pop.node.hidden) { pop.hide(); escaped = true; ev.preventDefault(); } return; }
      var t = ev.target;
      var s = t.closest ? t.closest(".s") : null;
      if (s && (ev.key === "ArrowRight" || ev.key === "ArrowLeft")) {
        var list = Array.prototype.slice.call(words(s)), i = list.indexOf(t);
        var next = ev.key === "ArrowRight" ? (i < 0 ? 0 : i + 1) : (i < 0 ? list.length - 1 : i - 1);
        if (next >= 0 && next < list.length) { ev.preventDefault(); focusWord(list[next]); }
        else if (i >= 0) { ev.preventDefault(); s.focus(); }
        return;
      }
      var se = sentenceOf(t);
      if (se && (ev.key === "Enter" || ev.key === " ") && !t.closest("a, input, select, button")) { ev.preventDefault(); choose(se); }
    });
    var hashId = function () { try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; } };
    window.addEventListener("hashchange", function () { pin(hashId(), true); });
    if (location.hash.length > 1) {
      var target = hashId();
      pin(target, true);
      // Rows far from the screen are laid out lazily (content-visibility), so scroll again once they settle.
      window.addEventListener("load", function () { requestAnimationFrame(function () { var t = document.getElementById(target); if (t) { reveal(t); t.scrollIntoView({ block: "start" }); } }); });
    }

    // --- copy the pinned pair with a citation ---------------------------------------------
    function englishOf(s) {
      var en = document.querySelector('.s-en[data-s="' + CSS.escape(s.id) + '"]');
      if (!en) return { text: "", label: "" };
      var mt = en.querySelector(".mt"), org = en.querySelector(".org");
      if (mt && !body.classList.contains("layer-gloss")) return { text: mt.textContent, label: org ? org.title : "machine translation" };
      var pairs = Array.prototype.map.call(en.querySelectorAll(".gp"), function (p) { return p.getAttribute("data-zh") + " " + p.textContent; });
      return { text: pairs.join(" · "), label: "word gloss, not a translation" };
    }
    function citation(s) {
      var d = data.doc, url = location.href.split("#")[0] + "#" + s.id;
      return "— " + [d.source, d.date, "“" + d.title + "”", "sentence " + s.getAttribute("data-n") + " (" + s.id + ")", url].filter(Boolean).join(", ");
    }
    function copyText(text, done) {
      var fallback = function () {
        var ta = el("textarea"); ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
        document.body.appendChild(ta); ta.select();
        var ok = false; try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        ta.remove(); done(ok);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
      else fallback();
    }
    var copyStatus = document.getElementById("copy-status");
    document.getElementById("copy-pair").addEventListener("click", function () {
      if (!pinned) return;
      var en = englishOf(pinned);
      var text = pinned.textContent + "\n" + en.text + (en.label ? " [" + en.label + "]" : "") + "\n" + citation(pinned) + "\n";
      copyText(text, function (ok) { copyStatus.textContent = ok ? "Pair copied" : "Copy failed: select and copy by hand"; });
    });
    document.getElementById("copy-link").addEventListener("click", function () {
      if (!pinned) return;
      copyText(location.href.split("#")[0] + "#" + pinned.id, function (ok) { copyStatus.textContent = ok ? "Link copied" : "Copy failed"; });
    });

    // --- display options, remembered across pages and visits ------------------------------
    var marked = null;  // word -> its tone-marked pinyin, once numbers were shown
    function setToneNumbers(on) {
      if (!marked) {
        if (!on) return;
        marked = new Map();
        each("main [data-py]", function (w) { marked.set(w, w.getAttribute("data-py")); });
      }
      marked.forEach(function (py, w) { w.setAttribute("data-py", on ? wordToneNumbers(py) : py); });
      body.classList.toggle("tone-num", on);
    }
    [["opt-pinyin", function (on) { body.classList.toggle("no-pinyin", !on); }],
     ["opt-tone-num", setToneNumbers],
     ["opt-entities", function (on) { body.classList.toggle("no-entities", !on); }],
     ["opt-align", function (on) { body.classList.toggle("aligned", on); }]].forEach(function (t) {
      var box = document.getElementById(t[0]);
      if (!box) return;
      box.checked = store.get(t[0], box.checked ? "1" : "0") === "1";
      t[1](box.checked);
      box.addEventListener("change", function () { store.set(t[0], box.checked ? "1" : "0"); t[1](box.checked); estimateRows(); });
    });
    var layer = document.getElementById("opt-layer");
    var setLayer = function (v) { ["mt", "gloss", "both", "none"].forEach(function (l) { body.classList.toggle("layer-" + l, l === v); }); };
    var saved = store.get("layer", layer.value);
    var opt = layer.querySelector('option[value="' + CSS.escape(saved) + '"]');
    if (opt && !opt.disabled) layer.value = saved;
    setLayer(layer.value);
    layer.addEventListener("change", function () { store.set("layer", layer.value); setLayer(layer.value); estimateRows(); });

    // --- long documents: a height estimate for every row not yet laid out -------------------
    // Rows off screen are skipped (content-visibility); without a good estimate the scrollbar
    // would grow and jump while reading.  Each row's estimate comes from its length, scaled by
    // what the rows already laid out measure.
    function estimateRows() {
      var rows = document.querySelectorAll(".row[data-z]");
      if (!rows.length) return;
      var first = Array.prototype.find.call(rows, function (r) { return !r.classList.contains("gone"); }) || rows[0];
      var zhBox = first.querySelector(".zh"), enBox = first.querySelector(".en");
      var zw = Math.max(100, zhBox.clientWidth), ew = Math.max(100, enBox.clientWidth);
      var zs = getComputedStyle(zhBox), es = getComputedStyle(enBox);
      var zAdvance = parseFloat(zs.fontSize) + (parseFloat(zs.letterSpacing) || 0), zLine = parseFloat(zs.lineHeight) || parseFloat(zs.fontSize) * 2;
      var eAdvance = parseFloat(es.fontSize) * 0.5, eLine = parseFloat(es.lineHeight) || parseFloat(es.fontSize) * 1.7;
      var stacked = zhBox.getBoundingClientRect().top !== enBox.getBoundingClientRect().top && first.offsetWidth < 2 * zw;
      var gloss = body.classList.contains("layer-gloss") || body.classList.contains("layer-both");
      var guess = function (r) {
        var z = Math.ceil(+r.getAttribute("data-z") * zAdvance / zw) * zLine;
        var e = body.classList.contains("layer-none") ? 0 : Math.ceil(+r.getAttribute("data-e") * eAdvance * (gloss ? 1.6 : 1) / ew) * eLine;
        return (stacked ? z + e : Math.max(z, e)) + 8;
      };
      var seen = 0, est = 0;
      Array.prototype.forEach.call(rows, function (r) {
        var box = r.getBoundingClientRect();
        if (box.bottom > 0 && box.top < window.innerHeight) { seen += r.offsetHeight; est += guess(r); }
      });
      var scale = seen && est ? Math.min(3, Math.max(0.33, seen / est)) : 1;
      Array.prototype.forEach.call(rows, function (r) {
        var h = Math.round(guess(r) * scale) + "px";
        r.style.containIntrinsicSize = "auto " + h;
        if (r.classList.contains("gone")) r.style.height = h;  // its measured height is out of date now
      });
    }

    // --- long documents: rows far from the screen give their layout back -------------------
    // content-visibility skips rows never shown, but a row once laid out keeps its boxes and
    // styles (a long page has tens of thousands of words): scrolled end to end, the renderer
    // would hold the layout of the whole page.  A row two screens away is taken out of layout
    // (display: none, which frees its boxes) and then kept as hidden="until-found": its text
    // stays in the page, so the browser's find (Ctrl+F), text fragments and copy still reach
    // it, and it is laid out again when it comes near.  Its height is kept meanwhile.
    function released(r) { return r.classList.contains("gone"); }
    function release(r) {
      r.style.height = r.getBoundingClientRect().height + "px";  // to the subpixel: nothing below moves
      r.classList.add("far");
      void r.offsetHeight;  // the style and layout update that drops the row's boxes, now
      each(":scope > .zh, :scope > .en", function (c) { c.hidden = "until-found"; }, r);
      r.classList.replace("far", "gone");
    }
    function restore(r) {
      if (!released(r)) return;
      each(":scope > .zh, :scope > .en", function (c) { c.hidden = false; }, r);
      r.classList.remove("gone");
      r.style.height = "";
    }
    function reveal(node) { var r = node.closest(".row"); if (r) restore(r); }
    if (window.IntersectionObserver) {
      var near = new IntersectionObserver(function (changes) {
        changes.forEach(function (c) {
          var r = c.target;
          if (c.isIntersecting) { restore(r); r.setAttribute("data-seen", ""); }
          else if (r.hasAttribute("data-seen") && !released(r)) release(r);
        });
      }, { rootMargin: "200% 0px" });
      each(".row[data-z]", function (r) { near.observe(r); });
    }
    // The browser reveals a row that its find (Ctrl+F) or a text fragment lands in.
    document.addEventListener("beforematch", function (ev) { reveal(ev.target); });
    // Printing and copying a selection need every row's text laid out.
    window.addEventListener("beforeprint", function () { each(".row.gone", restore); });
    document.addEventListener("copy", function () {
      var sel = document.getSelection();
      if (sel && sel.rangeCount) each(".row.gone", function (r) { if (sel.containsNode(r, true)) restore(r); });
    });
    estimateRows();
    window.addEventListener("resize", function () { clearTimeout(estimateRows.t); estimateRows.t = setTimeout(estimateRows, 200); });

    // --- search in this document: highlights the match itself; Enter and the arrows step -------
    var box = document.getElementById("search"), status = document.getElementById("search-status");
    var prev = document.getElementById("search-prev"), next = document.getElementById("search-next"), all = document.getElementById("search-all");
    box.form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var units = null, hits = [], current = -1;
    function buildUnits() {
      return Array.prototype.map.call(document.querySelectorAll(".s"), function (s) {
        var nodes = [], zh = "", syls = [];
        var walk = function (n) {
          n.childNodes.forEach(function (c) {
            if (c.nodeType === 3) { nodes.push([c, zh.length]); zh += c.nodeValue; }
            else {
              var a = zh.length;
              walk(c);
              var py = c.getAttribute && c.getAttribute("data-py");
              if (py) pushSyllables(syls, wordSyllables(marked && marked.get(c) || py).map(toneNumber).map(plainSylNum), a, zh.length);
            }
          });
        };
        walk(s);
        var en = document.querySelector('.s-en[data-s="' + CSS.escape(s.id) + '"]');
        return { s: s, zh: zh, nodes: nodes, syls: syls, en: en };
      });
    }
    function plainSylNum(n) { return n.normalize("NFC").toLowerCase().replace(/ü/g, "v").replace(/[^a-z1-5]/g, ""); }
    function rangeIn(nodes, a, b) {
      var r = document.createRange(), started = false;
      for (var i = 0; i < nodes.length; i++) {
        var n = nodes[i][0], off = nodes[i][1], len = n.nodeValue.length;
        if (!started && a < off + len) { r.setStart(n, a - off); started = true; }
        if (started && b <= off + len) { r.setEnd(n, b - off); return r; }
      }
      return null;
    }
    function enNodes(en) {
      var part = en.querySelector(".mt") && !body.classList.contains("layer-gloss") ? en.querySelector(".mt") : en.querySelector(".gl");
      var nodes = [], text = "";
      var walk = function (n) { n.childNodes.forEach(function (c) { if (c.nodeType === 3) { nodes.push([c, text.length]); text += c.nodeValue; } else walk(c); }); };
      if (part) walk(part);
      return { nodes: nodes, text: text };
    }
    var canHighlight = !!(window.CSS && CSS.highlights && window.Highlight);
    function show() {
      if (canHighlight) {
        CSS.highlights.set("search", new Highlight());
        CSS.highlights.set("search-now", new Highlight());
        hits.forEach(function (h, i) { if (h.range) CSS.highlights.get(i === current ? "search-now" : "search").add(h.range); });
      }
      each(".s.match", function (e) { e.classList.remove("match"); });
      hits.forEach(function (h) { h.u.s.classList.add("match"); });
      prev.disabled = next.disabled = hits.length < 2;
      var c = compile(box.value, "auto");
      status.textContent = !c ? "" : hits.length ? (current + 1) + " of " + hits.length + (hits.length === 1 ? " match" : " matches")
        : "no match in this document";
      if (hits[current]) { reveal(hits[current].u.s); hits[current].u.s.scrollIntoView({ block: "center" }); }
    }
    function step(d) { if (hits.length) { current = (current + d + hits.length) % hits.length; show(); } }
    function runSearch() {
      units = units || buildUnits();
      var c = compile(box.value, "auto");
      all.href = "search.html" + (c ? "?q=" + encodeURIComponent(c.raw) : "");
      hits = [];
      if (c) units.forEach(function (u) {
        var en = u.en ? enNodes(u.en) : { nodes: [], text: "" };
        findHits(c, u.zh, u.syls, en.text).forEach(function (h) {
          hits.push({ u: u, range: h.lang === "zh" ? rangeIn(u.nodes, h.a, h.b) : rangeIn(en.nodes, h.a, h.b) });
        });
      });
      current = hits.length ? 0 : -1;
      show();
    }
    box.addEventListener("input", runSearch);
    box.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); step(ev.shiftKey ? -1 : 1); } });
    prev.addEventListener("click", function () { step(-1); });
    next.addEventListener("click", function () { step(1); });
  }

  function setupTable() {
    var table = document.getElementById("gloss-table");
    var rows = function () { return Array.prototype.slice.call(table.tBodies[0].rows); };
    var collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
    each("th button", function (btn) {
      var col = +btn.getAttribute("data-sort");
      btn.addEventListener("click", function () {
        var th = btn.parentNode, asc = th.getAttribute("aria-sort") !== "ascending";
        var key = function (r) {
          var c = r.cells[col];
          return c.hasAttribute("data-n") ? +c.getAttribute("data-n") : c.hasAttribute("data-key") ? c.getAttribute("data-key") : c.textContent.trim();
        };
        var sorted = rows().sort(function (a, b) {
          var x = key(a), y = key(b);
          return (typeof x === "number" ? x - y : collator.compare(x, y)) * (asc ? 1 : -1);
        });
        each("th[aria-sort]", function (h) { h.setAttribute("aria-sort", "none"); }, table);
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        sorted.forEach(function (r) { table.tBodies[0].appendChild(r); });
      });
    }, table);
  }

  // --- the concordance: documents loaded one after another as a <script> ---------------------
  // Only the documents the global term index (search/terms-N.js) says can match are loaded.
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  // A document's compact index (html/concordance.py) as rows [id suffix, Chinese, English,
  // origin, token offsets, UPOS letters, pinyin per token, entities, terms].
  function decodeIndex(d) {
    var u = d.u, split = function (s) { return u.length ? s.split("\t") : []; };
    var w = split(d.w), p = split(d.p), g = d.g !== undefined ? split(d.g) : [], k = d.k;
    var triples = function (flat, names) {
      var out = [];
      for (var i = 0; i + 2 < flat.length; i += 3) out.push([flat[i], flat[i + 1], names[flat[i + 2]]]);
      return out;
    };
    d.s = d.s.map(function (r) {
      var code = r[1] || "", ids = [], text = "", offs = [];
      for (var i = 0; i < code.length; i += k) {
        var n = 0;
        for (var j = i; j < i + k; j++) n = n * 64 + DIGITS.indexOf(code[j]);
        ids.push(n);
      }
      if (r.length > 6) { text = r[6]; offs = r[7] || []; }
      else ids.forEach(function (n) { offs.push(text.length); text += w[n]; offs.push(text.length); });
      var en = r.length > 2 ? r[2] : "";
      if (en === 0) en = ids.map(function (n) { return g[n]; }).filter(Boolean).join(d.sep);
      return [r[0], text, en, r[3] || "g", offs, ids.map(function (n) { return u[n]; }).join(""),
              ids.map(function (n) { return p[n]; }).join(" "), triples(r[4] || [], d.et), triples(r[5] || [], d.tm)];
    });
    return d;
  }
  function posting(v) {  // a document list of the term index: base-36 gaps, or "=" and a base-64 bitmap
    var out = [];
    if (v[0] === "=") {
      var bits = atob(v.slice(1));
      for (var i = 0; i < bits.length; i++) for (var b = 0; b < 8; b++) if (bits.charCodeAt(i) & (1 << b)) out.push(8 * i + b);
    } else {
      var last = -1;
      v.split(",").forEach(function (gap) { last += parseInt(gap, 36) + 1; out.push(last); });
    }
    return new Set(out);
  }
  var union = function (a, b) { b.forEach(function (x) { a.add(x); }); return a; };
  var intersect = function (a, b) { var out = new Set(); a.forEach(function (x) { if (b.has(x)) out.add(x); }); return out; };
  function setupConcordance() {
    var docs = [], docTitle = {}, cache = {}, cached = 0, CACHE_LIMIT = 400, shards = 1, unknown = [], shardCache = {};
    var indexed = [];  // the code point ranges the term index counts as Han (annotate.zh)
    var form = document.getElementById("conc-form"), statusEl = document.getElementById("conc-status");
    var table = document.getElementById("conc"), tbody = table.tBodies[0];
    var counts = document.getElementById("conc-counts"), exportBtn = document.getElementById("export-tsv");
    var fields = { q: "q", mode: "f-mode", doc: "f-doc", pos: "f-pos", ent: "f-ent", term: "f-term" };
    var results = [], run = 0, SHOW = 2000;
    var pending = null, pendingShard = {};
    window.annotateIndex = function (d) { if (pending) pending(d); };
    window.annotateTerms = function (i, m) { shardCache[i] = m; if (pendingShard[i]) pendingShard[i](); };
    window.annotateDocs = function (list) {
      docs = list.docs; shards = list.shards; unknown = list.unknown; indexed = list.han;
      docs.forEach(function (d) { docTitle[d[0]] = d[1]; });
      var params = new URLSearchParams(location.search);
      Object.keys(fields).forEach(function (k) { if (params.has(k)) document.getElementById(fields[k]).value = params.get(k); });
      if (Object.keys(fields).some(function (k) { return params.get(k); })) search();
    };
    function script(src, fail) {
      var s = document.createElement("script");
      s.onerror = function () { s.remove(); fail(); };
      s.onload = function () { s.remove(); };
      s.src = src;
      document.head.appendChild(s);
    }
    function load(id, done) {
      if (cache[id]) { done(cache[id]); return; }
      pending = function (d) {
        pending = null;
        d = decodeIndex(d);
        if (cached < CACHE_LIMIT) { cache[id] = d; cached++; }
        done(d);
      };
      script("search/" + encodeURIComponent(id) + ".js", function () { pending = null; done(null); });
    }
    function loadShards(numbers, done) {  // every shard named, then done(); a shard that fails is null
      var todo = numbers.filter(function (n, i) { return !(n in shardCache) && numbers.indexOf(n) === i; });
      var nextShard = function () {
        if (!todo.length) { done(); return; }
        var n = todo.shift();
        pendingShard[n] = function () { delete pendingShard[n]; nextShard(); };
        script("search/terms-" + n + ".js", function () { shardCache[n] = null; pendingShard[n](); });
      };
      nextShard();
    }
    var shardOf = function (key) { return key.codePointAt(key[0] === "." ? 1 : 0) % shards; };
    // The documents that can match: a Set of document numbers, or null for "any of them".
    function candidates(c, f, done) {
      var need = [], plans = [];
      var exact = function (key) { need.push(shardOf(key)); return function () { var m = shardCache[shardOf(key)]; return m === null ? null : m && m[key] ? posting(m[key]) : new Set(); }; };
      var prefix = function (word) {
        need.push(shardOf("." + word));
        return function () {
          var m = shardCache[shardOf("." + word)], out = new Set();
          if (m === null) return null;
          Object.keys(m || {}).forEach(function (key) { if (key.lastIndexOf("." + word, 0) === 0) union(out, posting(m[key])); });
          return out;
        };
      };
      var all = function (parts) {  // every part must hold
        return function () {
          var out = null;
          for (var i = 0; i < parts.length; i++) { var s = parts[i](); if (s !== null) out = out === null ? s : intersect(out, s); }
          return out;
        };
      };
      var anyOf = function (parts) {  // one part must hold (null if one of them cannot tell)
        return function () {
          var out = new Set();
          for (var i = 0; i < parts.length; i++) { var s = parts[i](); if (s === null) return null; union(out, s); }
          return out;
        };
      };
      var pinyin = function (plain) {  // the syllables of some reading of a toneless pinyin string
        need.push(shardOf("~"));
        return function () {
          var m = shardCache[shardOf("~")];
          if (m === null) return null;
          var memo = {};
          var from = function (i) {
            if (i === plain.length) return null;  // nothing more to hold
            if (i in memo) return memo[i];
            var out = new Set();
            for (var j = plain.length; j > i; j--) {
              var v = m && m["~" + plain.slice(i, j)];
              if (!v) continue;
              var rest = from(j), here = posting(v);
              union(out, rest === null ? here : intersect(here, rest));
            }
            return (memo[i] = out);
          };
          return from(0) || new Set();
        };
      };
      if (c) {
        var ways = [], open = false;
        if (c.zh) {
          var han = Array.from(c.zh).filter(function (ch) {
            var o = ch.codePointAt(0);
            return indexed.some(function (r) { return r[0] <= o && o <= r[1]; });
          });
          var word = /[a-z0-9]+/.exec(c.zh.toLowerCase());
          if (han.length) ways.push(all(han.map(exact)));
          else if (word) ways.push(prefix(word[0]));
          else open = true;
        }
        if (c.py) {
          var plain = c.py.key.normalize("NFD").replace(/u\u0308/g, "v").replace(/ü/g, "v").replace(/[^a-z]/g, "");
          if (plain) ways.push(pinyin(plain)); else open = true;
        }
        if (c.en) {
          var first = /^[a-z0-9]+/.exec(c.raw.toLowerCase());
          if (first) ways.push(prefix(first[0])); else open = true;
        }
        if (!open && ways.length) plans.push(anyOf(ways));
      }
      if (f.term) plans.push(exact("#" + f.term));
      if (!plans.length) { done(null); return; }
      loadShards(need, function () {
        var found = all(plans)();
        if (found !== null) unknown.forEach(function (n) { found.add(n); });
        done(found);
      });
    }
    function value(k) { return document.getElementById(fields[k]).value; }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var params = new URLSearchParams();
      Object.keys(fields).forEach(function (k) { if (value(k) && !(k === "mode" && value(k) === "auto")) params.set(k, value(k)); });
      history.replaceState(null, "", "?" + params.toString());
      search();
    });
    // Hits of one sentence row: query hits, or (with no query) every unit the filters name.
    function rowHits(c, row, f) {
      var zh = row[1], en = row[2], offs = row[4], upos = row[5], pys = row[6].split(" "), ents = row[7], terms = row[8];
      var hits;
      if (c) {
        var syls = [];
        for (var t = 0; t < upos.length; t++) {
          if (pys[t]) pushSyllables(syls, pys[t].match(/[a-zv]+[1-5]/g) || [], offs[2 * t], offs[2 * t + 1]);
        }
        hits = findHits(c, zh, syls, en);
      } else if (f.term) hits = terms.filter(function (x) { return x[2] === f.term; }).map(function (x) { return { lang: "zh", a: x[0], b: x[1] }; });
      else if (f.ent) hits = ents.filter(function (x) { return x[2] === f.ent; }).map(function (x) { return { lang: "zh", a: x[0], b: x[1] }; });
      else if (f.pos) {
        hits = [];
        for (var k = 0; k < upos.length; k++) if (upos[k] === f.pos) hits.push({ lang: "zh", a: offs[2 * k], b: offs[2 * k + 1] });
      } else hits = [];
      return hits.filter(function (h) {
        if (h.lang !== "zh") return !f.pos && !f.ent && (!f.term || terms.some(function (x) { return x[2] === f.term; }));
        var inside = function (x) { return x[0] <= h.a && h.b <= x[1]; };
        if (f.term && !terms.some(function (x) { return x[2] === f.term && inside(x); })) return false;
        if (f.ent && !ents.some(function (x) { return x[2] === f.ent && inside(x); })) return false;
        if (f.pos) {  // every word the hit touches has that part of speech
          for (var i = 0; i < upos.length; i++) if (offs[2 * i] < h.b && h.a < offs[2 * i + 1] && upos[i] !== f.pos && upos[i] !== "M") return false;
        }
        return true;
      });
    }
    function search() {
      var c = compile(value("q"), value("mode"));
      var f = { doc: value("doc"), pos: value("pos") ? String.fromCharCode(65 + ["ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"].indexOf(value("pos"))) : "",
                ent: value("ent"), term: value("term") };
      var mine = ++run;
      results = [];
      tbody.textContent = ""; counts.tBodies[0].textContent = "";
      table.hidden = counts.hidden = true; exportBtn.disabled = true;
      if (!c && !f.pos && !f.ent && !f.term) { statusEl.textContent = "Type a query or choose a filter."; return; }
      statusEl.textContent = "Looking up the term index…";
      candidates(c, f, function (maybe) { if (mine === run) searchDocs(c, f, mine, maybe); });
    }
    function searchDocs(c, f, mine, maybe) {
      var list = docs.filter(function (d, n) { return (!f.doc || d[0] === f.doc) && (!maybe || maybe.has(n)); });
      var i = 0, perDoc = {}, total = f.doc ? 1 : docs.length;
      var nextDoc = function () {
        if (mine !== run) return;  // a newer search started
        if (i >= list.length) { finish(perDoc, total, list.length); return; }
        var id = list[i++][0];
        statusEl.textContent = "Searching " + i + " of " + list.length + " documents that can match… " + results.length + " hits";
        load(id, function (d) {
          if (mine !== run) return;
          if (d) d.s.forEach(function (row) {
            rowHits(c, row, f).forEach(function (h) {
              results.push({ doc: d, row: row, h: h });
              perDoc[d.id] = (perDoc[d.id] || 0) + 1;
              if (results.length <= SHOW) tbody.appendChild(line(d, row, h));
            });
          });
          setTimeout(nextDoc, 0);
        });
      };
      nextDoc();
    }
    function line(d, row, h) {
      var tr = el("tr"), text = h.lang === "zh" ? row[1] : row[2], sid = d.id + "." + row[0];
      var where = el("td", "kwic-where"), a = el("a", "", (d.title || d.id));
      a.href = encodeURIComponent(d.id) + ".html#" + encodeURIComponent(sid);
      a.lang = "zh-Hans";
      where.appendChild(a);
      where.appendChild(el("small", "", " " + row[0]));
      var lang = h.lang === "zh" ? "zh-Hans" : "en";
      var left = el("td", "kwic-left", text.slice(Math.max(0, h.a - 30), h.a)), hit = el("td", "kwic-hit", text.slice(h.a, h.b));
      var right = el("td", "kwic-right", text.slice(h.b, h.b + 30));
      [left, hit, right].forEach(function (td) { td.lang = lang; });
      tr.appendChild(where); tr.appendChild(left); tr.appendChild(hit); tr.appendChild(right);
      var other = el("tr", "kwic-other"), td = el("td", "", h.lang === "zh" ? row[2] : row[1]);
      td.colSpan = 4; td.lang = h.lang === "zh" ? "en" : "zh-Hans";
      if (h.lang === "zh" && row[3] !== "h") td.appendChild(el("small", "org", " " + { m: "MT", l: "machine draft", g: "word gloss" }[row[3]]));
      other.appendChild(td);
      var frag = document.createDocumentFragment();
      frag.appendChild(tr); frag.appendChild(other);
      return frag;
    }
    function finish(perDoc, total, read) {
      var n = results.length, docsHit = Object.keys(perDoc).sort();
      statusEl.textContent = n + (n === 1 ? " hit" : " hits") + " in " + docsHit.length + " of " + total + " documents" +
        (read < total ? " (" + read + " read: the term index ruled out the others)" : "") +
        (n > SHOW ? " (the first " + SHOW + " are shown; the export has them all)" : "");
      docsHit.forEach(function (id) {
        var tr = el("tr"), td = el("td"), a = el("a", "", docTitle[id] || id);
        a.href = "?" + new URLSearchParams(Object.assign({}, currentParams(), { doc: id })).toString();
        a.lang = "zh-Hans";
        td.appendChild(a); tr.appendChild(td); tr.appendChild(el("td", "", String(perDoc[id])));
        counts.tBodies[0].appendChild(tr);
      });
      table.hidden = counts.hidden = n === 0;
      exportBtn.disabled = n === 0;
    }
    function currentParams() {
      var o = {};
      Object.keys(fields).forEach(function (k) { if (value(k) && !(k === "mode" && value(k) === "auto")) o[k] = value(k); });
      return o;
    }
    exportBtn.addEventListener("click", function () {
      var clean = function (s) { return String(s).replace(/[\t\r\n]+/g, " "); };
      var lines = ["document\tsentence\tlanguage\tleft\thit\tright\tchinese\tenglish\tenglish_origin\turl"];
      var origin = { m: "machine translation", l: "machine draft", g: "word gloss", h: "human" };
      results.forEach(function (r) {
        var text = r.h.lang === "zh" ? r.row[1] : r.row[2], sid = r.doc.id + "." + r.row[0];
        lines.push([r.doc.id, sid, r.h.lang, text.slice(Math.max(0, r.h.a - 30), r.h.a), text.slice(r.h.a, r.h.b), text.slice(r.h.b, r.h.b + 30),
                    r.row[1], r.row[2], origin[r.row[3]], new URL(r.doc.id + ".html#" + sid, location.href).href].map(clean).join("\t"));
      });
      var a = el("a");
      a.href = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/tab-separated-values" }));
      a.download = "concordance.tsv";
      document.body.appendChild(a); a.click(); a.remove();
    });
  }
})();
