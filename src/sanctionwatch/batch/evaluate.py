"""Screening quality on labelled queries: the figures ../shared/eval/score.py prints, per group.

Labelled query files are batch query files with two more columns: ``expected`` (``;``-joined entity
ids a correct screen must find; empty = must not alert) and ``group``. Labelled pair files
(``name1,name2,is_match,group,category``) give precision, recall and F1 of the pairwise comparison
at the alert threshold, overall, per group and per category.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GroupFigures", "PairFigures", "score_pairs", "score_results"]


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


@dataclass
class PairFigures:
    """Confusion counts of labelled pairs: ``match`` (score at or above the threshold) vs ``is_match``."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, label: bool, match: bool | None, key: str = "") -> None:
        """Count one pair; ``match`` None is a pair that could not be scored (counted apart).

        ``key`` names the pair in :attr:`misses` when it is a false negative, a false positive or
        unscored.
        """
        if match is None:
            self.errors += 1
        elif label:
            self.tp += match
            self.fn += not match
        else:
            self.fp += match
            self.tn += not match
        if match is None or match != label:
            self.misses.append(key)

    def rates(self) -> dict[str, float | int]:
        """Counts, and precision, recall and F1 where they are defined."""
        out: dict[str, float | int] = {"n": self.tp + self.fp + self.fn + self.tn + self.errors}
        out.update(tp=self.tp, fp=self.fp, fn=self.fn, tn=self.tn)
        if self.errors:
            out["errors"] = self.errors
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        if precision is not None:
            out["precision"] = precision
        if recall is not None:
            out["recall"] = recall
        if precision is not None and recall is not None:
            out["f1"] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return out


def score_pairs(
    pairs: Iterable[tuple[bool, bool | None, str, str, str]],
) -> dict[str, dict[str, PairFigures]]:
    """Figures of labelled pairs: ``{"overall": {"all": ...}, "group": {...}, "category": {...}}``.

    Args:
        pairs: ``(is_match label, match at the threshold or None if unscored, group, category,
            key)``; an empty group or category is reported as ``(none)``; ``key`` names the pair
            in the misses.
    """
    overall = PairFigures()
    groups: dict[str, PairFigures] = defaultdict(PairFigures)
    categories: dict[str, PairFigures] = defaultdict(PairFigures)
    for label, match, group, category, key in pairs:
        overall.add(label, match, key)
        groups[group or "(none)"].add(label, match, key)
        categories[category or "(none)"].add(label, match, key)
    return {
        "overall": {"all": overall},
        "group": dict(sorted(groups.items())),
        "category": dict(sorted(categories.items())),
    }
