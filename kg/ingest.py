"""Stage 1: find article files, decode them and normalise their text.

Newspaper layouts break sentences across lines and paragraphs (``组\\n\\n装机器人``);
the extractor needs whole sentences, but provenance needs offsets into the file as
it was.  :func:`normalize` therefore keeps, for every character of the clean text, the
index of the input character it came from.  Most characters come through unchanged and in
order, so the map is kept as runs (:class:`~kg.records.Offsets`) and built from the few
places where it jumps, not character by character.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .decode import DecodeError, decode
from .documents import PAGE_BREAK, READERS, DocumentError
from .html_text import html_article
from .records import Article, Offsets
from .simplify import is_traditional, to_simplified

#: Suffixes of web pages, which are reduced to their headline and article text first.
HTML_SUFFIXES = (".html", ".htm")
#: File suffixes read as articles: text, web pages and documents (PDF, DOCX: see kg.documents).
ARTICLE_SUFFIXES = (".txt", ".md", *HTML_SUFFIXES, *READERS)
#: Files larger than this are refused: an article is a few kilobytes, a 50 MB "article" is a
#: dump that should be split, and reading it whole would cost memory out of all proportion.
MAX_BYTES = 20_000_000

_TERMINAL = set("。！？!?；;：:…”’」』）)】")
_CLAUSE = set("，,。、；;")
_CJK = re.compile(r"[\u3400-\u9fff0-9]")
_HAN = re.compile(r"[\u3400-\u9fff]")
# characters that per-character NFKC leaves as they are (ASCII but \r, CJK ideographs: most of an
# article; tests/test_fast_paths.py checks the ranges); normalize looks at the others one by one
_NOT_PLAIN = re.compile(r"[^\x00-\x0c\x0e-\x7f\u3400-\u4dbf\u4e00-\u9fff]")
# control characters other than tab and line breaks (C0 and C1: U+0085, U+009B …), and lone surrogates
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class ArticleError(Exception):
    """A file that cannot be read as an article; the message names the problem."""


def find_articles(source: Path | str) -> list[Path]:
    """Every article file of a folder (recursively), a single file, or a glob pattern
    (``corpus/2020-*.html``), sorted so that runs are reproducible.  Hidden files and
    other suffixes are left out; :func:`ignored_files` lists the latter."""
    return scan(source)[0]


def ignored_files(source: Path | str) -> list[Path]:
    """Files under ``source`` that are not articles by their suffix (images, spreadsheets …)."""
    return scan(source)[1]


def scan(source: Path | str) -> tuple[list[Path], list[Path], list[tuple[Path, str]]]:
    """(:func:`find_articles`, :func:`ignored_files`, the entries that cannot be read, each
    with the reason) of one walk over ``source``: a build wants all three, and a watching
    process asks after every change.  A folder that cannot be opened, a link that loops
    or points nowhere, a FIFO or a device are named, not silently passed over."""
    articles: list[Path] = []
    ignored: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for p in _candidates(source, problems):
        (articles if p.suffix.lower() in ARTICLE_SUFFIXES else ignored).append(p)
    problems.sort(key=lambda x: x[0].parts)
    return articles, ignored, problems


def source_root(source: Path | str) -> Path:
    """The folder that source-file names are relative to."""
    source = Path(source)
    if source.is_dir():
        return source
    if source.is_file():
        return source.parent
    return Path(_glob_base(str(source)))


def source_name(path: Path, root: Path) -> str:
    r"""The file's name relative to ``root``, as the graph and the messages show it: a
    name that is not valid UTF-8 (``bad\xffname.txt``) keeps its bytes as escapes, so
    that it can be written anywhere.

    >>> source_name(Path("/c/a/b.txt"), Path("/c")), source_name(Path("/c/x\udcffy.txt"), Path("/c"))
    ('a/b.txt', 'x\\xffy.txt')
    """
    name = path.relative_to(root).as_posix()
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _candidates(source: Path | str, problems: list[tuple[Path, str]]) -> list[Path]:
    source = Path(source)
    if source.is_dir():
        found = map(Path, _files_under(str(source), problems))
    elif source.is_file():
        found = iter([source])
    else:
        base = Path(_glob_base(str(source)))
        found = (p for p in base.glob(str(source.relative_to(base))) if p.is_file()) if base.is_dir() else iter([])
    # by parts, which is how paths compare, without comparing them as paths (3x slower)
    return sorted((p for p in found if not p.name.startswith(".")), key=lambda p: p.parts)


def _files_under(folder: str, problems: list[tuple[Path, str]]) -> Iterator[str]:
    """The files under ``folder``, as ``Path.rglob("*")`` finds them (not through links to
    folders), from the directory entries' types with no ``stat`` per file (half the
    time, which a watching process spends after every change); folders one after another
    from a list, not by recursion, so that no depth of folders is too deep.  What is
    neither a file nor a folder goes to ``problems`` with the reason."""
    todo = [folder]
    while todo:
        here = todo.pop()
        try:
            with os.scandir(here) as entries:
                found = sorted(entries, key=lambda e: e.name, reverse=True)
        except OSError as exc:
            if here == folder:
                raise
            problems.append((Path(here), f"folder cannot be read ({exc.strerror or exc})"))
            continue
        for entry in found:
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                elif entry.is_file():
                    yield entry.path
                elif not entry.name.startswith("."):
                    problems.append((Path(entry.path), _not_a_file(entry)))
            except OSError as exc:                        # a link that loops, a vanished entry
                problems.append((Path(entry.path), "a link that loops" if exc.errno == errno.ELOOP
                                 else f"cannot be read ({exc.strerror or exc})"))


def _not_a_file(entry: os.DirEntry) -> str:
    """Why a directory entry is no file to read: a dangling or looping link, a FIFO …"""
    if entry.is_symlink():
        try:
            os.stat(entry.path)
        except OSError as exc:
            return "a link that loops" if exc.errno == errno.ELOOP else "a link to nothing"
        return "a link to something that is not a file"
    mode = entry.stat(follow_symlinks=False).st_mode
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"{kind}, not a file"


def _glob_base(pattern: str) -> str:
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts:
        if any(c in part for c in "*?["):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


def read_bytes(path: Path) -> bytes:
    """A file's bytes; raises :class:`ArticleError` when it is empty or too large to be one article."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise ArticleError("empty file")
        if size > MAX_BYTES:
            raise ArticleError(f"too large ({size / 1e6:.0f} MB, the limit is {MAX_BYTES / 1e6:.0f} MB): "
                               "split it into one file per article")
        return f.read()


