"""Features of each non-blank line of a page, for the line tagger (tagger.py).

A line is described by what a reader of an OCR page looks at: its width against the local
column width (spaces of justified print counted or not) and how far it falls short of it; how
it ends (a sentence end, clause punctuation, a colon, an open bracket, a digit, a letter, a
Chinese character) and how the next one starts (would the join split a number or a word?); a
bracket or quote left open; indentation; print spacing; whether it has punctuation at all, or a
sentence end before its last character; the byline, dateline, caption, note and numbering
patterns of patterns.py; blank lines around it; and whether the page is hard-wrapped at all.
The same facts of the two lines either side and a few conjunctions complete the picture; the
sequence model adds the order of labels.

Every feature is a small integer (a *template* and its value), computed for the whole page at
once: the page's characters become one array of code points, per-line counts are bin counts
over it, the column width is a sliding-window percentile, and the patterns run only on the
lines whose characters could match them.  The tagger adds up one weight table per template.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..zh import CLOSERS, HAN_RANGES, OPENERS, SENTENCE_END
from .patterns import CAPTION, CREDIT_ONLY, ENUMERATOR, LEAD_BYLINE, NOTE, STANDALONE_BYLINE, squeeze

_WINDOW = 15  # lines on either side for the local column width

# Character classes.
_OTHER, _SPACE, _HAN, _DIGIT, _LATIN, _SENT, _CLAUSE, _COLON, _OPEN, _CLOSE = range(10)
_WHITESPACE = " \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
#: East Asian Wide and Fullwidth blocks (as zh.display_width counts them): two units of print.
_WIDE_RANGES = ((0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF),
                (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE6F), (0xFF00, 0xFF60), (0xFFE0, 0xFFE6),
                (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF), (0x20000, 0x3FFFD))

#: Characters that must be on a line (or, for datelines, on it or the next) for a pattern to match it.
_TRIGGERS = {
    "cap": "摄攝图圖资資供▲△",
    "credit": "摄攝发發",
    "by": "记記者通讯訊员員实實习習整报報撰采採编編综綜发發布文图圖长長席理任",
    "lead": "讯訊电電息报報者导導】",
}
_NOTE_FIRST = "以本上此编編来來责責（"
#: Punctuation that Unicode calls ambiguous-width but Chinese typesetting sets a full em wide.
_EM_PUNCT = "“”‘’…—·"
#: A paragraph of news often opens with its date or time: 1月5日，2019年，今（9）日，近日，昨天.
_DATE_OPENING = re.compile(r"[\d０-９]{1,4}[年月日]|[\d０-９]{1,2}[时時点點]|[今昨前明本][（(]?[\d０-９]*[）)]?[日天年]|近日|日前|近期|目前|当天|當天|近年|今年|去年|上午|下午|晚上")
_ENUM_FIRST = "一二三四五六七八九十（(0123456789第"

#: Bucket edges: width against the column, padded width against it, units short of it, characters.
_W_EDGES = (0.35, 0.6, 0.8, 0.92, 1.02, 1.15, 1.5, 2.0, 3.0)
_PW_EDGES = (0.8, 0.92, 1.02, 1.15)
_SHORT_EDGES = (1.5, 3.5, 5.5, 9.5, 16.5)
_LEN_EDGES = (3, 6, 9, 13, 18, 25, 40)
_COL_EDGES = (18, 26, 34, 46)
_END_KINDS = 10  # none, sent, clause, colon, open, digit, latin, han, other, close-only
_START_KINDS = 7  # none, open, punct, digit, latin, han, other


@lru_cache(maxsize=1)
def _two_character_words() -> frozenset[str]:
    """Chinese words of two characters (jieba's dictionary, read as a file: jieba itself is not
    imported).  A line break between the two characters of a word is a break inside the word."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return frozenset()
    words = set()
    with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            if len(line) > 3 and line[2] == " ":
                words.add(line[:2])
    return frozenset(words)


