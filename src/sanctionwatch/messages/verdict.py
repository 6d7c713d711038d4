"""A message's verdict (``hold`` / ``pass`` / ``error``) and its located reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sanctionwatch.messages.model import Message, MessageError

__all__ = ["Reason", "ReasonKind", "Verdict", "error_verdict"]

ReasonKind = Literal["party", "bic", "jurisdiction", "text", "vessel"]


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a message is held: one finding in one field.

    Attributes:
        kind: ``party`` (a name), ``bic``, ``jurisdiction`` (a country, BIC country or place),
            ``text`` (a listed name or BIC in free text), ``vessel`` (an IMO number).
        role: The party's role (``Dbtr``, ``57A``...), or ``text`` for free-text fields.
        field: Path of the field (``.../Cdtr/Nm``, ``4:70``).
        value: The field's value.
        span: ``[start, end)`` of the finding inside ``value``.
        entity_id: The listed entity, for party / bic / text / vessel findings.
        score: The scorer's score (1.0 for exact findings: BICs, IMO numbers, jurisdictions).
        explanation: Why, in one line (the scorer's summary, or what was found where).
        jurisdiction: The jurisdiction's key, for jurisdiction findings.
        legal_basis: Its legal basis.
    """

    kind: ReasonKind
    role: str
    field: str
    value: str
    span: tuple[int, int]
    score: float
    explanation: str
    entity_id: str | None = None
    jurisdiction: str | None = None
    legal_basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; absent optional fields are left out."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "role": self.role,
            "field": self.field,
            "value": self.value,
            "span": list(self.span),
            "entity_id": self.entity_id,
            "score": self.score,
            "explanation": self.explanation,
        }
        if self.jurisdiction is not None:
            out["jurisdiction"] = self.jurisdiction
            out["legal_basis"] = self.legal_basis
        return out


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of screening one message."""

    source: str
    index: int
    message_id: str | None
    message_type: str | None
    verdict: Literal["hold", "pass", "error"]
    reasons: tuple[Reason, ...] = field(default=())
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON line of ``payments screen``."""
        out: dict[str, Any] = {
            "file": self.source,
            "index": self.index,
            "message_id": self.message_id,
            "message_type": self.message_type,
            "verdict": self.verdict,
            "reasons": [r.to_dict() for r in self.reasons],
        }
        if self.error is not None:
            out["error"] = self.error
        return out


def error_verdict(err: MessageError, message: Message | None = None) -> Verdict:
    """The ``error`` record of a message that could not be read or screened."""
    return Verdict(
        source=err.source,
        index=err.index if err.index is not None else (message.index if message else 1),
        message_id=message.message_id if message else None,
        message_type=message.message_type if message else None,
        verdict="error",
        error=str(err),
    )
