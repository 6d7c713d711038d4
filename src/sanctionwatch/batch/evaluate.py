"""Screening quality on labelled queries: the figures ../shared/eval/score.py prints, per group.

Labelled query files are batch query files with two more columns: ``expected`` (``;``-joined entity
ids a correct screen must find; empty = must not alert) and ``group``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GroupFigures", "score_results"]


@dataclass
class GroupFigures:
    """Counts of one group; rates are derived."""

    n: int = 0
    missing: int = 0
    positives: int = 0
    negatives: int = 0
    at_1: int = 0
    at_10: int = 0
    alerted: int = 0
    alerted_all: int = 0
    false_alerts: int = 0
    misses: list[str] = field(default_factory=list)

    def rates(self) -> dict[str, float | int]:
        """The figures score.py reports, as a dict."""
        out: dict[str, float | int] = {"n": self.n, "missing": self.missing}
        if self.positives:
            out["recall_at_1"] = self.at_1 / self.positives
            out["recall_at_10"] = self.at_10 / self.positives
            out["alerted_recall"] = self.alerted / self.positives
            out["alerted_all"] = self.alerted_all / self.positives
        if self.negatives:
            out["false_alert_rate"] = self.false_alerts / self.negatives
        return out


def score_results(
    labels: Iterable[tuple[str, str, str]], results: dict[str, list[dict[str, Any]]]
) -> dict[str, GroupFigures]:
    """Per-group figures.

    Args:
        labels: ``(query id, expected ids joined by ';', group)``.
        results: Query id to its hits (dicts with ``entity_id`` and ``match``), best first.
    """
    groups: dict[str, GroupFigures] = defaultdict(GroupFigures)
    for qid, expected_raw, group in labels:
        g = groups[group]
        g.n += 1
        hits = results.get(qid)
        if hits is None:
            g.missing += 1
            hits = []
        expected = {x for x in expected_raw.split(";") if x}
        flagged = {h["entity_id"] for h in hits if h.get("match")}
        if expected:
            g.positives += 1
            if hits and hits[0]["entity_id"] in expected:
                g.at_1 += 1
            if any(h["entity_id"] in expected for h in hits[:10]):
                g.at_10 += 1
            if expected & flagged:
                g.alerted += 1
            else:
                g.misses.append(qid)
            if expected <= flagged:
                g.alerted_all += 1
        else:
            g.negatives += 1
            if flagged:
                g.false_alerts += 1
                g.misses.append(qid)
    return dict(sorted(groups.items()))