@lru_cache(maxsize=1)
def _tables() -> tuple[Any, Any, Any]:
    """Character class, printed width (spaces count, as padded_width does) and display width
    (spaces count nothing, as display_width does) for every code point."""
    import numpy as np

    cls = np.full(0x110000, _OTHER, np.uint8)
    for a, b in HAN_RANGES:
        cls[a : b + 1] = _HAN
    for chars, c in ((SENTENCE_END, _SENT), ("，、；,;", _CLAUSE), ("：:", _COLON), (OPENERS, _OPEN), (CLOSERS, _CLOSE),
                     ("0123456789０１２３４５６７８９", _DIGIT), (_WHITESPACE, _SPACE)):
        cls[[ord(ch) for ch in chars]] = c
    cls[ord("A") : ord("Z") + 1] = _LATIN
    cls[ord("a") : ord("z") + 1] = _LATIN
    padded = np.ones(0x110000, np.uint8)
    for a, b in _WIDE_RANGES:
        padded[a : b + 1] = 2
    padded[[ord(ch) for ch in _EM_PUNCT]] = 2
    display = padded.copy()
    display[[ord(ch) for ch in _WHITESPACE]] = 0
    return cls, padded, display


@dataclass
class LineFeatures:
    """For the page's non-blank lines (``idx``, 0-based line numbers): one integer per template."""

    idx: list[int]
    names: list[str]
    sizes: list[int]
    codes: Any  # numpy int32 array, templates × lines

    def attributes(self) -> list[list[str]]:
        """The features as CRFsuite attribute strings (``template=value``), for training."""
        return [[f"{n}={int(c)}" for n, c in zip(self.names, col, strict=True)] for col in self.codes.T]


def _bucket(np: Any, x: Any, edges: tuple[float, ...]) -> Any:
    return np.searchsorted(np.asarray(edges, dtype=float), x, side="right").astype(np.int32)


def _per_line(np: Any, line_of: Any, mask: Any, n: int, weights: Any = None) -> Any:
    w = None if weights is None else weights[mask]
    return np.bincount(line_of[mask], weights=w, minlength=n)


def _first_last(np: Any, line_of: Any, mask: Any, n: int) -> tuple[Any, Any]:
    """Position of the first and the last character of each line where ``mask`` holds (-1: none)."""
    pos = np.flatnonzero(mask)
    first = np.full(n, -1, np.int64)
    last = np.full(n, -1, np.int64)
    if len(pos):
        lo = line_of[pos]
        change = np.flatnonzero(np.diff(lo)) + 1
        starts = np.concatenate(([0], change))
        ends = np.concatenate((change - 1, [len(pos) - 1]))
        first[lo[starts]] = pos[starts]
        last[lo[ends]] = pos[ends]
    return first, last


def _local_columns(np: Any, widths: Any) -> Any:
    """The upper quartile of the widths of the lines around each line: the column width there
    (full lines are the widest that still belong to the column)."""
    n = len(widths)
    size = 2 * _WINDOW + 1
    padded = np.concatenate((np.full(_WINDOW, -1.0), widths.astype(float), np.full(_WINDOW, -1.0)))
    windows = np.sort(np.lib.stride_tricks.sliding_window_view(padded, size), axis=1)
    valid = (windows >= 0).sum(axis=1)
    at = size - valid + (3 * valid) // 4
    return np.maximum(windows[np.arange(n), np.minimum(at, size - 1)], 1.0)


def _matches(lines: list[str], rows: Any, test: Any) -> Any:
    import numpy as np

    out = np.zeros(len(lines), np.int32)
    for k in np.flatnonzero(rows):
        out[k] = test(lines[k])
    return out


