"""Bytes to text: the encodings Chinese articles come in, told apart by charset-normalizer.

Scraped and exported news arrives as UTF-8 (with or without a byte-order mark), UTF-16
from Windows tools, GBK/GB18030 from mainland systems and Big5 from Taiwan and Hong Kong.
A byte-order mark decides; else valid UTF-8 is UTF-8 (every other guess would be worse);
else charset-normalizer, restricted to the encodings such files use, chooses.  A file it
cannot read as text is refused with the reason, never decoded into mojibake.
"""
from __future__ import annotations

import codecs

#: Encodings considered when a file is not UTF-8 (charset-normalizer's names).
CANDIDATES = ["gb18030", "big5", "utf_16", "utf_32", "cp1252"]
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class DecodeError(ValueError):
    """Bytes that are not text in any encoding considered; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was read in.

    >>> decode("脱贫".encode("gb18030"))
    ('脱贫', 'gb18030')
    >>> decode(codecs.BOM_UTF8 + "脱贫".encode())
    ('脱贫', 'utf-8-sig')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {name} byte-order mark but is not {name} "
                                  f"(byte {exc.start})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    damaged = data.decode("utf-8", errors="replace")
    bad = damaged.count("\ufffd")
    han = sum(1 for c in damaged if "\u3400" <= c <= "\u9fff")
    if bad <= max(4, len(damaged) // 200) and han >= 10 * bad:
        # UTF-8 with a few broken sequences (a lone surrogate, a cut character): the rest is
        # good UTF-8, and GB18030, which decodes almost any bytes, would make it all mojibake
        return damaged, "utf-8 (damaged bytes replaced)"
    if b"\x00" in data:               # UTF-16/32 carry a byte-order mark; text has no NUL bytes
        raise DecodeError("binary data, not text (NUL bytes)")
    chinese = _chinese(data)
    if chinese:
        return chinese
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None or best.chaos > 0.2:
        raise DecodeError("not text in UTF-8, UTF-16, GB18030 or Big5")
    return str(best), best.encoding


#: the share of characters of ordinary use (jieba frequency over 100) below which a reading
#: is no Chinese text: news prose has 0.99, random bytes read as GB18030 or Big5 about 0.4
ORDINARY = 0.7


def _chinese(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, whichever reads as more ordinary Chinese, if either does.

    Both decode most byte strings, and statistical detectors confuse them on short texts
    (脱贫 in GB18030 is 迕げ in Big5); the reading whose characters are more frequent in
    jieba's dictionary (after conversion to simplified for Big5) is the right one.
    """
    readings = []
    for name in ("gb18030", "big5"):
        try:
            readings.append((data.decode(name), name))
        except UnicodeDecodeError:
            continue
    if not readings:
        return None
    import jieba

    from .simplify import to_simplified

    jieba.setLogLevel(60)
    jieba.dt.check_initialized()

    def ordinary(text: str, frequency: int = 1000) -> float:
        chars = [c for c in to_simplified(text) if "\u3400" <= c <= "\u9fff"]
        return sum(jieba.dt.FREQ.get(c, 0) > frequency for c in chars) / max(1, len(chars))

    best = max(readings, key=lambda r: ordinary(r[0]))
    # GB18030 decodes nearly any bytes: random bytes read as rare characters, text as common ones
    return best if ordinary(best[0], 100) >= ORDINARY else None