def read_article(path: Path, root: Path, data: bytes | None = None) -> Article:
    """Decode and normalise one file (whose bytes may be given); raises :class:`ArticleError`
    on unreadable input.

    The article's ``raw`` is the text read from the file: a text file's own, a page's
    or a document's extracted text (a PDF's pages separated by :data:`~kg.documents.PAGE_BREAK`),
    which provenance offsets index.  Its title is the one the file states (a page's
    headline, a document's title), else the one :func:`guess_title` reads in the text.
    """
    path = Path(path)
    if data is None:
        data = read_bytes(path)
    if not data:
        raise ArticleError("empty file")
    pages, title = _pages(data, path.suffix.lower())
    raw = PAGE_BREAK.join(_JUNK.sub("", page) for page in pages)
    if not raw.strip():
        raise ArticleError("no text (only white space)")
    if not _HAN.search(raw):
        raise ArticleError("no Chinese text")
    text, offsets = normalize(raw)
    if not text.strip():
        raise ArticleError("no text")
    title = normalize(_JUNK.sub("", title))[0].strip() if title else guess_title(text)
    return Article(source_file=source_name(path, root), raw=raw, text=text,
                   offsets=offsets, title=title, digest=file_digest(data))


def _pages(data: bytes, suffix: str) -> tuple[list[str], str]:
    """The text of a file page by page (one page but for a PDF), and its title if the file states one."""
    if suffix in READERS:
        try:
            return READERS[suffix](data)
        except DocumentError as exc:
            raise ArticleError(str(exc)) from None
    try:
        raw, _encoding = decode(data)
    except DecodeError as exc:
        raise ArticleError(str(exc)) from None
    if suffix in HTML_SUFFIXES:
        text, headline = html_article(raw)
        return [text], headline
    return [raw], ""


