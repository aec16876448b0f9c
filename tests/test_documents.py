"""Real inputs: HTML headlines, PDF and DOCX articles, and provenance offsets that lead back into them.

The PDFs are set by reportlab in its built-in CID font STSong-Light (no font file needed),
the way a word processor sets a feature: a headline in large type, paragraphs with a
two-character indent, wrapped at the measured width, over more than one page.  The DOCX
files are written by python-docx.  What pakg reads back is checked against independent
readings: pdfminer's own text of each page, and the paragraphs of ``word/document.xml``.
"""
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.cli import main
from kg.documents import OLE2, PAGE_BREAK, page_position
from kg.html_text import html_article
from kg.ingest import ArticleError, find_articles, read_article
from kg.iris import article_iri
from tests.conftest import ROOT

PA = Namespace("https://w3id.org/pakg/ontology#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

FONT, BODY_SIZE, HEADLINE_SIZE = "STSong-Light", 11, 22
PDF_HEADLINE = "黑木耳铺就致富路"
PDF_PAGES = [["桦南县驼腰子镇新合村驻村第一书记刘洪涛到任后，带领村民发展黑木耳产业，成立了新合村黑木耳专业合作社，"
              "吸纳贫困户入社务工。",
              "桦南县贫困发生率由2014年的12.5%下降到2019年的0.3%，新合村的贫困户全部脱贫。"],
             ["新合村村民王秀英在合作社务工，她说：“在家门口就能挣钱，日子越过越红火。”"]]
DOCX_HEADLINE = "金米村的新日子"
DOCX_PARAGRAPHS = ["柞水县小岭镇金米村第一书记李正兵介绍，村里发展木耳产业，建成了智能连栋木耳大棚。", "",
                   "村民张桂芝在大棚务工，每月收入两千多元。"]
HTML_HEADLINE = "琴声里的徐场村"
HTML_BODY = ["兰考县堌阳镇徐场村党支部书记徐进良带领群众发展乐器加工产业。",
             "兰考县贫困发生率由2014年的10.2%下降到2019年的0.5%。"]


LEFT, WIDTH, TOP = 72, 595.27 - 144, 841.89 - 72       # A4, one-inch margins


def _font():
    """reportlab's pdfmetrics with the CID font registered (it needs no font file)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return pdfmetrics


def wrap(paragraph: str, indent: int = 2) -> list[str]:
    """The lines a paragraph is set in, its first ``indent`` characters in, filled to the measured width."""
    pdfmetrics = _font()
    lines, room = [], WIDTH - indent * BODY_SIZE
    while paragraph:
        fit = 1
        while fit < len(paragraph) and pdfmetrics.stringWidth(paragraph[:fit + 1], FONT, BODY_SIZE) <= room:
            fit += 1
        lines.append(paragraph[:fit])
        paragraph, room = paragraph[fit:], WIDTH
    return lines


def write_pdf(path: Path, pages: list[list[str]], headline: str = "", metadata_title: str = "",
              password: str | None = None, indent: int = 2) -> Path:
    """A PDF of ``pages`` of paragraphs, ``headline`` on top of the first in large type."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    _font()
    encrypt = pdfencrypt.StandardEncryption(password, ownerPassword="owner") if password else None
    c = canvas.Canvas(str(path), pagesize=(LEFT * 2 + WIDTH, TOP + 72), encrypt=encrypt, invariant=1)
    c.setTitle(metadata_title)
    for n, paragraphs in enumerate(pages):
        y = TOP
        if headline and n == 0:
            c.setFont(FONT, HEADLINE_SIZE)
            c.drawString(LEFT, y, headline)
            y -= 2 * HEADLINE_SIZE
        for paragraph in paragraphs:
            c.setFont(FONT, BODY_SIZE)
            for i, line in enumerate(wrap(paragraph, indent)):
                c.drawString(LEFT + (indent * BODY_SIZE if i == 0 else 0), y, line)
                y -= 1.5 * BODY_SIZE
        c.showPage()
    c.save()
    return path


def write_docx(path: Path, headline: str, paragraphs: list[str], metadata_title: str = "",
               table: list[str] = ()) -> Path:
    """A Word file: ``headline`` styled Heading 1, the paragraphs, then a one-row table."""
    d = docx.Document()
    d.core_properties.title = metadata_title
    if headline:
        d.add_heading(headline, level=1)
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        row = d.add_table(rows=1, cols=len(table)).rows[0]
        for cell, text in zip(row.cells, table):
            cell.text = text
    d.save(path)
    return path


def page_html(title: str, head: str = "", body: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in HTML_BODY)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
            f"<header><div class='logo'><a href='/'>某某网</a></div></header>{body}"
            f"<div class='content'>{paragraphs}</div><footer>版权所有 某某网</footer></body></html>")


