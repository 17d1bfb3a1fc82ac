"""What every page must hold at every size: nothing wider than the screen, no axe-core WCAG 2.1 A/AA violation, no
internal identifier (slug, type code) a person can read, and on a Dutch page no number with a decimal point.

Each check takes a Playwright page that is loaded and sized, and returns a list of findings: short texts that name
the offending element (a CSS-like path and its text) or the offending text. test_every_page_in_browser.py adds
role, size and URL.

axe-core is the copy bundled in the pinned PyPI package axe-playwright-python (its axe.min.js, MPL-2.0, injected
into the page by page.evaluate): nothing is loaded from another host.
"""

from __future__ import annotations

import re

from axe_playwright_python.base import AXE_SCRIPT

#: axe-core's tags for the WCAG 2.0 and 2.1 success criteria of levels A and AA.
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_AXE_RUN = """options => axe.run(document, options).then(results => results.violations.map(v => ({
    id: v.id, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                             summary: (n.failureSummary || '').split('\\n').slice(1, 2).join('').trim()}))
})))"""

# A short description of an element: up to four ancestors with their id or classes, then its own text.
_DESCRIBE = """const describe = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
        let s = e.tagName.toLowerCase();
        if (e.id) s += '#' + e.id;
        else if (e.classList.length) s += '.' + Array.from(e.classList).join('.');
        parts.unshift(s);
    }
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return parts.join(' > ') + (text ? ` "${text}"` : '');
};"""

_OVERFLOW = "() => {\n" + _DESCRIBE + """
    const vw = window.innerWidth, sw = document.scrollingElement.scrollWidth;
    if (sw <= vw) return null;
    const sticksOut = el => el.getBoundingClientRect().right > vw + 0.5;
    // An element inside a scroll box that fits (such as .table-scroll) does not widen the page, unless it is
    // positioned absolutely and so escapes the box (a visually hidden label).
    const contained = el => {
        const style = getComputedStyle(el);
        if (style.position === 'absolute' || style.position === 'fixed') return false;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible' && !sticksOut(a)) return true;
        }
        return false;
    };
    const offenders = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (!sticksOut(el) || contained(el)) continue;
        const parent = el.parentElement;
        if (parent && parent !== document.body && sticksOut(parent) && !contained(parent)) continue;
        offenders.push(describe(el) + ` (right edge at ${Math.round(r.right)} px)`);
        if (offenders.length === 5) break;
    }
    return {scrollWidth: sw, innerWidth: vw, offenders};
}"""

# The text a person reads or hears: every rendered text node, the accessible names given in attributes, and the
# values of fields and buttons.
_VISIBLE_TEXT = "() => {\n" + _DESCRIBE + """
    const texts = new Map();
    const add = (el, text) => {
        if (!text || !text.trim()) return;
        texts.set(el, (texts.get(el) || '') + ' ' + text.replace(/\\s+/g, ' '));
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION'].includes(el.tagName)) continue;
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        add(el, node.data);
    }
    for (const el of document.body.querySelectorAll('[alt], [aria-label], [title], [placeholder], option, input')) {
        if (el.tagName !== 'OPTION' && !el.checkVisibility({visibilityProperty: true})) continue;
        for (const name of ['alt', 'aria-label', 'title', 'placeholder']) add(el, el.getAttribute(name));
        if (el.tagName === 'OPTION') add(el, el.textContent);
        if (el.tagName === 'INPUT' && !['hidden', 'password', 'checkbox', 'radio'].includes(el.type)) add(el, el.value);
    }
    return Array.from(texts, ([el, text]) => [describe(el), text.trim()]);
}"""


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations, one finding per element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG21_AA}, "resultTypes": ["violations"]}
    violations = page.evaluate(_AXE_RUN, options)
    return [f"axe {v['id']} ({v['help']}): {node['target']} {node['html']}"
            + (f" -- {node['summary']}" if node["summary"] else "")
            for v in violations for node in v["nodes"]]


_MAIN_HTML = "() => (document.querySelector('main') || document.body).innerHTML"
_TOKENS = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"')


def main_content(page) -> str:
    """The HTML of the page's main element, without its CSRF tokens: the same for every role that sees it."""
    return _TOKENS.sub(r'\1"', page.evaluate(_MAIN_HTML))


def overflow(page) -> list[str]:
    """The page is wider than the screen: the elements that stick out."""
    found = page.evaluate(_OVERFLOW)
    if found is None:
        return []
    return [f"page is {found['scrollWidth']} px wide on a {found['innerWidth']} px screen; sticking out: "
            + ("; ".join(found["offenders"]) or "(no single element found)")]


def visible_texts(page) -> list[tuple[str, str]]:
    """(element, text) for every element with text a person reads or hears."""
    return [tuple(pair) for pair in page.evaluate(_VISIBLE_TEXT)]


def identifier_pattern(identifiers) -> re.Pattern:
    """Matches any of the identifiers as a whole word (not inside a longer word, a path or a hyphenated name)."""
    words = sorted(set(identifiers), key=len, reverse=True)
    return re.compile(r"(?<![\w/-])(" + "|".join(map(re.escape, words)) + r")(?![\w/-])")


def identifiers_in(texts, pattern: re.Pattern) -> list[str]:
    return [f"identifier '{match.group(1)}' in {element}: {_around(text, match)}"
            for element, text in texts for match in pattern.finditer(text)]


#: A number with a decimal point: digits, a point, digits, not part of a longer run of digits and points
#: (a date such as 7.12.2026, a version such as 1.2.3, an address such as 127.0.0.1).
_DECIMAL_POINT = re.compile(r"(?<![\w.])(?<!\d\.)\d+\.\d+(?![\w]|\.\d)")
#: Dutch groups thousands with a point: 3.000 and 12.500.000 are right.
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
#: Names followed by a version number ("Open Badges 3.0", "LTI 1.3", "WCAG 2.1", "Common Cartridge 1.1"), an article
#: of a law ("artikel 7.4") or a room number ("lokaal 1.12"), and "10.30 uur" (a time).
_NAME_BEFORE = re.compile(r"(?:\b(?:Badges|LTI|WCAG|OAuth|TLS|HTTP|Python|Cartridge|artikel|art\.|versie|version|"
                          r"lokaal|zaal|kamer|ruimte)\s*"
                          r"|\bv)$", re.IGNORECASE)
_TIME_AFTER = re.compile(r"^\s*uur\b")


def decimal_points_in(texts) -> list[str]:
    """Numbers written the English way (3.0, 0.75) in the texts of a Dutch page."""
    found = []
    for element, text in texts:
        for match in _DECIMAL_POINT.finditer(text):
            if (_THOUSANDS.fullmatch(match.group()) or _NAME_BEFORE.search(text[:match.start()])
                    or _TIME_AFTER.match(text[match.end():])):
                continue
            found.append(f"number '{match.group()}' with a decimal point in {element}: {_around(text, match)}")
    return found


def _around(text: str, match: re.Match) -> str:
    start, end = max(match.start() - 40, 0), match.end() + 40
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
