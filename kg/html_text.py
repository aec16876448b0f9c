"""The article in an HTML page: its title and body text, without the page around it.

Saved news pages carry scripts, styles, navigation, share buttons and footers; the
extractor wants the headline (it names the county) and the paragraphs.  BeautifulSoup
(with lxml) parses whatever HTML the web produces; boilerplate elements are dropped,
and block elements become lines.
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


def html_to_text(html: str) -> str:
    """Headline first, then the text of the page's main part, one block a line.

    >>> html_to_text("<html><head><title>涟源脱贫纪实</title><script>x=1</script></head>"
    ...              "<body><nav>首页</nav><h1>涟源脱贫纪实</h1><p>茶农在采茶。</p></body></html>")
    '涟源脱贫纪实\\n茶农在采茶。\\n'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(BOILERPLATE):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is not None and NOISE.search(" ".join([*tag.get("class", []), tag.get("id", "")])):
            tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    main = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in main.find_all(BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", ln).strip() for ln in main.get_text().splitlines()]
    lines = [ln for ln in lines if ln]
    if title and (not lines or lines[0] != title):
        lines.insert(0, title)
    return "\n".join(lines) + "\n"
