"""Small lxml helpers shared by the manifest, QTI and LTI-link writers. Texts only ever go in as element text or
attribute values, so lxml escapes them: nothing a content author writes can change the XML's structure."""

from __future__ import annotations

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def sub(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.rstrip("_"): str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def to_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