def line_features(page_lines: list[str]) -> LineFeatures:
    """The features of a page's non-blank lines, for the whole page at once."""
    import numpy as np

    idx = [i for i, ln in enumerate(page_lines) if ln.strip()]
    n = len(idx)
    lines = [page_lines[i] for i in idx]
    if not n:
        return LineFeatures(idx, [], [], np.zeros((0, 0), np.int32))
    cls_t, padded_t, display_t = _tables()
    text = "\n".join(lines)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    newline = cp == 10
    line_of = np.cumsum(newline) - newline
    cls = cls_t[cp]
    cls[newline] = _SPACE
    printed = np.where(newline, 0, padded_t[cp]).astype(np.int64)
    solid = ~newline & (cls != _SPACE)

    width = _per_line(np, line_of, solid, n, display_t[cp].astype(float))
    nchars = _per_line(np, line_of, solid, n)
    first, last = _first_last(np, line_of, solid, n)
    _, last_word = _first_last(np, line_of, solid & (cls != _CLOSE), n)
    cum = np.concatenate(([0], np.cumsum(printed)))
    line_start = np.concatenate(([0], np.flatnonzero(newline) + 1))
    padded = (cum[last + 1] - cum[first]).astype(float)
    indent_units = cum[first] - cum[line_start]

    def count(c: int) -> Any:
        return _per_line(np, line_of, cls == c, n)

    sent, clause, colon, opens, closes = count(_SENT), count(_CLAUSE), count(_COLON), count(_OPEN), count(_CLOSE)
    # How each line ends (closing marks skipped) and starts.
    end_cls = np.where(last_word >= 0, cls[np.maximum(last_word, 0)], -1)
    end = np.select(
        [last_word < 0, end_cls == _SENT, end_cls == _CLAUSE, end_cls == _COLON, end_cls == _OPEN, end_cls == _DIGIT,
         end_cls == _LATIN, end_cls == _HAN],
        [np.where(last >= 0, 9, 0), 1, 2, 3, 4, 5, 6, 7], 8).astype(np.int32)
    start_cls = cls[np.maximum(first, 0)]
    start = np.select(
        [first < 0, start_cls == _OPEN, np.isin(start_cls, (_SENT, _CLAUSE, _COLON, _CLOSE)), start_cls == _DIGIT,
         start_cls == _LATIN, start_cls == _HAN], [0, 1, 2, 3, 4, 5], 6).astype(np.int32)
    # Print spacing: a space between two Chinese characters.
    gap = np.flatnonzero((cls[1:-1] == _SPACE) & ~newline[1:-1] & (cls[:-2] == _HAN)
                         & ((cls[2:] == _HAN) | ((cls[2:] == _SPACE) & (np.roll(cls, -3)[:-2] == _HAN)))) + 1
    spaced = np.bincount(line_of[gap], minlength=n) > 0

    gaps = np.diff(np.asarray(idx)) > 1  # a blank line between two non-blank lines
    blank_before = np.concatenate(([1], gaps)).astype(np.int32)
    blank_after = np.concatenate((gaps, [1])).astype(np.int32)

    # The patterns, tried only where their characters are.
    stripped = [ln.strip() for ln in lines]
    has = {k: _per_line(np, line_of, np.isin(cp, np.frombuffer(v.encode("utf-32-le"), np.uint32)), n) > 0
           for k, v in _TRIGGERS.items()}
    first_char = np.where(first >= 0, cp[np.maximum(first, 0)], 0)
    lead_rows = has["lead"] | np.concatenate((has["lead"][1:], [False]))
    nxt = [*stripped[1:], ""]

    def dateline_size(text: str) -> int:
        m = LEAD_BYLINE.match(text)
        return m.end() if m else 0

    # 1: the line opens with a dateline; 2: one that runs on into the next line (新华社南京１０月⏎８日电),
    # unless the next line opens with a dateline of its own (a headline over it: 致贺信⏎央视网消息…).
    own = np.zeros(n, np.int32)
    rows = np.flatnonzero(lead_rows)
    for k in rows:
        own[k] = dateline_size(squeeze(stripped[k])) > 0
    lead = own.copy()
    for k in rows:
        if not own[k] and not (k + 1 < n and own[k + 1]):
            here = squeeze(stripped[k])
            lead[k] = 2 if dateline_size(here + squeeze(nxt[k])) > len(here) else 0
    spaced_one = [" ".join(s.split()) for s in stripped]
    # A byline alone on its line (1), or one broken over two lines (2: 本报记者 冯磊 通讯⏎员 余涛涛).
    by = _matches(spaced_one, has["by"] & (nchars <= 40), lambda s: STANDALONE_BYLINE.match(s) is not None)
    nxt_one = [*spaced_one[1:], ""]
    # (The marks may all be on the second line: （新聞及國際關係處⏎發布）.  A second line that is a
    # byline on its own is not the end of this one: 会议上⏎省长 王新伟.)
    by_here_or_next = has["by"] | np.concatenate((has["by"][1:], [False]))
    for k in np.flatnonzero(by_here_or_next & ~by.astype(bool) & (nchars <= 30)):
        if k + 1 < n and blank_after[k] == 0 and not by[k + 1] and STANDALONE_BYLINE.match(spaced_one[k] + nxt_one[k]) and len(spaced_one[k] + nxt_one[k]) <= 40:
            by[k] = 2
    # A caption ends with its photo credit, which may run on into the next line (图/蒋⏎刚).
    cap = np.zeros(n, np.int32)
    for k in np.flatnonzero(has["cap"] | np.concatenate((has["cap"][1:], [False]))):
        cap[k] = 1 if CAPTION.search(stripped[k]) else 2 if CAPTION.search(stripped[k] + nxt[k]) else 0
    credit = _matches(spaced_one, has["credit"], lambda s: CREDIT_ONLY.match(s) is not None)
    first_is = lambda chars: np.isin(first_char, np.frombuffer(chars.encode("utf-32-le"), np.uint32))  # noqa: E731
    note = _matches(stripped, first_is(_NOTE_FIRST), lambda s: NOTE.match(s) is not None)
    enum = _matches(stripped, first_is(_ENUM_FIRST), lambda s: ENUMERATOR.match(s) is not None)
    dash = _matches(stripped, first_is("—"), lambda s: s.startswith("——"))
    mark = first_is("【▲△").astype(np.int32)
    dated = np.array([_DATE_OPENING.match(squeeze(t)) is not None for t in stripped], np.int32)

    # Would joining the line to the next one mend a word broken at the line end (国⏎产)?
    words = _two_character_words()
    wordjoin = np.zeros(n, np.int32)
    for k in np.flatnonzero((end == 7) & np.concatenate((start[1:] == 5, [False]))):
        wordjoin[k] = 1 + ((stripped[k][-1] + nxt[k][0]) in words)

    # The column and the page.
    cols = _local_columns(np, width)
    # Hard-wrapped pages break sentences at line ends; pages of one paragraph per line end
    # their running-text lines with a sentence (running text: clause punctuation, or as wide as
    # the typical line).
    punct = (sent + clause + colon) > 0
    # (A numbered heading, 一、稳定外贸主体, is not running text, whatever its width.)
    running = ((width >= 0.8 * np.median(width)) | punct) & (enum == 0)
    running[-1] = False
    broken = running & (end != 1)
    wrapped = int(running.sum() > 0 and broken.sum() >= running.sum() / 3)

    f: dict[str, tuple[Any, int]] = {}

    def put(name: str, codes: Any, size: int) -> None:
        f[name] = (np.asarray(codes, np.int32), size)

    put("w", _bucket(np, width / cols, _W_EDGES), len(_W_EDGES) + 1)
    put("pw", _bucket(np, padded / cols, _PW_EDGES), len(_PW_EDGES) + 1)
    put("short", _bucket(np, cols - padded, _SHORT_EDGES), len(_SHORT_EDGES) + 1)
    put("len", _bucket(np, nchars, _LEN_EDGES), len(_LEN_EDGES) + 1)
    put("col", _bucket(np, cols, _COL_EDGES), len(_COL_EDGES) + 1)
    put("end", end, _END_KINDS)
    put("start", start, _START_KINDS)
    put("indent", np.minimum(indent_units, 2), 3)
    put("bb", blank_before, 2)
    put("ba", blank_after, 2)
    put("punct", punct, 2)
    put("sent_in", np.minimum(sent - (end == 1), 2) > 0, 2)
    put("open", np.sign(opens - closes) + 1, 3)
    put("spaced", spaced, 2)
    put("lead", lead, 3)
    put("by", by, 3)
    put("cap", cap, 3)
    put("credit", credit, 2)
    put("note", note, 2)
    put("enum", enum, 2)
    put("dash", dash, 2)
    put("mark", mark, 2)
    put("dated", dated, 2)
    put("fullstop", np.array([t.rstrip(CLOSERS)[-1:] in "。．." for t in stripped], np.int32), 2)
    put("wrapped", np.full(n, wrapped), 2)
    put("wordjoin", wordjoin, 3)
    # As wide as the line before / after (within one unit): lines of one wrapped column.
    before = np.concatenate(([-99.0], padded[:-1]))
    after = np.concatenate((padded[1:], [-99.0]))
    put("same", (np.abs(padded - before) <= 1) * 2 + (np.abs(padded - after) <= 1), 4)
    put("wider", (padded > before + 2) * 2 + (padded > after + 2), 4)

    def shifted(name: str, off: int) -> tuple[Any, int]:
        codes, size = f[name]
        out = np.full(n, size, np.int32)  # "no such line"
        if off > 0:
            out[:-off] = codes[off:]
        else:
            out[-off:] = codes[:off]
        return out, size + 1

    def combo(*parts: tuple[Any, int]) -> tuple[Any, int]:
        code, size = np.zeros(n, np.int64), 1
        for c, s in parts:
            code, size = code * s + c, size * s
        return code.astype(np.int32), size

    out: dict[str, tuple[Any, int]] = {"bias": (np.zeros(n, np.int32), 1), **f}
    for off in (-2, -1, 1, 2):
        for name in ("w", "short", "end", "start", "indent", "bb", "ba", "punct", "lead", "by", "cap", "len", "open", "same", "note"):
            out[f"{off}:{name}"] = shifted(name, off)
    prev = {k: shifted(k, -1) for k in ("w", "end", "short", "open", "punct", "len", "lead", "wordjoin")}
    nxt_ = {k: shifted(k, 1) for k in ("w", "start", "indent", "lead", "punct", "ba", "len", "short", "dated")}
    out["join"] = combo(prev["end"], f["start"])
    out["prev_w_end"] = combo(prev["w"], prev["end"])
    out["next_w_start"] = combo(nxt_["w"], nxt_["start"], nxt_["indent"])
    out["w_end"] = combo(f["w"], f["end"])
    out["short_over"] = combo(f["w"], f["punct"], nxt_["w"], f["ba"])
    out["w_bb_ba"] = combo(f["w"], f["bb"], f["ba"], f["punct"])
    out["wrapped_w_end"] = combo(f["wrapped"], f["w"], f["end"])
    out["wrapped_end_bb"] = combo(f["wrapped"], f["end"], f["bb"], f["ba"])
    out["short_prev_end"] = combo(f["short"], prev["end"], f["wrapped"])
    out["prev_open"] = combo(prev["open"], f["start"])
    out["title_lead"] = combo(f["punct"], f["bb"], nxt_["lead"], f["w"])
    out["w_next_w"] = combo(f["w"], nxt_["w"], f["punct"])
    out["len_next_len"] = combo(f["len"], nxt_["len"], f["punct"], nxt_["punct"])
    out["short_next_short"] = combo(f["short"], nxt_["short"], f["end"])
    out["prev_len_len"] = combo(prev["len"], f["len"], prev["punct"], f["punct"])
    out["same_w_end"] = combo(f["same"], f["w"], f["end"])
    out["wider_punct_bb"] = combo(f["wider"], f["punct"], f["bb"], f["ba"])
    out["wordjoin_punct"] = combo(f["wordjoin"], f["punct"], nxt_["punct"], f["ba"])
    out["prev_wordjoin_punct"] = combo(prev["wordjoin"], prev["punct"], f["punct"])
    out["title_dated"] = combo(f["punct"], f["bb"], nxt_["dated"], f["end"])
    out["dated_prev_end"] = combo(f["dated"], prev["end"], f["wrapped"])
    names = list(out)
    return LineFeatures(idx, names, [out[k][1] for k in names], np.stack([out[k][0] for k in names]))
