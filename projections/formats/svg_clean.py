"""Make matplotlib's SVG fit to inline in a page with a strict Content-Security-Policy.

matplotlib writes its colours and fonts as ``style="…"`` attributes and a ``<style>`` element;
the pages' policy (``style-src 'self'``) blocks both, and the chart would lose its colours.
SVG presentation attributes (``fill="…"``, ``stroke="…"``) are not styles in the policy's
sense, so every ``style`` declaration becomes one. The result has no XML declaration, no
namespaces or external addresses, no metadata, ids prefixed by the chart's own (two charts on
one page never share an id), no fixed size (it scales to its container), and a title and a
description for assistive technology.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_URL_REF = re.compile(r"url\(#([^)]+)\)")
# The CSS properties matplotlib writes, all of them SVG presentation attributes.
PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "clip-path",
    }
)


def _local(tag: str) -> str:
    return tag.removeprefix(SVG_NS)


def _declarations(style: str) -> list[tuple[str, str]]:
    pairs = []
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if name.strip() and value.strip():
            pairs.append((name.strip(), value.strip()))
    return pairs


def _referenced(root: ET.Element) -> set[str]:
    found: set[str] = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in (XLINK_HREF, "href") and value.startswith("#"):
                found.add(value[1:])
            found.update(_URL_REF.findall(value))
    return found


def _clean(element: ET.Element, ident: str, keep: set[str]) -> None:
    element.tag = _local(element.tag)
    attrib = dict(element.attrib)
    element.attrib.clear()
    for name, value in attrib.items():
        if name == "style":
            for prop, prop_value in _declarations(value):
                if prop in PRESENTATION:
                    element.set(prop, prop_value)
        elif name == "id":
            if value in keep:
                element.set("id", f"{ident}-{value}")
        elif name in (XLINK_HREF, "href"):
            element.set("href", f"#{ident}-{value[1:]}")
        elif name == "d":
            element.set("d", " ".join(value.split()))
        else:
            element.set(name, _URL_REF.sub(lambda m: f"url(#{ident}-{m.group(1)})", value))
    for child in list(element):
        if _local(child.tag) in ("metadata", "style"):
            element.remove(child)
        else:
            _clean(child, ident, keep)


def inline_svg(raw: str, ident: str, title: str, desc: str) -> str:
    """matplotlib's SVG document `raw` as an inline ``<svg role="img">`` element."""
    root = ET.fromstring(raw)  # noqa: S314 (matplotlib's own output, no entities)
    keep = _referenced(root)
    _clean(root, ident, keep)
    for empty in [e for e in root.iter("defs") if not len(e)]:
        for parent in root.iter():
            if empty in list(parent):
                parent.remove(empty)
    view_box = root.get("viewBox", "")
    root.attrib.clear()
    root.attrib.update(
        {
            "viewBox": view_box,
            "role": "img",
            "aria-labelledby": f"{ident}-title",
            "aria-describedby": f"{ident}-desc",
            "focusable": "false",
            "font-family": FONT,
            "stroke-linejoin": "round",
            "stroke-linecap": "butt",
        }
    )
    title_element = ET.Element("title", {"id": f"{ident}-title"})
    title_element.text = title
    desc_element = ET.Element("desc", {"id": f"{ident}-desc"})
    desc_element.text = desc
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return ET.tostring(root, encoding="unicode")
