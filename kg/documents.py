"""The article in a PDF or Word (DOCX) file: its text in reading order, one paragraph a line, and its title.

Features are also published as PDFs (a newspaper's page, a county's report) and passed
around as Word files.  Their text is extracted here, page by page, with pdfminer.six's
layout analysis (pure Python) and python-docx.

**Offsets.**  As for an HTML page, the text extracted is what the article's provenance
indexes: it is the ``nif:isString`` of the article's ``nif:Context``, and a mention's
``nif:beginIndex``/``nif:endIndex`` are offsets into it.  Where they are in the file is
kept in that text itself:

* a PDF's pages are separated by a form feed (:data:`PAGE_BREAK`, as ``pdftotext`` and
  pdfminer write them), so offset ``b`` is on page ``text.count("\\f", 0, b) + 1``, that
  many characters into the page's text (:func:`page_position`);
* a DOCX's paragraphs are its lines, in document order (a table's cells row by row), one
  line for each paragraph, empty ones included: line ``n`` is the ``n``-th paragraph.

**Titles.**  The title the file's metadata gives, when the text confirms it (a PDF made
from a Word file is often titled ``Microsoft Word - 文档1.docx``); else, in a PDF, the
paragraph of the first page set in the largest type, when larger than most of the text,
and in a DOCX the first paragraph styled as a title or heading; else none, and the
article's title is guessed from its text (:func:`kg.ingest.guess_title`).
"""
from __future__ import annotations

import io
import itertools
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator

#: What separates a PDF's pages in its text.
PAGE_BREAK = "\f"
#: Where an OLE2 compound file starts: an encrypted Word file, or a .doc of Word 97-2003.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WHITE = re.compile(r"\s+")
#: how pdfminer writes a glyph whose font maps it to no character; a few (a bullet) are dropped
_CID = re.compile(r"\(cid:\d+\)")


class DocumentError(ValueError):
    """A file that is not a readable document of its kind; the message says why, in one line."""


def page_position(text: str, offset: int) -> tuple[int, int]:
    """(page, offset in the page's text) of character ``offset`` of a PDF's text; pages count from 1.

    >>> text = "第一页的标题\\n正文。" + PAGE_BREAK + "第二页，合作社。"
    >>> page_position(text, text.index("合作社"))
    (2, 4)
    """
    return text.count(PAGE_BREAK, 0, offset) + 1, offset - (text.rfind(PAGE_BREAK, 0, offset) + 1)


