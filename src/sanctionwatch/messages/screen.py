"""Screen a parsed payment message: every party, BIC, country, place and free-text field.

* Names of parties through the :class:`~sanctionwatch.matching.screener.Screener`, with the party's
  country and birth date as evidence (agents screened as organizations).
* BICs against the BICs the lists carry (``SWIFT/BIC`` identifiers, and ``SWIFT/BIC`` in remarks),
  equal on their first 8 characters; a BIC whose country code is embargoed is a jurisdiction reason.
* Countries and address / birth places against the enabled :class:`Jurisdictions`.
* Free text: listed names (an automaton over every listed name, confirmed by the scorer:
  :mod:`~sanctionwatch.messages.textnames`), listed BICs, IMO numbers (check digit validated) of
  listed vessels, places.

The verdict is ``hold`` when any reason reaches the alert threshold (exact findings score 1.0).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sanctionwatch.countries import country_code
from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.score import Hit
from sanctionwatch.matching.screener import Screener
from sanctionwatch.messages.jurisdictions import Jurisdictions
from sanctionwatch.messages.model import Field, Message, MessageError, Party
from sanctionwatch.messages.swift_mt import BIC_RE
from sanctionwatch.messages.textnames import NameScanner
from sanctionwatch.messages.verdict import Reason, Verdict, error_verdict
from sanctionwatch.model import Entity, IdType, Schema

__all__ = ["MessageScreener", "imo_valid"]

# "SWIFT/BIC FTBDKPPY" (OFAC), "SWIFT: ILSIKPPY", "SWIFT: DCBK KPPY" (UN, UK OFSI remarks).
_REMARK_BIC = re.compile(
    r"SWIFT(?:/BIC)?(?:\s+CODE)?\s*[:.]?\s*([A-Z]{4}\s?[A-Z]{2}\s?[A-Z0-9]{2}(?:\s?[A-Z0-9]{3})?)\b"
)
_TEXT_BIC = re.compile(r"(?<![A-Z0-9])([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Z0-9])")
# A BIC where the text says it is one: after an MT 72 /INS/ code, or after "BIC" / "SWIFT".
_BIC_CONTEXT = re.compile(r"(?:/INS/|\bBIC\b\s*:?\s*|\bSWIFT\b\s*:?\s*)$")
_IMO = re.compile(r"(?<!\d)(?:IMO\s*(?:NO\.?|NUMBER|NR\.?|#|:)?\s*)?(\d{7})(?!\d)", re.IGNORECASE)


def imo_valid(number: str) -> bool:
    """Whether a 7-digit IMO number's last digit is its check digit (weights 7..2 on the first six)."""
    if len(number) != 7 or not number.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(number[6])


@dataclass(frozen=True, slots=True)
class _Listed:
    entity_id: str
    caption: str


def _bic_index(entities: Iterable[Entity]) -> dict[str, list[_Listed]]:
    out: dict[str, list[_Listed]] = {}
    for e in entities:
        found = {i.value.strip().upper() for i in e.identifiers if i.type == IdType.SWIFT_BIC}
        if e.remarks:
            found.update(m.group(1).replace(" ", "") for m in _REMARK_BIC.finditer(e.remarks.upper()))
        for bic in found:
            if BIC_RE.match(bic):
                out.setdefault(bic[:8], []).append(_Listed(e.id, e.caption))
    return out


def _imo_index(entities: Iterable[Entity]) -> dict[str, list[_Listed]]:
    out: dict[str, list[_Listed]] = {}
    for e in entities:
        for i in e.identifiers:
            digits = re.sub(r"\D", "", i.value)
            if i.type == IdType.IMO and len(digits) == 7:
                out.setdefault(digits, []).append(_Listed(e.id, e.caption))
    return out


