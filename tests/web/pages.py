"""Reading the UI's HTML in tests with lxml and XPath, not regexes."""

from __future__ import annotations

from typing import cast

import lxml.html

__all__ = ["classed", "html", "nodes", "texts"]


def html(body: str) -> lxml.html.HtmlElement:
    """Parse a page."""
    return lxml.html.fromstring(body)


def classed(name: str) -> str:
    """An XPath predicate for elements carrying the CSS class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def nodes(doc: lxml.html.HtmlElement, xpath: str) -> list[lxml.html.HtmlElement]:
    """The elements an XPath selects."""
    return cast("list[lxml.html.HtmlElement]", doc.xpath(xpath))


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    """The whitespace-normalized text of every element the XPath selects."""
    return [" ".join(el.text_content().split()) for el in nodes(doc, xpath)]
