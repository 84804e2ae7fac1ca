"""Normalize stage, HTML pages: main text with trafilatura, title/date/url from page metadata."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import orjson
import trafilatura
from lxml import etree
from lxml import html as lxml_html

_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_SNIFF_RE = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<div[\s>]|<p>|<article[\s>]",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[^<>]{0,500}>")

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def looks_like_html(text: str) -> bool:
    """HTML when it opens like a page or markup dominates its start."""
    head = text[:4096].lstrip()
    if head.startswith("<") and _HTML_SNIFF_RE.search(head[:1024]):
        return True
    if _HTML_SNIFF_RE.search(head[:1024]) is None:
        return False
    tags = len(_TAG_RE.findall(head))
    return tags >= 5 and tags * 20 > len(head.split())


@dataclass(frozen=True)
class HtmlMeta:
    title: str | None = None
    published: str | None = None
    url: str | None = None
    site_name: str | None = None
    language: str | None = None
    date_texts: tuple[str, ...] = ()  # short visible texts of date-like elements, for fallback
    author: str | None = None  # meta or JSON-LD author: sometimes the agency ("Reuters")
    # The short lines shown under the headline (byline, date line) that the main-text extractor
    # may have cut with the page's head: "By Jane Roe, PA" credits the agency.
    under_headline: tuple[str, ...] = ()
    # The name after the headline in <title> ("… | Linzer Morgenblatt") when an element of the
    # page shows it alone (its masthead): the site's name, in any language.
    masthead: str | None = None


_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish-date",
    "published_time",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "originalpublicationdate",
    "displaydate",
    "og:pubdate",
)
_MAX_JSONLD_DEPTH = 6
_DATE_MARK_RE = re.compile(r"date|time|posted|publish|dateline|timestamp")


def _jsonld_find(node: Any, key: str, depth: int = 0) -> str | None:
    if depth > _MAX_JSONLD_DEPTH:
        return None
    if isinstance(node, dict):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        for child in node.values():
            if isinstance(child, (dict, list)):
                found = _jsonld_find(child, key, depth + 1)
                if found:
                    return found
    elif isinstance(node, list):
        for child in node[:20]:
            found = _jsonld_find(child, key, depth + 1)
            if found:
                return found
    return None


def _jsonld_find_node(node: Any, key: str, depth: int = 0) -> Any:
    """The first value under `key` anywhere in JSON-LD, whatever its type."""
    if depth > _MAX_JSONLD_DEPTH:
        return None
    if isinstance(node, dict):
        if key in node:
            return node[key]
        children = list(node.values())
    elif isinstance(node, list):
        children = node[:20]
    else:
        return None
    for child in children:
        if isinstance(child, (dict, list)):
            found = _jsonld_find_node(child, key, depth + 1)
            if found is not None:
                return found
    return None


def parse_tree(html: str) -> Any:
    """An lxml tree of the page, or None; never loads external entities or DTDs."""
    html = _XML_DECL_RE.sub("", html, count=1)
    if not html.strip():
        return None
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, recover=True)
    try:
        return lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, TypeError):
        return None


def metadata(tree: Any) -> HtmlMeta:
    """Title, publication date, canonical URL and site name from meta tags and JSON-LD."""
    if tree is None:
        return HtmlMeta()
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = content
    ld: list[Any] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            try:
                ld.append(orjson.loads(script.text.strip()))
            except orjson.JSONDecodeError:
                continue
    published = next((metas[k] for k in _DATE_KEYS if k in metas), None)
    if published is None:
        published = _jsonld_find(ld, "datePublished")
    if published is None:
        for time_el in tree.iter("time"):
            if time_el.get("datetime") and (
                time_el.get("pubdate") is not None
                or "publish" in (time_el.get("itemprop") or time_el.get("class") or "").lower()
            ):
                published = time_el.get("datetime")
                break
    date_texts: list[str] = []
    if published is None:
        for element in tree.iter("time", "span", "div", "p", "li", "abbr"):
            marks = " ".join(element.get(a) or "" for a in ("class", "id", "itemprop")).lower()
            if element.tag == "time" or _DATE_MARK_RE.search(marks):
                text = " ".join(element.text_content().split())
                if 0 < len(text) <= 80:
                    date_texts.append(text)
                if len(date_texts) >= 5:
                    break
    under = _under_headline(tree)
    if published is None:
        date_texts += [text for text in under if _STAMP_RE.search(text)]
    title = metas.get("og:title") or metas.get("twitter:title") or _jsonld_find(ld, "headline")
    h1s = [h for h in (" ".join(el.text_content().split()) for el in tree.iter("h1")) if h]
    if len(h1s) == 1 and (not title or h1s[0] != title) and len(h1s[0].split()) >= 3:
        # The page's own headline, when the social title is it plus a site name or kicker, or
        # another wording written for sharing ("Three days without water: ..." over the <h1>
        # "Soweto residents queue at tankers as water outage enters third day").
        title = h1s[0]
    if not title:
        title_el = tree.find(".//title")
        if title_el is not None and title_el.text_content():
            title = " ".join(title_el.text_content().split())
    url = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            url = link.get("href").strip()
            break
    url = url or metas.get("og:url")
    site_name = metas.get("og:site_name") or metas.get("application-name")
    if title and site_name:
        title = _strip_site_suffix(title, site_name)
    language = tree.get("lang") or metas.get("og:locale") or metas.get("language")
    author = metas.get("author") or metas.get("article:author") or metas.get("byl")
    if not author:
        author = _jsonld_find(_jsonld_find_node(ld, "author"), "name")
    return HtmlMeta(
        # only read when the page gives neither its address nor its name
        masthead=_masthead(tree) if url is None and site_name is None else None,
        title=" ".join(title.split()) if title else None,
        published=published,
        url=url if url and url.startswith(("http://", "https://")) else None,
        site_name=site_name,
        language=language,
        date_texts=tuple(date_texts),
        author=author,
        under_headline=tuple(under),
    )


_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_UNDER_HEADLINE = 6  # elements read after the <h1>
_STAMP_RE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[:.]\d\d\b")
_SHORT_LINE = 120


def _under_headline(tree: Any) -> list[str]:
    """The short lines shown right under the page's headline (its byline and date line:
    "By PA Media · Published 13:20, Tuesday 3 March 2020"), whatever their markup says: the
    visible date a page without date metadata still shows its readers, the byline that
    credits an agency when the extractor cut it."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return []
    texts: list[str] = []
    seen = 0
    for element in h1.itersiblings():
        if not isinstance(element.tag, str):
            continue
        seen += 1
        if seen > _UNDER_HEADLINE:
            break
        text = " ".join(element.text_content().split())
        # a line of furniture (the date line has a year or a clock in it), not a sentence of
        # the standfirst
        if 0 < len(text) <= _SHORT_LINE and not text.endswith("."):
            texts.append(text)
    return texts