class MessageScreener:
    """Screens messages against a screener's lists and a set of jurisdictions.

    Args:
        screener: The name screener (its entities also give the listed BICs and IMO numbers).
        jurisdictions: Sanctioned jurisdictions to screen (default: the data file's defaults).
        threshold: Alert threshold for names (default: the screener's).
        lists: Only these list keys.
        scan_names: Look for listed names in free text (builds the automaton, about a second).
    """

    def __init__(
        self,
        screener: Screener,
        jurisdictions: Jurisdictions | None = None,
        threshold: float | None = None,
        lists: Iterable[str] | None = None,
        scan_names: bool = True,
    ) -> None:
        self.screener = screener
        self.jurisdictions = jurisdictions if jurisdictions is not None else Jurisdictions()
        self.threshold = screener.config.threshold if threshold is None else threshold
        self.lists = tuple(lists) if lists is not None else None
        entities = [e for e in screener.index.entities if self._allowed(e)]
        self.bics = _bic_index(entities)
        self.imos = _imo_index(entities)
        self.names = NameScanner(screener, self.threshold, self.lists) if scan_names else None

    def _allowed(self, e: Entity) -> bool:
        if self.lists is None:
            return True
        return e.list_key in self.lists or e.list_key.split(":", 1)[0] in self.lists

    def screen(self, message: Message) -> Verdict:
        """The verdict on one message; a field that cannot be screened makes it an ``error``."""
        seen: dict[Query, list[Hit]] = {}  # a name repeated in a message is scored once
        try:
            reasons = [r for p in message.parties for r in self._party(p, seen)]
            reasons += [r for t in message.texts for r in self._text(t)]
        except MessageError as exc:
            located = MessageError(message.source, exc.reason, message.index, exc.field)
            return error_verdict(located, message)
        hold = any(r.score >= self.threshold for r in reasons)
        return Verdict(
            source=message.source,
            index=message.index,
            message_id=message.message_id,
            message_type=message.message_type,
            verdict="hold" if hold else "pass",
            reasons=tuple(reasons),
        )

    def screen_all(self, items: Iterable[Message | MessageError]) -> list[Verdict]:
        """Verdicts for parsed messages and ``error`` records for those that could not be read."""
        return [error_verdict(x) if isinstance(x, MessageError) else self.screen(x) for x in items]

    # -- parties ------------------------------------------------------------------------------------

    def _party(self, p: Party, seen: dict[Query, list[Hit]]) -> list[Reason]:
        out: list[Reason] = []
        if p.name is not None:
            out += self._name(p, seen)
            if p.address and p.path.startswith("4:"):
                out += self._wrapped_name(p, {r.entity_id for r in out})
        for b in p.bics:
            out += self._bic(p.role, b)
        for c in p.countries:
            j = self.jurisdictions.country(c.value)
            if j is not None:
                out.append(self._jreason(p.role, c, (0, len(c.value)), j.key, f"country {c.value}"))
        for f in (*p.address, *p.birth_place):
            out += self._places(p.role, f)
        return out

    def _name(self, p: Party, seen: dict[Query, list[Hit]]) -> list[Reason]:
        assert p.name is not None
        country = next((c.value for c in p.countries if country_code(c.value)), None)
        dob = p.birth_date.value if p.birth_date is not None else None
        try:
            query = Query.build(
                p.name.value, schema=Schema.ORGANIZATION if p.agent else None, country=country, birth_date=dob
            )
        except InputError as exc:
            try:  # a bad birth date must not stop the name being screened
                query = Query.build(p.name.value, schema=Schema.ORGANIZATION if p.agent else None)
            except InputError:
                raise MessageError("", str(exc), None, p.name.path) from None
        hits = seen.get(query)
        if hits is None:
            hits = seen[query] = self.screener.screen(
                query, limit=3, threshold=self.threshold, lists=self.lists
            )
        return [
            Reason(
                kind="party",
                role=p.role,
                field=p.name.path,
                value=p.name.value,
                span=(0, len(p.name.value)),
                score=h.score,
                explanation=f"{h.caption}: {h.explanation.summary()}",
                entity_id=h.entity_id,
            )
            for h in hits
            if h.match
        ]

    def _wrapped_name(self, p: Party, found: set[str | None]) -> list[Reason]:
        """An MT name wrapped onto the address lines (35 characters a line): the field's lines
        joined, scanned for listed names like free text."""
        if self.names is None or p.name is None:
            return []
        joined = " ".join([p.name.value, *(a.value for a in p.address)])
        return [
            Reason(
                "party",
                p.role,
                p.path,
                joined,
                (f.start, f.end),
                f.hit.score,
                f"{f.hit.caption} (name over several lines): {f.hit.explanation.summary()}",
                f.hit.entity_id,
            )
            for f in self.names.find(joined)
            if f.hit.entity_id not in found and f.end > len(p.name.value)
        ]

    def _bic(self, role: str, f: Field) -> list[Reason]:
        bic = f.value.replace(" ", "").upper()
        if not BIC_RE.match(bic):
            return []
        out = [
            Reason(
                "bic", role, f.path, f.value, (0, len(f.value)), 1.0, f"BIC {bic} is {x.caption}", x.entity_id
            )
            for x in self.bics.get(bic[:8], ())
        ]
        j = self.jurisdictions.country(bic[4:6])
        if j is not None:
            out.append(self._jreason(role, f, (4, 6), j.key, f"BIC country code {bic[4:6]}"))
        return out

    def _jreason(self, role: str, f: Field, span: tuple[int, int], key: str, what: str) -> Reason:
        j = next(x for x in self.jurisdictions.enabled if x.key == key)
        return Reason(
            kind="jurisdiction",
            role=role,
            field=f.path,
            value=f.value,
            span=span,
            score=1.0,
            explanation=f"{what}: {j.name}",
            jurisdiction=j.key,
            legal_basis=j.basis_text(),
        )

    def _places(self, role: str, f: Field) -> list[Reason]:
        return [
            self._jreason(
                role, f, (m.start, m.end), m.jurisdiction.key, f"place {f.value[m.start : m.end]!r}"
            )
            for m in self.jurisdictions.places(f.value)
        ]

    # -- free text ----------------------------------------------------------------------------------

    def _text(self, f: Field) -> list[Reason]:
        out = self._places("text", f)
        for found in self.names.find(f.value) if self.names is not None else ():
            h = found.hit
            out.append(
                Reason(
                    "text",
                    "text",
                    f.path,
                    f.value,
                    (found.start, found.end),
                    h.score,
                    f"listed name {h.caption!r} in free text: {h.explanation.summary()}",
                    h.entity_id,
                )
            )
        for m in _TEXT_BIC.finditer(f.value):
            bic = m.group(1)
            j = self.jurisdictions.country(bic[4:6])
            if j is not None and _BIC_CONTEXT.search(f.value[max(0, m.start() - 8) : m.start()].upper()):
                a = m.start(1)
                out.append(
                    self._jreason("text", f, (a + 4, a + 6), j.key, f"BIC {bic} country code {bic[4:6]}")
                )
            for x in self.bics.get(bic[:8], ()):
                out.append(
                    Reason(
                        "text",
                        "text",
                        f.path,
                        f.value,
                        m.span(1),
                        1.0,
                        f"listed BIC {m.group(1)} of {x.caption} in free text",
                        x.entity_id,
                    )
                )
        for m in _IMO.finditer(f.value):
            number = m.group(1)
            if not imo_valid(number):
                continue
            for x in self.imos.get(number, ()):
                out.append(
                    Reason(
                        "vessel",
                        "text",
                        f.path,
                        f.value,
                        m.span(),
                        1.0,
                        f"IMO {number} (check digit valid) is {x.caption}",
                        x.entity_id,
                    )
                )
        return out
