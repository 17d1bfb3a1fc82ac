"""The one Markdown -> safe HTML renderer: Python-Markdown, then nh3 with an allow-list.

Everything a person or a content file writes in Markdown is shown through ``render_markdown``. Relative links
and images in curriculum files are rewritten by a resolver the caller passes in; nothing else is trusted.
"""

import re
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3
from flask import has_app_context
from flask_babel import get_locale, gettext
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "blockquote", "code", "pre",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

#: Returns the URL to use for a relative link or image target, or None to drop the link.
Resolver = Callable[[str, bool], str | None]


def is_local_url(url: str) -> bool:
    """True for addresses on this site; browsers read a leading '//', '\\\\' or '/\\' as another host."""
    return not re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})", url)


class _RewriteTree(Treeprocessor):
    def __init__(self, md, resolver: Resolver | None):
        super().__init__(md)
        self.resolver = resolver

    def run(self, root):
        for element in root.iter():
            # The page title is the only h1; headings in a text start one level lower.
            if element.tag == "h1":
                element.tag = "h2"
            if self.resolver is None:
                continue
            if element.tag == "a" and element.get("href"):
                target = self.resolver(element.get("href"), False)
                if target is None:
                    del element.attrib["href"]
                else:
                    element.set("href", target)
            elif element.tag == "img" and element.get("src"):
                target = self.resolver(element.get("src"), True)
                if target is None:
                    del element.attrib["src"]
                else:
                    element.set("src", target)


class _RewriteExtension(Extension):
    def __init__(self, resolver: Resolver | None):
        super().__init__()
        self.resolver = resolver

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_RewriteTree(md, self.resolver), "jim_rewrite", 1)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Pictures only ever come from this site: the app works offline and tells no other host who reads what.
    if tag == "img" and attribute == "src" and not is_local_url(value):
        return None
    return value


#: An <img> tag as nh3 writes it: attribute values always in double quotes (a quote inside is &quot;).
_IMG_TAG = re.compile(r'<img((?:\s+[^\s="/>]+(?:="[^"]*")?)*)\s*/?>')
_ALT_ATTRIBUTE = re.compile(r'\salt(?:="|\s|$)')


def _with_alt(match: re.Match) -> str:
    """Every picture has an alt attribute, empty when the author gave none (screen readers then skip it)."""
    attributes = match.group(1)
    return match.group(0) if _ALT_ATTRIBUTE.search(attributes) else f'<img alt=""{attributes}>'


def _to_html(text: str, resolver: Resolver | None) -> str:
    return markdown.markdown(
        text or "",
        extensions=["extra", "sane_lists", _RewriteExtension(resolver)],
        output_format="html",
    )


class _Images(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.without_alt: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            if not (values.get("alt") or "").strip():
                self.without_alt.append(values.get("src") or "")


def images_without_alt(text: str) -> list[str]:
    """The targets of the Markdown pictures (![...](...), ![...][ref]) in a text that have no description (alt
    text), for content check. Raw HTML is left out here: the renderer gives its pictures alt="" anyway."""
    parser = _Images()
    parser.feed(_to_html((text or "").replace("<", "&lt;"), None))
    parser.close()
    return parser.without_alt


def render_markdown(text: str, resolver: Resolver | None = None) -> Markup:
    """Render Markdown to HTML that is safe to insert in a page."""
    html = _to_html(text, resolver)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_keep_attribute,
    )
    if "<img" in clean:
        clean = _IMG_TAG.sub(_with_alt, clean)
    if "<table>" in clean:
        clean = _scrolling_tables(clean)
    return Markup(clean)


@lru_cache(maxsize=4096)
def _kept(text: str, _language: str) -> Markup:
    return render_markdown(text)


def render_content_markdown(text: str) -> Markup:
    """render_markdown for a text that comes from the content files and has no relative links (a quiz question, its
    feedback): the same text gives the same HTML, so it is rendered once per process and language (the language
    only names the scrolling box of a table) and kept, for at most 4096 texts. Not for what people write."""
    language = str(get_locale() or "") if has_app_context() else ""
    return _kept(text or "", language)


def _scrolling_tables(html: str) -> str:
    """Put every table in a box that scrolls sideways on its own (reachable with the keyboard), so a wide table
    never makes the page wider than a phone."""
    label = gettext("Tabel (schuif opzij voor meer)") if has_app_context() else "Tabel (schuif opzij voor meer)"
    box = f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
    return html.replace("<table>", box + "<table>").replace("</table>", "</table></div>")
