"""Readable terminal rendering of screening hits with their explanations."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from sanctionwatch.matching.query import Query
from sanctionwatch.matching.score import Explanation, Hit

__all__ = ["explanation_text", "render_hits"]


def explanation_text(ex: Explanation) -> Text:
    """The explanation of a hit (or of a compared pair): aligned parts, missing parts, evidence."""
    text = Text()
    for p in ex.parts:
        style = "green" if p.how == "exact" else "yellow"
        label = p.query if p.how == "exact" else f"{p.query}~{p.listed} ({p.how})"
        text.append(label, style=style)
        text.append("  ")
    if ex.unmatched_listed:
        text.append("missing: " + " ".join(ex.unmatched_listed) + "  ", style="red")
    if ex.unmatched_query:
        text.append("unmatched: " + " ".join(ex.unmatched_query) + "  ", style="red")
    if ex.weak_alias:
        text.append("weak alias  ", style="magenta")
    for f in ex.features:
        style = "green" if f.contribution > 0 else "red" if f.contribution < 0 else "dim"
        text.append(f"\n{f.detail} ({f.contribution:+.2f})", style=style)
    if ex.transliteration not in ("latin", "original"):
        text.append(f"\nvia {ex.transliteration}", style="dim")
    return text


def render_hits(console: Console, query: Query, hits: list[Hit]) -> None:
    """Print a table of hits, best first, each with its explanation."""
    alerts = sum(h.match for h in hits)
    title = f"{query.name!r}: {len(hits)} hit(s), {alerts} alert(s)"
    if not hits:
        console.print(f"{title} — no listed name is similar enough.")
        return
    table = Table(title=title, show_lines=True, expand=False)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("alert", no_wrap=True)
    # Entity ids are what analysts copy into `show` and decisions: keep every one on one line when
    # they fit beside the other columns. (A ``min_width`` here made rich crop the table's right edge.)
    longest = max(len(h.entity_id) for h in hits)
    table.add_column("entity", overflow="fold", no_wrap=longest <= max(24, console.width // 3))
    table.add_column("matched name", overflow="fold")
    table.add_column("programs", overflow="fold")
    table.add_column("why", overflow="fold", ratio=2)
    for h in hits:
        table.add_row(
            f"{h.score:.2f}",
            Text("ALERT", style="bold red") if h.match else Text("-", style="dim"),
            f"{h.entity_id}\n{h.schema}",
            f"{h.matched_name}\n[dim]{h.caption if h.caption != h.matched_name else ''}[/]",
            ", ".join(h.programs[:4]),
            explanation_text(h.explanation),
        )
    console.print(table)
