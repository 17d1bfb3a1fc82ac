"""Moodle's text formats (html, moodle, plain, markdown) turned into the two kinds of text quiz.yml holds.

quiz.yml has Markdown (a question's `text` and `feedback`, shown through jimtraining.rendering) and plain text
(options, option feedback, pairs, items, model answers: shown as written). Moodle texts come in four formats
(GIFT prefixes `[html]`, `[moodle]`, `[plain]`, `[markdown]`; XML `format="..."`). HTML becomes Markdown or plain
text (markdownify, with Python-Markdown's escaping), never literal tags. What quiz.yml has no place for (pictures,
sound, embedded files, links to them) is left out and named in `Notes`, so the import can report it with its line.
"""

from __future__ import annotations

import html
import re

from flask_babel import gettext as _
from markdownify import MarkdownConverter

#: Moodle XML format names -> ours; GIFT uses ours directly.
XML_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
#: Stands for Moodle's "_____" (the gap of a missing-word question) until the text is converted.
BLANK = "\ue001"
PLUGINFILE = "@@PLUGINFILE@@"
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_MEDIA_TAGS = ("audio", "video", "source", "track", "iframe", "object", "embed", "canvas", "svg", "math", "applet",
               "input", "select", "textarea", "button", "form")


class Notes:
    """What a conversion left out: messages for the import report, and the embedded files they name."""

    def __init__(self):
        self.messages: list[str] = []
        self.files: set[str] = set()

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def file(self, name: str, message: str) -> None:
        self.files.add(name)
        self.add(message)


def _file_name(url: str) -> str | None:
    if url.startswith(PLUGINFILE):
        return html.unescape(url[len(PLUGINFILE):].lstrip("/")) or url
    return None


def escape_markdown(text: str) -> str:
    """Escape text so Python-Markdown shows it as written (only characters it would read as markup)."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([`*\[\]])", r"\\\1", text)
    text = re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)
    text = re.sub(r"&(?=#?[0-9A-Za-z]+;)", "&amp;", text)
    text = text.replace("<", "&lt;")
    text = re.sub(r"(?m)^(\s*)([#>+-]|!)", r"\1\\\2", text)
    text = re.sub(r"(?m)^(\s*\d+)\.", r"\1\\.", text)
    return text


class _Converter(MarkdownConverter):
    def __init__(self, notes: Notes, plain: bool):
        super().__init__(heading_style="ATX", bullets="-", escape_asterisks=False, escape_underscores=False,
                         escape_misc=False)
        self.notes, self.plain = notes, plain

    def escape(self, text, parent_tags):
        return text if self.plain else escape_markdown(text)

    def convert_img(self, el, text, parent_tags):
        src, alt = (el.get("src") or "").strip(), (el.get("alt") or "").strip()
        name = _file_name(src) or src or "?"
        message = _("overgeslagen: afbeelding '%(name)s' (alt-tekst: '%(alt)s'); quiz.yml kan geen afbeeldingen uit "
                    "Moodle bevatten", name=name, alt=alt)
        if _file_name(src):
            self.notes.file(name, message)
        else:
            self.notes.add(message)
        return ""

    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        name = _file_name(href)
        if name is not None:
            self.notes.file(name, _("overgeslagen: link naar het ingebedde bestand '%(name)s'; alleen de linktekst "
                                    "'%(text)s' is overgenomen", name=name, text=text.strip()))
            return text
        if not _SAFE_LINK.match(href):
            if href:
                self.notes.add(_("overgeslagen: link naar '%(target)s'; alleen de linktekst '%(text)s' is "
                                 "overgenomen", target=href, text=text.strip()))
            return text
        if self.plain:
            return text if text.strip() in (href, "") else f"{text} ({href})"
        return super().convert_a(el, text, parent_tags)

    def _media(self, el, text, parent_tags):
        if el.name != "source" and el.name != "track":
            self.notes.add(_("overgeslagen: <%(tag)s> (geluid, video of andere ingesloten inhoud)", tag=el.name))
        return ""

    def _plain_inline(self, el, text, parent_tags):
        return text

    def convert_hN(self, n, el, text, parent_tags):  # noqa: N802 (markdownify's name)
        if self.plain:
            return "\n\n" + text.strip() + "\n\n"
        return super().convert_hN(n, el, text, parent_tags)

    def get_conv_fn(self, tag_name):
        if tag_name in _MEDIA_TAGS:
            return self._media
        if self.plain and tag_name in ("b", "strong", "em", "i", "code", "kbd", "samp", "del", "s", "sub", "sup",
                                       "u", "mark", "q"):
            return self._plain_inline
        return super().get_conv_fn(tag_name)


def _from_html(source: str, notes: Notes, plain: bool) -> str:
    text = _Converter(notes, plain).convert(source)
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)  # where a picture was left out
    text = re.sub(r"[ \t]+\n" if plain else r"[ \t]+\n(?=[ \t]*\n)", "\n", text)
    text = re.sub(r"\n[ \t]+\n", "\n\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def to_markdown(text: str, fmt: str, notes: Notes) -> str:
    """A Moodle text in format `fmt` as Markdown for a question's text or feedback."""
    text = (text or "").strip()
    if fmt == "markdown":
        result = text
    elif fmt == "plain":
        result = escape_markdown(text).replace("\n", "  \n")
    else:
        if fmt == "moodle":  # Moodle's auto-format: HTML allowed, line breaks kept
            text = text.replace("\r\n", "\n").replace("\n", "<br>\n")
        result = _from_html(text, notes, plain=False)
    return result.replace(BLANK, r"\_\_\_\_\_").strip()


def to_plain(text: str, fmt: str, notes: Notes) -> str:
    """A Moodle text in format `fmt` as plain text for an option, a pair, an item or a model answer."""
    text = (text or "").strip()
    if fmt == "plain":
        return text
    if fmt == "markdown":
        import markdown

        text = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    elif fmt == "moodle":
        text = text.replace("\r\n", "\n").replace("\n", "<br>\n")
    return _from_html(text, notes, plain=True)
