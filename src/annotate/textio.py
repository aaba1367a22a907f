"""Reading raw pages: encoding detection, BOM, line ends, characters XML forbids.

Chinese text files arrive as UTF-8 (with or without BOM), UTF-16 with BOM, or in
the legacy GB18030/GBK and Big5 encodings.  We decode strictly (never with
``errors="replace"``, which would invent characters) and refuse what we cannot
decode, naming the file and the byte offset.
"""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .zh import HAN_CHAR, count_han

#: Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Very common Chinese characters, simplified and traditional.  A correct decoding of
# a Chinese text is dense in them; decoding the bytes with the wrong legacy codec
# gives rare characters instead.  Used only to choose between GB18030 and Big5.
_COMMON = set(
    "的一是在不了有和人这這中大为為上个個国國我以要他时時来來用们們生到作地于於出就分对對成会會可主发發年动動"
    "同工也能下过過子说說产產种種面而方后後多定行学學法所民得经經十三之进進着著等部度家电電力里裡如水化高自二"
    "理起小物现現实實加量都两兩体體制机機当當使点點从從业業本去把性好应應开開它合还還因由其些然前外天政四日那"
    "社义義事平形相全表间間样樣与與关關各重新线線内內数數正心反你明看原又么麼利比或但质質气氣第向道命此变變条"
    "條只没沒结結解问問意建月公无無系军軍很情者最立代想已通并並提直题題党黨程展五果料象员員革位入常文总總次品"
    "式活设設及管特件长長求老头頭基资資边邊流路级級少图圖山统統接知较較将將组組见見计計别別她手角期根论論运運"
    "农農指几幾九区區强強放决決西被干幹做必战戰先回则則任取据據处處市场場企增"
)


@dataclass
class RawText:
    text: str  # decoded, LF line ends, no BOM, XML-illegal characters removed
    encoding: str
    removed: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, removed char)


def read_page(path: str | Path, encoding: str | None = None) -> RawText:
    """Read a page, detecting its encoding unless one is given."""
    p = Path(path)
    try:
        if not stat.S_ISREG(p.stat().st_mode) and not p.is_dir():
            # Reading a FIFO would wait for a writer forever, a device would never end.
            raise InputError("not a regular file (a FIFO, socket or device)", path=p, hint="give a page .txt file")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=p, hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a text file", path=p) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=p) from None
    return decode_page(data, p, encoding)


def decode_page(data: bytes, path: str | Path, encoding: str | None = None) -> RawText:
    if not data:
        raise InputError("file is empty", path=path, hint="nothing to ingest")
    if encoding:
        text, used = _decode_as(data, encoding, path), encoding
    else:
        text, used = _detect(data, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    removed: list[tuple[int, str]] = []
    if XML_ILLEGAL.search(text):
        illegal = sum(1 for _ in XML_ILLEGAL.finditer(text))
        if "\x00" in text or illegal > max(8, len(text) // 50):
            raise InputError(
                f"looks like a binary file ({illegal} control characters), not a text page",
                path=path,
                hint="give a plain-text page, or --encoding if it is UTF-16 without a BOM",
            )
        for m in XML_ILLEGAL.finditer(text):
            removed.append((text.count("\n", 0, m.start()) + 1, m.group()))
        text = XML_ILLEGAL.sub("", text)
    if not text.strip():
        raise InputError("file has only whitespace", path=path, hint="nothing to ingest")
    if not encoding:
        _refuse_mojibake(text, path)
    return RawText(text=text, encoding=used, removed=removed)


#: Two or three Latin-1 letters that are the bytes of one UTF-8 character (å¤§ for 大).
_UTF8_AS_LATIN1 = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]{1,3}")


def _refuse_mojibake(text: str, path: str | Path) -> None:
    """A page with no Chinese at all but full of UTF-8 read as Latin-1/cp1252 is mojibake:
    say so (exit 3) rather than ingest a dozen articles of "å¤§è¿"."""
    if HAN_CHAR.search(text):
        return
    hits = _UTF8_AS_LATIN1.findall(text)
    if len(hits) < 3 or sum(map(len, hits)) < 0.2 * len(text.strip()):
        return
    repaired = ""
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(codec).decode("utf-8")
            break
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    hint = ("it reads as Chinese once undone: re-save the page as UTF-8 from the original, or pass --encoding"
            if count_han(repaired) else "pass --encoding with the page's real encoding")
    raise InputError(
        "no Chinese characters, but many Latin-1 letters: the page looks like UTF-8 mis-decoded as "
        "Latin-1/cp1252 (mojibake)", path=path, hint=hint)


def text_encoding(name: str) -> str:
    """``name`` if it is a text encoding Python knows (not rot13, hex, base64 or zlib), else ValueError."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r} (try utf-8, gb18030 or big5)") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{name!r} is not a text encoding (try utf-8, gb18030 or big5)")
    return name


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    han = count_han(text)
    return bad <= max(3, len(text) // 200) and han >= bad * 20


def _decode_as(data: bytes, encoding: str, path: str | Path) -> str:
    try:
        text_encoding(encoding)
    except ValueError as exc:
        raise InputError(str(exc), path=path) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid {encoding} at byte {exc.start}", path=path, line=line, hint="check --encoding"
        ) from None


def _detect(data: bytes, path: str | Path) -> tuple[str, str]:
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_as(data, enc, path), enc
    if b"\x00" in data:
        raise InputError(
            "looks like a binary file (contains NUL bytes), not a text page",
            path=path,
            hint="give a plain-text page, or --encoding utf-16-le if it is UTF-16 without a BOM",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    at = utf8_error.start
    line = data.count(b"\n", 0, at) + 1
    if _mostly_utf8(data):
        # A UTF-8 file with a few corrupt bytes: decoding it as GB18030 would turn the
        # whole page into mojibake, so say where the damage is instead.
        raise InputError(f"invalid UTF-8 at byte {at} ({data[at:at + 4]!r})", path=path, line=line,
                         hint="repair the file, or pass --encoding if it is not UTF-8")
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        han = HAN_CHAR.findall(text)
        score = sum(c in _COMMON for c in han) / len(han) if han else 0.0
        candidates.append((score, enc, text))
    if not candidates:
        raise InputError(f"cannot decode: not UTF-8 (bad byte at offset {at}), GB18030 or Big5", path=path,
                         line=line, hint="pass --encoding NAME")
    candidates.sort(key=lambda c: (-c[0], c[1]))
    _, enc, text = candidates[0]
    return text, enc
