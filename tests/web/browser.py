"""Headless Chromium for the UI tests (Debian's ``/usr/bin/chromium``, driven by Playwright) and the
page checks the browser tests share: contrast, labels, landmarks, horizontal overflow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DOC_SCREENSHOTS",
    "check_accessibility",
    "contrast_failures",
    "horizontal_overflow",
]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOC_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
"""Where ``pytest --update-screenshots`` writes the screenshots (the ``screenshots`` fixture)."""

# WCAG 2.1 contrast ratio of every visible text against the background it is painted on (the
# nearest ancestor with an opaque background colour), with the AA minimums: 4.5:1, or 3:1 for
# large text (24 px, or 18.66 px bold). Focus rings and placeholder text are not text nodes here.
_CONTRAST_JS = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] >= 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility !== "visible" || box.width <= 1 || box.height <= 1) continue;
    if (el.closest("option, datalist, script, style, [aria-hidden=true]")) continue;
    let fg = parse(style.color);
    const bg = background(el);
    if (fg.length === 4) fg = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
    const [a, b] = [lum(fg.slice(0, 3)), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      failures.push({text: n.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100,
                     color: style.color, background: "rgb(" + bg.join(", ") + ")"});
    }
  }
  return failures;
}
"""

_A11Y_JS = """
() => {
  const unlabelled = [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
    .filter((el) => el.labels.length === 0 && !el.getAttribute("aria-label"))
    .map((el) => el.id || el.name);
  const count = (selector) => document.querySelectorAll(selector).length;
  return {
    unlabelled,
    banner: count("body > header"),
    nav: count("nav[aria-label]"),
    main: count("main"),
    contentinfo: count("body > footer"),
    h1: count("h1"),
    lang: document.documentElement.lang,
    title: document.title,
  };
}
"""


def contrast_failures(page: Page) -> list[dict[str, Any]]:
    """Visible texts under the WCAG AA contrast minimum on the current page."""
    failures: list[dict[str, Any]] = page.evaluate(_CONTRAST_JS)
    return failures


_OVERFLOW_JS = """
() => {
  const page = document.documentElement.scrollWidth - window.innerWidth;
  const boxes = [...document.querySelectorAll(".panel, .hit, .empty, .notice")]
    .filter((el) => getComputedStyle(el).overflowX === "visible" && el.scrollWidth > el.clientWidth)
    .map((el) => (el.id || el.className) + ": " + (el.scrollWidth - el.clientWidth) + "px");
  return {page, boxes};
}
"""


def horizontal_overflow(page: Page) -> dict[str, Any]:
    """How far the page is wider than the viewport (``page``: 0 means no horizontal scroll), and
    the cards whose content spills out of them (``boxes``)."""
    found: dict[str, Any] = page.evaluate(_OVERFLOW_JS)
    return found


def check_accessibility(page: Page) -> None:
    """Assert what every page must pass: labels, landmarks, one h1, AA contrast, and reflow (nothing
    wider than the viewport or spilling out of its card)."""
    found = page.evaluate(_A11Y_JS)
    assert found["unlabelled"] == [], found
    assert (found["banner"], found["main"], found["contentinfo"], found["h1"]) == (1, 1, 1, 1), found
    assert found["nav"] >= 1 and found["lang"] == "en" and found["title"].endswith("· sanctionwatch"), found
    assert contrast_failures(page) == []
    assert horizontal_overflow(page) == {"page": 0, "boxes": []}
