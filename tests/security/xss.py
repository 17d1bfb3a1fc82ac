"""Shared helpers for the stored-XSS tests: the payload corpus, packing payloads into fields, and detection.

Detection has two halves that use the same markers:

* Server side (``live_markup``): the HTML of a page is parsed with the standard library's ``html.parser`` and
  every element or attribute that could run script is reported: a ``<script>`` that is not one of the app's own
  ``/static/js/*.js`` files, any ``on*`` attribute, a ``javascript:``/``vbscript:``/``data:`` URL in a URL
  attribute, ``srcdoc``, ``<iframe>``/``<object>``/``<embed>``/``<base>``/``<meta http-equiv=refresh>`` with a URL,
  CSS with ``expression()``/``url(javascript:…)``, and any element the templates never write (``<svg><animate>``,
  ``<marquee>``, ``<xss>``…). Template-injection results (``1787569`` for ``{{1337*1337}}``, the app's config,
  Python reprs) must never show.
* Browser (``INIT_SCRIPT``): every payload that would run calls ``alert``, ``confirm`` or ``prompt``, sets
  ``window.__xss`` or sets ``document.title`` to ``XSS-EXECUTED``. The init script traps exactly these before any
  page script runs, and ``DOM_SCAN`` looks for the same live elements as the server-side parser, in the DOM.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from jimtraining.rendering import ALLOWED_TAGS

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD_FILE = Path(__file__).resolve().parent / "data" / "xss_payloads.txt"
#: Stands for a line break in the corpus file (so that multi-line Markdown tricks fit on one line).
NEWLINE_MARK = "\u23ce"
#: The shortest free-text field (a person's name) holds 120 characters; every payload fits in it.
MAX_PAYLOAD_LENGTH = 120

# Loading and packing -------------------------------------------------------------------------------------------


def load_payloads() -> list[str]:
    """The real entries of the corpus, with ⏎ turned into a line break."""
    payloads = []
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        payloads.append(line.rstrip("\r").replace(NEWLINE_MARK, "\n"))
    return payloads


def single_line(payloads: list[str]) -> list[str]:
    return [p for p in payloads if "\n" not in p]


def pack(payloads: list[str], limit: int, sep: str = " ", prefix: str = "", strip: bool = True) -> list[str]:
    """Greedily join payloads into values of at most `limit` characters; every payload lands in exactly one.

    With strip=True each payload is stripped first (fields with a strip filter would change the value
    otherwise, and the tests compare what they sent with what the page shows).
    """
    values, current = [], []

    def length(parts):
        return len(prefix) + len(sep.join(parts))

    for payload in payloads:
        payload = payload.strip() if strip else payload
        if length([payload]) > limit:
            raise ValueError(f"payload longer than the field ({limit}): {payload!r}")
        if current and length(current + [payload]) > limit:
            values.append(prefix + sep.join(current))
            current = []
        current.append(payload)
    if current:
        values.append(prefix + sep.join(current))
    return values


# Detection in HTML ---------------------------------------------------------------------------------------------

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "codebase", "cite",
    "srcset", "ping", "lowsrc", "dynsrc", "icon", "manifest", "longdesc", "to", "from", "values", "by", "code",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
#: Never written by the templates; from user input they would load or run something.
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "style",
                  "animate", "animatetransform", "animatemotion", "set", "foreignobject", "handler", "listener",
                  "discard", "use", "import", "isindex", "noembed", "xmp", "plaintext", "template"}
_SCRIPT_SRC = re.compile(r"^/static/js/[A-Za-z0-9_-]+\.js(\?[A-Za-z0-9=._-]*)?$")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")
_BAD_CSS = re.compile(r"expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:|@import|url\s*\(",
                      re.IGNORECASE)

#: What template injection would produce: arithmetic results, the config, Python object reprs, command output.
INJECTION_RESULTS = (
    "1787569",                       # 1337*1337
    "7777777",                       # 7*'7' in Jinja
    "only-for-the-test-suite",       # the tests' SECRET_KEY ({{config}})
    "SQLALCHEMY_DATABASE_URI",
    "&lt;Config ", "<Config ",
    "TemplateReference", "&lt;class ", "<class ", "&lt;function ", "<function ", "&lt;module ", "<module ",
    "&lt;built-in", "<built-in", "subprocess.Popen", "uid=0(", "Undefined",
)


def _template_tags() -> set[str]:
    """Every element name the templates and the chart code write, and what the Markdown renderer may keep."""
    tags = set(ALLOWED_TAGS)
    for path in (ROOT / "templates").rglob("*.html"):
        tags.update(t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9-]*)", path.read_text(encoding="utf-8")))
    charts = ROOT / "jimtraining" / "certification" / "charts.py"
    if charts.exists():
        tags.update(t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9-]*)", charts.read_text(encoding="utf-8")))
    # Rendered by WTForms widgets and the heading macro (``<h{{ level }}``).
    tags.update({"input", "select", "option", "optgroup", "textarea", "label", "ul", "li",
                 "h1", "h2", "h3", "h4", "h5", "h6"})
    tags.discard("h")
    return tags - FORBIDDEN_TAGS - {"script", "meta", "link"}


TEMPLATE_TAGS = _template_tags()


def dangerous_url(value: str) -> bool:
    """True for a URL that would run script or load inline content (as a browser reads it)."""
    squeezed = _CONTROL_OR_SPACE.sub("", html.unescape(value or "")).lower()
    return squeezed.startswith(DANGEROUS_SCHEMES)


class _LiveMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._script_open = False
        self._script_text: list[str] = []

    def _report(self, message: str) -> None:
        line, _col = self.getpos()
        self.findings.append(f"line {line}: {message}")

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._script_open, self._script_text = True, []

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_open:
            self._script_open = False
            text = "".join(self._script_text).strip()
            if text:
                self._report(f"inline <script> with code {text[:120]!r}")

    def handle_data(self, data):
        if self._script_open:
            self._script_text.append(data)

    def _check(self, tag, attrs):
        values = {name.lower(): (value or "") for name, value in attrs}
        shown = " ".join(f'{name}="{value}"' for name, value in values.items())[:200]
        if tag == "script":
            if not _SCRIPT_SRC.match(values.get("src", "")):
                self._report(f"<script {shown}> that is not one of the app's own scripts")
        elif tag == "meta":
            refresh = values.get("http-equiv", "").strip().lower() == "refresh"
            if refresh and not re.fullmatch(r"\s*\d+\s*", values.get("content", "")):
                self._report(f"<meta {shown}> redirects")
            elif not refresh and not ("charset" in values or values.get("name") == "viewport"):
                self._report(f"unexpected <meta {shown}>")
        elif tag == "link":
            if values.get("rel") not in ("stylesheet", "icon") or not values.get("href", "").startswith("/static/"):
                self._report(f"unexpected <link {shown}>")
        elif tag in FORBIDDEN_TAGS:
            self._report(f"<{tag} {shown}> (never written by the templates)")
        elif tag not in TEMPLATE_TAGS:
            self._report(f"<{tag} {shown}>: an element the templates never write")
        for name, value in values.items():
            if name.startswith("on"):
                self._report(f"event handler {name}={value!r} on <{tag}>")
            elif name == "srcdoc":
                self._report(f"srcdoc={value!r} on <{tag}>")
            elif name in URL_ATTRIBUTES and dangerous_url(value):
                self._report(f"{name}={value!r} on <{tag}>")
            elif name == "style" and _BAD_CSS.search(value):
                self._report(f"style={value!r} on <{tag}>")
            elif name in ("ng-app", "ng-csp", "v-html") or name.startswith(("xmlns:", "ev:")):
                self._report(f"framework/namespace attribute {name}={value!r} on <{tag}>")


def live_markup(page_html: str) -> list[str]:
    """Everything in the page that could run script (empty for a clean page)."""
    parser = _LiveMarkup()
    parser.feed(page_html)
    parser.close()
    findings = parser.findings
    for marker in INJECTION_RESULTS:
        if marker in page_html:
            index = page_html.index(marker)
            findings.append(f"template injection result {marker!r}: …{page_html[max(0, index - 80):index + 80]}…")
    return findings


def page_text(page_html: str) -> str:
    """The page with its markup characters decoded (to look for a value as it was typed)."""
    return html.unescape(page_html)


# Browser traps ---------------------------------------------------------------------------------------------------

#: Runs before any page script in every frame: records every way a payload announces that it ran.
INIT_SCRIPT = r"""
(() => {
  const hits = [];
  const csp = [];
  Object.defineProperty(window, '__xssHits', {value: hits, configurable: false, writable: false});
  Object.defineProperty(window, '__cspViolations', {value: csp, configurable: false, writable: false});
  const record = (kind, detail) => { hits.push(kind + ': ' + String(detail).slice(0, 200) + ' @ ' + location.href); };
  for (const name of ['alert', 'confirm', 'prompt']) {
    const trap = function (...args) { record(name, args.join(' ')); return name === 'confirm' ? false : null; };
    try { Object.defineProperty(window, name, {value: trap, configurable: false, writable: false}); } catch (e) {}
  }
  try {
    Object.defineProperty(window, '__xss', {configurable: false, get() { return undefined; },
                                            set(value) { record('window.__xss', value); }});
  } catch (e) {}
  const title = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
  Object.defineProperty(Document.prototype, 'title', {
    configurable: true, get() { return title.get.call(this); },
    set(value) { if (String(value).includes('XSS-EXECUTED')) { record('document.title', value); }
                 title.set.call(this, value); }});
  document.addEventListener('securitypolicyviolation', (event) => {
    csp.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' '
             + (event.sample || '') + ' on ' + location.pathname);
  }, true);
})();
"""

#: The same live-markup rules as the server-side parser, on the DOM the browser actually built.
DOM_SCAN = r"""
() => {
  const found = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background',
                    'srcset', 'to', 'from', 'values', 'by', 'code'];
  const bad = (v) => /^(javascript|vbscript|data|livescript|mocha):/i.test((v || '').replace(/[\x00-\x20\x7f]+/g, ''));
  const forbidden = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal', 'style',
                             'animate', 'animatetransform', 'animatemotion', 'set', 'foreignobject', 'handler',
                             'discard', 'use', 'template', 'marquee', 'xss', 'image', 'math', 'keygen']);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    const where = '<' + tag + '> ' + el.outerHTML.slice(0, 160);
    if (forbidden.has(tag)) found.push('element ' + where);
    if (tag === 'script' && !/^\/static\/js\/[\w-]+\.js$/.test(el.getAttribute('src') || '')) {
      found.push('script ' + where);
    }
    if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || '')
        && /url/i.test(el.getAttribute('content') || '')) found.push('meta refresh ' + where);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push('handler ' + name + ' ' + where);
      if (name === 'srcdoc') found.push('srcdoc ' + where);
      if (urlAttrs.includes(name) && bad(attr.value)) found.push('url ' + name + ' ' + where);
    }
  }
  return found;
}
"""