def pdf_article(data: bytes) -> tuple[list[str], str]:
    """The text of each page of a PDF (its paragraphs as lines, in reading order) and its
    title ("" when neither metadata nor type size tells it).  Raises :class:`DocumentError`
    for a damaged, password-protected or textless PDF."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    # pdfminer logs every oddity of a page (a missing CropBox …) as a warning; a build prints its own
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("not a PDF (no %PDF- header)")
    pages: list[list[tuple[str, float]]] = []        # per page, (paragraph, size of its largest type)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        resources = PDFResourceManager()
        device = PDFPageAggregator(resources, laparams=LAParams())
        interpreter = PDFPageInterpreter(resources, device)
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            pages.append(list(_pdf_paragraphs(device.get_result())))
        info = document.info[0] if document.info else {}
        meta = _pdf_string(info.get("Title"))
    except PDFPasswordIncorrect:
        raise DocumentError("encrypted PDF: it opens only with a password") from None
    except Exception as exc:          # whatever a damaged file makes the parser meet
        raise DocumentError(f"damaged PDF ({_first_line(exc)})") from None
    unmapped = sum(len(_CID.findall(text)) for page in pages for text, _ in page)
    pages = [[(_CID.sub("", text), size) for text, size in page] for page in pages]
    readable = sum(len(text.strip()) for page in pages for text, _ in page)
    if unmapped > readable:
        raise DocumentError(f"its fonts map {unmapped} glyphs to no character (read as (cid:N)): "
                            "export it again from its source, or OCR it")
    if not readable:
        raise DocumentError(f"no text in the PDF's {len(pages)} page(s): scanned pages need OCR first")
    texts = ["\n".join(text for text, _ in page) for page in pages]
    return texts, _confirmed(meta, texts) or _largest(pages[0] if pages else [])


def _pdf_paragraphs(layout) -> Iterator[tuple[str, float]]:
    """A page's paragraphs in the reading order of pdfminer's layout analysis, each with
    the size of its type.

    pdfminer's text boxes are no paragraphs: a two-line paragraph, whose first line is
    indented and whose last stops short, shares no edge and comes as two boxes.  So the
    lines are joined again: a line continues the one before it when it is set in the same
    type right below it, starts at the left edge of their column (the lines beside them
    in that type: it is not a paragraph's indented first line), and the line before
    reaches the column's right edge (it is not a paragraph's last line).
    """
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    lines = []                     # (line, size of its largest characters)
    for box in layout:
        if isinstance(box, LTTextContainer):
            lines += [(ln, max((c.size for c in ln if isinstance(c, LTChar)), default=ln.height))
                      for ln in box if isinstance(ln, LTTextLine) and ln.get_text().strip()]
    paragraph: list[str] = []
    for i, (line, size) in enumerate(lines):
        if paragraph:
            before, size_before = lines[i - 1]
            column = [o for o, s in lines if s == size_before and o.x0 < before.x1 and before.x0 < o.x1]
            left, right = min(o.x0 for o in column), max(o.x1 for o in column)
            if not (abs(size - size_before) < 0.5 and 0 < before.y0 - line.y0 < 2 * size
                    and line.x0 < left + size / 2 and before.x1 > right - size):
                yield _joined(paragraph), lines[i - 1][1]
                paragraph = []
        paragraph.append(line.get_text().strip())
    if paragraph:
        yield _joined(paragraph), lines[-1][1]


def _joined(lines: list[str]) -> str:
    """A paragraph's lines as one: Chinese lines meet without a space, Latin words with one.

    >>> _joined(["脱贫攻坚", "纪实", "Poverty", "alleviation"])
    '脱贫攻坚纪实Poverty alleviation'
    """
    out = lines[0]
    for line in lines[1:]:
        out += (" " if out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum()
                else "") + line
    return out


def _largest(paragraphs: list[tuple[str, float]]) -> str:
    """The first paragraphs set in the largest type, if it is larger than most characters'
    (a headline of two centred lines is two paragraphs).

    >>> _largest([("脱贫攻坚", 11.0), ("黑木耳铺就", 22.0), ("致富路", 22.0), ("正文,很长的正文。", 11.0)])
    '黑木耳铺就致富路'
    """
    usual: Counter[float] = Counter()
    for text, size in paragraphs:
        usual[size] += len(text)
    if not usual or max(usual) == usual.most_common(1)[0][0]:
        return ""
    largest = max(usual)
    first = next(i for i, (_, size) in enumerate(paragraphs) if size == largest)
    run = [text for text, _ in itertools.takewhile(lambda p: p[1] == largest, paragraphs[first:])]
    return _joined(run)


def _pdf_string(value) -> str:
    """A PDF string of the document's information (bytes in PDFDocEncoding or UTF-16) as text."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    value = resolve1(value)
    return decode_text(value) if isinstance(value, bytes) else value if isinstance(value, str) else ""


def docx_article(data: bytes) -> tuple[list[str], str]:
    """The text of a Word file (one page: its paragraphs, one a line) and its title ("" when
    neither metadata nor a heading tells it).  Raises :class:`DocumentError` for a damaged
    or password-protected file, or an old .doc renamed .docx."""
    from docx import Document

    if data.startswith(OLE2):
        raise DocumentError("not a DOCX but an encrypted Word file or a Word 97-2003 .doc: "
                            "save it as .docx without a password")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentError("not a DOCX (a .docx is a ZIP archive, this is none or a cut one)")
    try:
        document = Document(io.BytesIO(data))
        paragraphs = list(_docx_paragraphs(document))
        meta = document.core_properties.title or ""
    except Exception as exc:          # a damaged ZIP, a package without a document …
        raise DocumentError(f"damaged DOCX ({_first_line(exc)})") from None
    lines = [p.text.replace("\n", " ").replace("\r", " ") for p in paragraphs]   # a soft break stays in its line
    if not any(line.strip() for line in lines):
        raise DocumentError("no text in the DOCX")
    heading = next((line.strip() for p, line in zip(paragraphs, lines) if line.strip() and p.style is not None
                    and (p.style.name == "Title" or p.style.name.startswith("Heading"))), "")
    return ["\n".join(lines)], _confirmed(meta, lines) or heading


def _docx_paragraphs(container) -> Iterator:
    """The paragraphs of a document or a table cell in reading order, tables' cells row by row."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:        # a merged cell is listed in each column it spans
                        seen.add(cell._tc)
                        yield from _docx_paragraphs(cell)
        else:
            yield block


def _confirmed(title: str, texts: list[str]) -> str:
    """``title`` if the text has it (spaces aside), else ""."""
    title = _WHITE.sub(" ", title).strip()
    squeezed = _WHITE.sub("", title)
    return title if squeezed and any(squeezed in _WHITE.sub("", t) for t in texts) else ""


def _first_line(exc: Exception) -> str:
    message = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {message[0]}" if message else type(exc).__name__


#: Readers of documents by their suffix: bytes -> (text of each page, title or "").
READERS: dict[str, Callable[[bytes], tuple[list[str], str]]] = {".pdf": pdf_article, ".docx": docx_article}