def _folded_brand(name: str) -> str:
    words = name.casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _masthead(tree: Any) -> str | None:
    """The name after the last separator of <title> when some element of the page holds that
    name alone (a masthead, a logo's text), else None. The element may write it in capitals
    ("RÄTIA ONLINE": the title's casing is kept) or with its article ("The Centralian Sentinel"
    over a title ending "- Centralian Sentinel": the masthead's whole name is kept)."""
    title_el = tree.find(".//title")
    text = " ".join(title_el.text_content().split()) if title_el is not None else ""
    sep = max(_TITLE_SEPARATORS, key=lambda s: text.rfind(s))
    if sep not in text:
        return None
    tail = text.rpartition(sep)[2].strip()
    if not 3 <= len(tail) <= 60:
        return None
    body = tree.find(".//body")
    if body is None:
        return None
    # Leaves only: each element's own text is read once, so the search stays linear in the page.
    for element in body.iter("div", "a", "span", "p", "strong", "h2", "h3", "header", "img"):
        if len(element):
            continue
        shown = element.get("alt") if element.tag == "img" else element.text
        if not shown:
            continue
        shown = " ".join(shown.split())
        if shown == tail:
            return tail
        if len(shown) <= 64 and _folded_brand(shown) == _folded_brand(tail):
            return tail if shown.isupper() else shown
    return None


def _strip_site_suffix(title: str, site_name: str) -> str:
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if tail.strip().casefold() == site_name.strip().casefold() and head.strip():
                return head.strip()
    return title


# What trafilatura keeps of a page: the text and its tables, no comments, pictures, links or
# metadata, every repeat (a site's repeated lines are the chrome memory's to judge), and the
# story rather than all that might be one.
_EXTRACT: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": False,
    "deduplicate": False,
    "favor_precision": True,
}


def main_text(html: str, tree: Any) -> str:
    """The article text of a page (paragraphs on their own lines); "" when there is none."""
    try:
        text = trafilatura.extract(tree if tree is not None else html, **_EXTRACT)
    except Exception:  # noqa: BLE001 - a broken page is a rejection, not a crash
        text = None
    if text:
        return text
    if tree is None:
        return ""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for bad in root.xpath(".//script|.//style|.//noscript|.//nav|.//header|.//footer"):
        bad.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in root.iter("p", "h2", "h3", "li")]
    return "\n".join(b for b in blocks if b) or " ".join(root.text_content().split())