def file_digest(data: bytes) -> str:
    """What identifies a file's content (the extraction cache's key)."""
    return hashlib.sha256(data).hexdigest()


def normalize(raw: str) -> tuple[str, Offsets]:
    """NFKC-normalise ``raw`` character by character, convert traditional script to
    simplified, and join lines that layout split mid-sentence (a page break is a line break).

    Returns the text and, for each of its characters, the index in ``raw`` it came from.

    >>> raw = "上楼住新房，下楼有活干，这在以前想都不敢想。她一边组\\n\\n装机器人舵机，一边笑着说。"
    >>> text, offsets = normalize(raw)
    >>> text[22:]
    '她一边组装机器人舵机,一边笑着说。'
    >>> raw[offsets[text.index("装")]]
    '装'
    """
    uneven: list[tuple[int, int]] = []     # (index in raw, length of what replaced it) when that is not 1

    def nfkc(m: re.Match) -> str:
        out = "" if m.group() == "\r" else unicodedata.normalize("NFKC", m.group())
        if len(out) != 1:
            uneven.append((m.start(), len(out)))
        return out

    text = _NOT_PLAIN.sub(nfkc, raw).replace(PAGE_BREAK, "\n")     # one character for one
    runs, shift = [(0, 0)], 0              # shift: len(text) - len(raw) before the current character
    for i, n in uneven:                    # (…, ㎡): n characters from raw[i], then raw[i + 1] on
        runs += [(i + shift + j, i) for j in range(n)]
        runs.append((i + shift + n, i + 1))
        shift += n - 1
    offsets = Offsets.from_runs(runs, len(text))
    if is_traditional(text):          # one character for one: the offsets stay right
        text = to_simplified(text)
    return _join_broken_lines(text, offsets)


def _join_broken_lines(text: str, offsets: Offsets) -> tuple[str, Offsets]:
    """Drop the line breaks between two pieces of one sentence.

    A break is a layout artefact when the line before it reads like body text (long,
    with clause punctuation, not a photo credit) but does not end a sentence, and the
    line after it is body text too.  Headings (short lines with no punctuation) keep
    their breaks, so a heading is never glued to the paragraph around it.
    """
    breaks = []
    for m in re.finditer(r"[ \t\u3000]*\n\s*", text):
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()
        end = text.find("\n", m.end())
        nxt = text[m.end():end if end >= 0 else len(text)].strip()
        if _is_body(line) and line[-1] not in _TERMINAL and not line.endswith("摄") \
                and nxt and _CJK.match(nxt) and not _is_heading(nxt):
            breaks.append(m.span())
    if not breaks:
        return text, offsets
    pieces, pos = [], 0
    for start, end in breaks:
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), offsets.without(breaks)


def _is_body(line: str) -> bool:
    return len(line) >= 20 and not line.startswith("#") and any(c in _CLAUSE for c in line)


def _is_heading(line: str) -> bool:
    return len(line) < 25 and not any(c in _CLAUSE or c in _TERMINAL for c in line)


def guess_title(text: str) -> str:
    """The headline.

    Features put the county in a dash subtitle (``——涟源市决战决胜脱贫攻坚纪实``)
    under the main title, so the subtitle and the line above it make the title;
    without one, the first Markdown heading, else the first line.
    """
    lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()]
    for i, ln in enumerate(lines[:40]):
        if "——" in ln and len(ln) < 60:
            if ln.startswith("——") and i:
                return f"{lines[i - 1]} {ln}"
            return ln
    headings = [ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.startswith("#")]
    return (headings or lines or [""])[0]
