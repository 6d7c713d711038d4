"""What a parsed payment message is: parties (with role and field path) and free-text fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from sanctionwatch.errors import InputError

__all__ = ["MAX_MESSAGE_BYTES", "Field", "Message", "MessageError", "Party"]

MAX_MESSAGE_BYTES = 10 * 1024 * 1024
"""Largest message (or message file) read; a bigger one is refused, not truncated."""


class MessageError(InputError):
    """A payment message cannot be read: malformed, unsafe, unknown type, oversized.

    The message names the file, the message's index within it and, where known, the field.
    """

    def __init__(self, source: str, reason: str, index: int | None = None, field: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.index = index
        self.field = field
        where = source if index is None else f"{source} message {index}"
        if field:
            where += f" field {field}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class Field:
    """One value of a message with the path of the field it came from.

    Attributes:
        path: XPath-like path (``FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Dbtr/Nm``) or MT field
            (``4:50K``, ``4:59F/3``).
        value: The text, whitespace-trimmed.
    """

    path: str
    value: str


@dataclass(frozen=True, slots=True)
class Party:
    """A party or agent of a message.

    Attributes:
        role: ``Dbtr``, ``CdtrAgt``, ``IntrmyAgt1``, ``AppHdr/Fr``... (MT: ``50K``, ``57A``...).
        path: Where the party sits in the message.
        agent: A financial institution (an agent, or a pacs.009 debtor/creditor bank).
        name: The party's name.
        address: Address parts (structured fields and address lines).
        countries: Country codes (address country, country of residence, of birth).
        bics: BICs (``BICFI``, ``AnyBIC``, MT option A).
        lei: Legal entity identifiers.
        other_ids: Other identifiers (``Othr/Id``, clearing member ids, MT party identifiers).
        birth_date: Date of birth (``BirthDt``, MT 50F line 4).
        birth_place: City / country of birth parts.
    """

    role: str
    path: str
    agent: bool = False
    name: Field | None = None
    address: tuple[Field, ...] = ()
    countries: tuple[Field, ...] = ()
    bics: tuple[Field, ...] = ()
    lei: tuple[Field, ...] = ()
    other_ids: tuple[Field, ...] = ()
    birth_date: Field | None = None
    birth_place: tuple[Field, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    """One payment message.

    Attributes:
        source: File (or request) it came from.
        index: Position within the source, from 1.
        format: ``iso20022`` or ``mt``.
        message_type: ``pacs.008.001.08``, ``pain.001.001.03``, ``MT103``, ``MT202COV``...
        message_id: ``MsgId`` / ``BizMsgIdr``, or MT field 20.
        transactions: Number of transactions (``CdtTrfTxInf``) in it.
        parties: Every party and agent, in document order.
        texts: Free-text fields (remittance information, instructions, MT 70/72/77B...).
    """

    source: str
    index: int
    format: str
    message_type: str
    message_id: str | None
    transactions: int = 1
    parties: tuple[Party, ...] = ()
    texts: tuple[Field, ...] = field(default=())