# -- HTML headlines --------------------------------------------------------------------------------

H = HTML_HEADLINE
SHAPES = {
    "og:title, the site after a hyphen": (f"{H}-新华网", f"<meta property='og:title' content='{H}'>", ""),
    "an h1 in an article header, channel and site after double hyphens, a logo h1":
        (f"{H}--河南频道--人民网", "", f"<div class='logo'><h1>人民网</h1></div><div class='article-header'><h1>{H}</h1></div>"),
    "the title alone, channel and site after underscores": (f"{H}_新闻中心_某某网", "", ""),
    "the site and channel first": (f"某某县人民政府门户网站 - 政务动态 - {H}", "", ""),
    "a vertical bar and a site in Latin letters": (f"{H} | Xinhua", "", ""),
    "og:title carrying the site, an h1 without": (f"{H}_某某网", f"<meta property='og:title' content='{H}_某某网'>",
                                                  f"<h1>{H}</h1>"),
    "a kicker before the headline in the title": (f"【脱贫攻坚】{H}_某某网", "", f"<h1>{H}</h1>"),
    "a title that is the site's name": ("某某网", "", f"<h1>{H}</h1>"),
    "no title": ("", "", f"<h1>{H}</h1>"),
    "a title with no site name and an h1 that is no headline": (H, "", "<h1>要闻</h1>"),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_html_headline(shape):
    title, head, body = SHAPES[shape]
    text, headline = html_article(page_html(title, head, body))
    assert headline == HTML_HEADLINE
    assert text.splitlines()[0] == HTML_HEADLINE
    assert all(p in text for p in HTML_BODY)
    assert "某某网" not in text and "河南频道" not in text


def test_html_dash_subtitle_stays_with_the_headline():
    title = f"{H}——兰考县脱贫攻坚纪实_某某网"
    assert html_article(page_html(title))[1] == f"{H}——兰考县脱贫攻坚纪实"


def test_a_hyphen_inside_the_headline_is_no_separator():
    title = "2019-2020年徐场村的乐器产业 - 某某网"
    assert html_article(page_html(title))[1] == "2019-2020年徐场村的乐器产业"


def test_html_article_title_is_the_headline(tmp_path):
    (tmp_path / "p.html").write_text(page_html(f"{H}_新闻中心_某某网"), encoding="utf-8")
    a = read_article(tmp_path / "p.html", tmp_path)
    assert a.title == HTML_HEADLINE and a.raw.startswith(HTML_HEADLINE + "\n")


# -- PDF -------------------------------------------------------------------------------------------

def _pdfminer_page(path: Path, page: int) -> str:
    """pdfminer's own text of a page (from 1), spaces and line breaks taken out."""
    from pdfminer.high_level import extract_text
    return re.sub(r"\s+", "", extract_text(path, page_numbers=[page - 1]))


def test_pdf_pages_paragraphs_and_title(tmp_path):
    pdf = write_pdf(tmp_path / "a.pdf", PDF_PAGES, PDF_HEADLINE, metadata_title="Microsoft Word - 文档1.docx")
    a = read_article(pdf, tmp_path)
    assert a.title == PDF_HEADLINE                 # the largest type: the metadata's title is not in the text
    pages = a.raw.split(PAGE_BREAK)
    # each paragraph one line, though its lines were set apart (and some came as boxes of their own)
    assert pages == ["\n".join([PDF_HEADLINE, *PDF_PAGES[0]]), "\n".join(PDF_PAGES[1])]
    start = a.text.index("王秀英")
    begin, end = a.original_span(start, start + 3)
    page, at = page_position(a.raw, begin)
    assert page == 2 and pages[1][at:at + 3] == "王秀英"
    assert "王秀英" in _pdfminer_page(pdf, 2) and "王秀英" not in _pdfminer_page(pdf, 1)
    assert PAGE_BREAK not in a.text and a.source_file == "a.pdf"


def test_pdf_paragraphs_are_told_apart_by_indent_or_by_a_short_last_line(tmp_path):
    """A paragraph whose last line is full ends where the next one is indented; without
    indents, where a line stops short of the right margin."""
    full = "".join(wrap("新合村村民在合作社务工，日子越过越红火。" * 8)[:2])      # exactly two full lines
    short = PDF_PAGES[0][1]
    for indent, paragraphs in ((2, [full, short, full]), (0, [*PDF_PAGES[0], short])):
        pdf = write_pdf(tmp_path / f"{indent}.pdf", [paragraphs], indent=indent)
        assert read_article(pdf, tmp_path).raw.split("\n") == paragraphs


def test_pdf_title_from_metadata_when_the_text_has_it(tmp_path):
    pdf = write_pdf(tmp_path / "a.pdf", [[PDF_HEADLINE, *PDF_PAGES[0]]], metadata_title=PDF_HEADLINE)
    assert read_article(pdf, tmp_path).title == PDF_HEADLINE


def test_pdf_without_a_title_gets_its_first_line(tmp_path):
    """All in one type size and a metadata title the text does not have: the title is guessed from the text."""
    pdf = write_pdf(tmp_path / "a.pdf", [["新合村的黑木耳", *PDF_PAGES[0]]], metadata_title="未命名")
    assert read_article(pdf, tmp_path).title == "新合村的黑木耳"


# -- DOCX ------------------------------------------------------------------------------------------

def _document_paragraphs(path: Path) -> list[str]:
    """The paragraphs of word/document.xml in document order, read with lxml, not python-docx."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def test_docx_paragraphs_are_lines_and_the_heading_is_the_title(tmp_path):
    path = write_docx(tmp_path / "a.docx", DOCX_HEADLINE, DOCX_PARAGRAPHS, table=["柞水县", "金米村脱贫户全部增收。"])
    a = read_article(path, tmp_path)
    assert a.title == DOCX_HEADLINE
    assert a.raw.split("\n") == _document_paragraphs(path)
    assert a.raw.split("\n")[-2:] == ["柞水县", "金米村脱贫户全部增收。"]


def test_docx_title_from_metadata_when_the_text_has_it(tmp_path):
    path = write_docx(tmp_path / "a.docx", "", ["新合村的黑木耳", *PDF_PAGES[0]], metadata_title="新合村的黑木耳")
    assert read_article(path, tmp_path).title == "新合村的黑木耳"
    path = write_docx(tmp_path / "b.docx", DOCX_HEADLINE, DOCX_PARAGRAPHS, metadata_title="文档1")
    assert read_article(path, tmp_path).title == DOCX_HEADLINE


# -- kg build on a folder of real inputs -------------------------------------------------------------

@pytest.fixture(scope="module")
def real_inputs(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("real")
    write_pdf(corpus / "report.pdf", PDF_PAGES, PDF_HEADLINE, metadata_title="Microsoft Word - 文档1.docx")
    (corpus / "docs").mkdir()
    write_docx(corpus / "docs" / "notes.docx", DOCX_HEADLINE, DOCX_PARAGRAPHS)
    (corpus / "page.html").write_text(page_html(f"{H}_新闻中心_某某网"), encoding="utf-8")
    out = tmp_path_factory.mktemp("real-out")
    assert main(["build", str(corpus), "--out", str(out), "-q", "-f", "nt"]) == 0
    return corpus, Graph().parse(out / "kg.ttl"), Graph().parse(out / "provenance.ttl")


FOUND = {"report.pdf": {"桦南县", "驼腰子镇", "新合村", "刘洪涛", "王秀英"},
         "docs/notes.docx": {"柞水县", "小岭镇", "金米村", "李正兵", "张桂芝"},
         "page.html": {"兰考县", "堌阳镇", "徐场村", "徐进良"}}


def test_build_titles_and_article_identity(real_inputs):
    _, g, _ = real_inputs
    titles = {str(g.value(art, PA.sourceFile)): (str(art), str(g.value(art, DCTERMS.title)))
              for art in g.subjects(RDF.type, PA.Article)}
    assert titles == {"report.pdf": (article_iri("report.pdf"), PDF_HEADLINE),
                      "docs/notes.docx": (article_iri("docs/notes.docx"), DOCX_HEADLINE),
                      "page.html": (article_iri("page.html"), HTML_HEADLINE)}


def test_build_finds_the_entities_of_each_file(real_inputs):
    _, g, _ = real_inputs
    for source, names in FOUND.items():
        article = next(a for a in g.subjects(RDF.type, PA.Article) if str(g.value(a, PA.sourceFile)) == source)
        found = {str(g.value(e, RDFS.label)) for e in g.subjects(PA.mentionedIn, article)}
        assert names <= found, (source, names - found)


def _anchors(prov: Graph, source: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of an article's context and (begin, end, anchor) of each of its strings."""
    ctx = next(c for c in prov.subjects(RDF.type, NIF.Context) if str(prov.value(c, PA.sourceFile)) == source)
    spans = [(int(prov.value(n, NIF.beginIndex)), int(prov.value(n, NIF.endIndex)), str(prov.value(n, NIF.anchorOf)))
             for n in prov.subjects(NIF.referenceContext, ctx)]
    return str(prov.value(ctx, NIF.isString)), spans


def test_pdf_provenance_points_at_the_page_and_the_characters(real_inputs):
    corpus, _, prov = real_inputs
    text, spans = _anchors(prov, "report.pdf")
    assert text.count(PAGE_BREAK) == 1 and len(spans) > 10
    pages = text.split(PAGE_BREAK)
    on_page = {1: _pdfminer_page(corpus / "report.pdf", 1), 2: _pdfminer_page(corpus / "report.pdf", 2)}
    for begin, end, anchor in spans:
        assert text[begin:end] == anchor
        page, at = page_position(text, begin)
        if PAGE_BREAK not in anchor:               # (a sentence may run on to the next page)
            assert pages[page - 1][at:at + len(anchor)] == anchor
            assert re.sub(r"\s+", "", anchor) in on_page[page], (page, anchor)
    assert any(anchor == "王秀英" and page_position(text, begin)[0] == 2 for begin, _, anchor in spans)


def test_docx_provenance_points_at_the_paragraph_and_the_characters(real_inputs):
    corpus, _, prov = real_inputs
    text, spans = _anchors(prov, "docs/notes.docx")
    paragraphs = _document_paragraphs(corpus / "docs" / "notes.docx")
    assert len(spans) > 5
    for begin, end, anchor in spans:
        line = text.count("\n", 0, begin)
        at = begin - (text.rfind("\n", 0, begin) + 1)
        assert paragraphs[line][at:at + len(anchor)] == anchor == text[begin:end]
    assert any(anchor == "李正兵" for _, _, anchor in spans)


def test_html_provenance_indexes_the_page_text(real_inputs):
    corpus, _, prov = real_inputs
    text, spans = _anchors(prov, "page.html")
    assert text == html_article((corpus / "page.html").read_text(encoding="utf-8"))[0]
    assert all(text[b:e] == anchor for b, e, anchor in spans) and any(a == "徐进良" for _, _, a in spans)


# -- broken documents --------------------------------------------------------------------------------

def _broken_files(folder: Path) -> dict[str, str]:
    """File name -> what the message that skips it says."""
    good_pdf = write_pdf(folder / "good.pdf", PDF_PAGES, PDF_HEADLINE).read_bytes()
    good_docx = write_docx(folder / "good.docx", DOCX_HEADLINE, DOCX_PARAGRAPHS).read_bytes()
    (folder / "good.pdf").unlink()
    (folder / "good.docx").unlink()
    write_pdf(folder / "locked.pdf", PDF_PAGES, PDF_HEADLINE, password="secret")
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(folder / "scanned.pdf"))
    c.rect(72, 72, 300, 400, fill=1)            # a page that is a picture
    c.save()
    write_docx(folder / "blank.docx", "", ["", " "])
    for name, data in {"cut.pdf": good_pdf[:len(good_pdf) // 2], "empty.pdf": b"",
                       "not_a.pdf": "桦南县新合村".encode(), "cut.docx": good_docx[:len(good_docx) // 2],
                       "old.docx": OLE2 + bytes(1000), "empty.docx": b""}.items():
        (folder / name).write_bytes(data)
    return {"cut.pdf": "damaged PDF", "empty.pdf": "empty file", "not_a.pdf": "not a PDF",
            "locked.pdf": "encrypted PDF", "scanned.pdf": "no text in the PDF",
            "cut.docx": "not a DOCX", "old.docx": "Word 97-2003", "blank.docx": "no text in the DOCX",
            "empty.docx": "empty file"}


def test_broken_documents_are_named_with_their_problem(tmp_path):
    broken = _broken_files(tmp_path)
    for name, reason in broken.items():
        with pytest.raises(ArticleError, match=re.escape(reason)):
            read_article(tmp_path / name, tmp_path)
    assert sorted(p.name for p in find_articles(tmp_path)) == sorted(broken)


def test_a_build_names_each_broken_document_in_one_line_and_goes_on(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    broken = _broken_files(corpus)
    (corpus / "page.html").write_text(page_html(f"{H}_新闻中心_某某网"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(tmp_path / "out"),
                           "--no-cache", "--no-validate", "-f", "nt"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr and "WARNING" not in proc.stderr
    for name, reason in broken.items():
        lines = [ln for ln in proc.stderr.splitlines() if ln.startswith(f"skipped {name}:")]
        assert len(lines) == 1 and reason in lines[0], (name, proc.stderr)
    g = Graph().parse(tmp_path / "out" / "kg.ttl")
    assert {"徐进良", "徐场村"} <= {str(o) for o in g.objects(None, RDFS.label)}
