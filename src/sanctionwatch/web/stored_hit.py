"""A hit as an alert stores it (``Hit.to_dict()`` JSON) read back, so the alert page can explain it
with the search page's partial."""

from __future__ import annotations

from typing import Any

from sanctionwatch.matching.evidence import Feature
from sanctionwatch.matching.score import Explanation, Hit, PartMatch

__all__ = ["hit_from_dict"]


def hit_from_dict(data: dict[str, Any]) -> Hit | None:
    """The hit of ``Hit.to_dict()`` output; None when the stored JSON lacks a field (older format)."""
    try:
        ex = data["explanation"]
        explanation = Explanation(
            query_name=ex["query_name"],
            matched_name=ex["matched_name"],
            name_kind=ex["name_kind"],
            weak_alias=bool(ex["weak_alias"]),
            transliteration=ex["transliteration"],
            query_tokens=tuple(ex["query_tokens"]),
            listed_tokens=tuple(ex["listed_tokens"]),
            parts=tuple(
                PartMatch(p["query"], p["listed"], p["similarity"], p["how"], p["weight"])
                for p in ex["parts"]
            ),
            unmatched_query=tuple(ex["unmatched_query"]),
            unmatched_listed=tuple(ex["unmatched_listed"]),
            name_score=ex["name_score"],
            features=tuple(Feature(**f) for f in ex["features"]),
        )
        return Hit(
            entity_id=data["entity_id"],
            score=data["score"],
            match=bool(data["match"]),
            matched_name=data["matched_name"],
            list_key=data["list_key"],
            schema=data["schema"],
            caption=data["caption"],
            programs=tuple(data["programs"]),
            explanation=explanation,
        )
    except (KeyError, TypeError):
        return None
