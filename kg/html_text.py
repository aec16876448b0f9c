"""The article in an HTML page: its headline and body text, without the page around it.

Saved news pages carry scripts, styles, navigation, share buttons and footers; the
extractor wants the paragraphs, and the article node wants the headline.  BeautifulSoup
(with lxml) parses whatever HTML the web produces; boilerplate elements are dropped,
and block elements become lines.

A page's ``<title>`` is rarely the headline alone: sites add their own name and the
channel's (``扶贫茶园绿满山_新闻中心_某某网``, ``扶贫茶园绿满山--湖南频道--人民网``), and
some put them first (``某某县人民政府门户网站 - 扶贫茶园绿满山``).  The headline is
therefore taken from ``og:title`` or an ``<h1>`` that the title confirms (it starts with
it or contains it), else from the title with the site's and channel's names cut off.
"""
from __future__ import annotations

import re

#: Elements that never hold the article's text.
BOILERPLATE = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
               "iframe", "svg", "button", "select", "menu")
BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
          "blockquote", "pre", "figcaption", "td")
#: class or id words of navigation and sharing widgets
NOISE = re.compile(r"nav|menu|share|footer|header|breadcrumb|sidebar|comment|advert|copyright|related", re.I)
#: What separates a title's headline from the site's and channel's names (``_ | - —``, full width too);
#: the names are cut only where they are names (see SITE_NAME), so ``——`` before a subtitle stays.
SEPARATOR = re.compile(r"(\s*(?:_+|\||｜|-+|－|–|—+)\s*)")
#: How the name of a site or of one of its channels ends: 新华网, 新闻中心, 湖南频道, 湖南日报,
#: 某某县人民政府, 中国扶贫在线, 某某县融媒体中心 …; or a name in Latin letters (Xinhua, www.gov.cn).
SITE_NAME = re.compile(r"(网|网站|频道|中心|在线|首页|门户|报|新闻|资讯|客户端|政府|平台|专题|栏目|电视台|要闻|动态)$"
                       r"|^[A-Za-z][\x20-\x7e]*$")
#: A site's or channel's name is short; a longer piece of a title is part of the headline.
SITE_NAME_MAX = 12


def html_article(html: str) -> tuple[str, str]:
    """The page's text (headline first, then the main part, one block a line) and its headline.

    >>> text, headline = html_article(
    ...     "<html><head><title>涟源脱贫纪实_新闻中心_某某网</title><script>x=1</script></head>"
    ...     "<body><nav>首页</nav><h1>涟源脱贫纪实</h1><p>茶农在采茶。</p></body></html>")
    >>> text, headline
    ('涟源脱贫纪实\\n茶农在采茶。\\n', '涟源脱贫纪实')
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    og = soup.find("meta", attrs={"property": "og:title"})
    named = [og.get("content", "") if og else "", *(h1.get_text(" ", strip=True) for h1 in soup.find_all("h1"))]
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    best = headline(title, named)
    for tag in soup(BOILERPLATE):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is not None and NOISE.search(" ".join([*tag.get("class", []), tag.get("id", "")])):
            tag.decompose()
    if soup.title:
        soup.title.decompose()
    main = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in main.find_all(BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [_spaces(ln) for ln in main.get_text().splitlines()]
    lines = [ln for ln in lines if ln]
    if best and (not lines or lines[0] != best):
        lines.insert(0, best)
    return "\n".join(lines) + "\n", best


def headline(title: str, named: list[str]) -> str:
    """The headline of a page whose ``<title>`` is ``title``, and which names its headline
    (``og:title``, ``<h1>``) in ``named``, some of which may be empty or the site's name.

    The named one the title starts with or contains (the longest; one that starts the
    title first), else the title without the site's and channel's names, else the first
    named one:

    >>> headline("扶贫茶园绿满山--湖南频道--人民网", ["", "人民网", "扶贫茶园绿满山"])
    '扶贫茶园绿满山'
    >>> headline("扶贫茶园绿满山_新闻中心_某某网", [])
    '扶贫茶园绿满山'
    >>> headline("脱贫一诺 幸福花开——某某区决战决胜脱贫攻坚纪实_某某网", [])
    '脱贫一诺 幸福花开——某某区决战决胜脱贫攻坚纪实'
    """
    title = _spaces(title)
    candidates = [c for c in (without_site_names(_spaces(n)) for n in named) if c and not is_site_name(c)]
    confirmed = [c for c in candidates if c in title]
    if confirmed:
        return max(confirmed, key=lambda c: (title.startswith(c), len(c)))
    cut = without_site_names(title)
    if (cut and not is_site_name(cut)) or not candidates:
        return cut
    return candidates[0]


def without_site_names(title: str) -> str:
    """``title`` without the site's and channel's names before or after its headline.

    >>> without_site_names("某某县人民政府门户网站 - 政务动态 - 扶贫茶园绿满山")
    '扶贫茶园绿满山'
    >>> without_site_names("2019-2020年扶贫茶园绿满山")
    '2019-2020年扶贫茶园绿满山'
    """
    pieces = SEPARATOR.split(title)          # headline, separator, name, separator, name …
    while len(pieces) > 1 and is_site_name(pieces[-1]):
        del pieces[-2:]
    while len(pieces) > 1 and is_site_name(pieces[0]):
        del pieces[:2]
    return "".join(pieces).strip()


def is_site_name(piece: str) -> bool:
    """Whether a piece of a title names a site or a channel (新闻中心, 某某网, Xinhua).

    >>> is_site_name("湖南频道"), is_site_name("扶贫茶园绿满山"), is_site_name("")
    (True, False, False)
    """
    return 0 < len(piece) <= SITE_NAME_MAX and bool(SITE_NAME.search(piece.strip()))


def _spaces(line: str) -> str:
    """A line with its runs of spaces (ASCII, ideographic, no-break) made one space, and trimmed."""
    return re.sub(r"[ \t\u3000\xa0]+", " ", line).strip()
