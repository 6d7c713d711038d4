"""SWIFT MT103, MT202 and MT202COV: blocks 1-4, one message or many (``$``-separated RJE, ACKs).

Block 1 and 2 give the sender and receiver BICs, block 3 field 119 marks a COV, block 4 holds the
fields. Each party field is read by its option: A (BIC), B (location), D / K / 59 (name line then
address lines), F (numbered line codes: ``1/`` name, ``2/`` address, ``3/`` country/town,
``4/`` date of birth, ``5/`` place of birth, ``6/``-``7/`` identifiers, ``8/`` more of them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sanctionwatch.messages.model import Field, Message, MessageError, Party

__all__ = ["BIC_RE", "MtBlocks", "parse_mt", "split_blocks"]

BIC_RE = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_TAG_RE = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
_READ = frozenset({"103", "202"})
PARTY_TAGS = frozenset(
    {"50A", "50F", "50K", "51A", "52A", "52D", "53A", "53B", "53D", "54A", "54B", "54D", "55A", "55B", "55D"}
    | {"56A", "56D", "57A", "57B", "57D", "58A", "58D", "59", "59A", "59F"}
)
TEXT_TAGS = frozenset({"70", "72", "77B"})


@dataclass(frozen=True, slots=True)
class MtBlocks:
    """The raw blocks of one MT message (block 3 and 5 as their text)."""

    b1: str
    b2: str
    b3: str
    b4: str
    start: int


def _brace_end(text: str, start: int) -> int:
    """Index just past the ``}`` closing the ``{`` at ``start`` (nested braces counted)."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def split_blocks(text: str, source: str) -> list[MtBlocks | MessageError]:
    """The messages of an MT file as raw blocks; ACK/NAK service messages (``F21``) are skipped.

    A message without block 4 is returned as its error, the others are still read.

    Raises:
        MessageError: An unterminated block or text outside blocks (nothing after it can be split).
    """
    out: list[MtBlocks | MessageError] = []
    cur: dict[str, str] = {}
    start = 0
    i = 0
    n = len(text)

    def flush() -> None:
        if not cur:
            return
        index = len(out) + 1
        if cur.get("1", "").startswith("F21"):
            cur.clear()
            return
        if "4" not in cur:
            out.append(MessageError(source, "MT message without block 4 (text block)", index, "4"))
            cur.clear()
            return
        out.append(MtBlocks(cur.get("1", ""), cur.get("2", ""), cur.get("3", ""), cur["4"], start))
        cur.clear()

    while i < n:
        c = text[i]
        if c in " \t\r\n$\x03\x01":
            if c == "$":
                flush()
            i += 1
            continue
        m = re.match(r"\{([1-5A-Z]{1,3}):", text[i : i + 6])
        if (c != "{" or m is None) and "4" in cur:
            # A stray trailer after a complete message (a lone "{" before the next "$" in some
            # exports): skip to the next separator or block 1.
            nxt = [x for x in (text.find("$", i), text.find("{1:", i)) if x >= 0]
            i = min(nxt) if nxt else n
            continue
        if c != "{" or m is None:
            raise MessageError(source, f"unexpected text {text[i : i + 20]!r} at offset {i}", len(out) + 1)
        block = m.group(1)
        if block == "1" and ("1" in cur):
            flush()
        if not cur:
            start = i
        body_start = i + len(m.group(0))
        if block == "4" and text[body_start : body_start + 2].lstrip("\r").startswith("\n"):
            end = text.find("\n-}", body_start)
            if end < 0:
                raise MessageError(source, "block 4 not terminated by '-}'", len(out) + 1, "4")
            cur["4"] = text[body_start:end].replace("\r", "")
            i = end + 3
            continue
        end = _brace_end(text, i)
        if end < 0:
            raise MessageError(source, f"block {block} not terminated", len(out) + 1, block)
        cur[block] = text[body_start : end - 1]
        i = end
    flush()
    return out


def _fields(b4: str) -> list[tuple[str, str]]:
    """Block 4 as ``(tag, value)`` pairs in order."""
    marks = list(_TAG_RE.finditer(b4))
    if not marks and b4.strip():
        raise ValueError("no :TAG: field in block 4")
    out = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(b4)
        out.append((m.group(1), b4[m.end() : end].strip("\n")))
    return out


def _bic_of_lt(lt: str) -> str:
    """The BIC of a 12-character logical terminal address (BIC8 + terminal letter + branch)."""
    return lt[:8] + lt[9:12] if len(lt) >= 12 else lt[:8]


def _party(tag: str, value: str, path: str) -> Party:
    """Read one party field by its option letter."""
    lines = [line.rstrip() for line in value.split("\n")]
    option = tag[2:] if len(tag) == 3 else ""
    ids: list[Field] = []
    if lines and lines[0].startswith("/") and option != "F":
        ids.append(Field(f"{path}/account", lines[0].lstrip("/")))
        lines = lines[1:]
    agent = tag[:2] not in ("50", "59")
    if option == "A":
        bics = tuple(Field(f"{path}/BIC", x.strip()) for x in lines[:1] if x.strip())
        return Party(tag, path, agent, bics=bics, other_ids=tuple(ids))
    if option == "B":
        location = tuple(Field(f"{path}/location", x.strip()) for x in lines if x.strip())
        return Party(tag, path, agent, address=location, other_ids=tuple(ids))
    if option == "F":
        return _party_f(tag, lines, path)
    name = Field(f"{path}/name", lines[0].strip()) if lines and lines[0].strip() else None
    address = tuple(Field(f"{path}/address[{k}]", x.strip()) for k, x in enumerate(lines[1:], 1) if x.strip())
    return Party(tag, path, agent, name=name, address=address, other_ids=tuple(ids))


def _party_f(tag: str, lines: list[str], path: str) -> Party:
    """Option F: a party identifier line, then numbered lines (``1/`` name ... ``8/``)."""
    names: list[str] = []
    address: list[Field] = []
    countries: list[Field] = []
    ids: list[Field] = []
    birth_place: list[Field] = []
    birth_date: Field | None = None
    for k, raw in enumerate(lines):
        line = raw.strip()
        m = re.match(r"^([1-8])/(.*)$", line)
        if m is None:
            if k == 0 and line:
                ids.append(Field(f"{path}/identifier", line.lstrip("/")))
            elif names and line:  # a continuation of the name without its code
                names.append(line)
            continue
        code, rest = m.group(1), m.group(2).strip()
        fpath = f"{path}/{code}"
        if code == "1":
            names.append(rest)
        elif code == "2":
            address.append(Field(fpath, rest))
        elif code in ("3", "5"):
            cc, _, town = rest.partition("/")
            if re.fullmatch(r"[A-Z]{2}", cc):
                countries.append(Field(fpath, cc))
            if town.strip():
                (address if code == "3" else birth_place).append(Field(fpath, town.strip()))
            if code == "5":
                birth_place.append(Field(fpath, cc))
        elif code == "4":
            digits = re.sub(r"\D", "", rest)
            if len(digits) == 8:
                birth_date = Field(fpath, f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
        else:
            ids.append(Field(fpath, rest))
    name = Field(f"{path}/1", " ".join(names)) if names else None
    return Party(
        tag,
        path,
        tag[:2] not in ("50", "59"),
        name=name,
        address=tuple(address),
        countries=tuple(countries),
        other_ids=tuple(ids),
        birth_date=birth_date,
        birth_place=tuple(birth_place),
    )


def _message(blocks: MtBlocks, source: str, index: int) -> Message:
    b2 = blocks.b2
    if len(b2) < 4 or b2[0] not in "IO":
        raise MessageError(source, f"block 2 {b2[:20]!r} is not an input or output header", index, "2")
    mt = b2[1:4]
    if mt not in _READ:
        raise MessageError(source, f"MT{mt} is not a message type read (MT103, MT202, MT202COV)", index, "2")
    cov = "{119:COV}" in blocks.b3
    parties: list[Party] = []
    lt_sender = blocks.b1[3:15] if blocks.b1.startswith("F01") else ""
    lt_other = b2[14:26] if b2[0] == "O" else b2[4:16]
    # Input (I): block 1 holds the sender, block 2 the receiver; output (O): the reverse.
    roles = ("sender", "receiver") if b2[0] == "I" else ("receiver", "sender")
    for role, path, lt in ((roles[0], "1", lt_sender), (roles[1], "2", lt_other)):
        bic = _bic_of_lt(lt)
        if BIC_RE.match(bic):
            parties.append(Party(role, path, True, bics=(Field(f"{path}/BIC", bic),)))
    try:
        fields = _fields(blocks.b4)
    except ValueError as exc:
        raise MessageError(source, str(exc), index, "4") from None
    texts: list[Field] = []
    message_id = None
    seq_b = False
    seen: dict[str, int] = {}
    for tag, value in fields:
        if cov and tag[:2] in ("50",):
            seq_b = True
        base = f"4:B/{tag}" if seq_b else f"4:{tag}"
        seen[base] = seen.get(base, 0) + 1
        path = base if seen[base] == 1 else f"{base}[{seen[base]}]"
        if tag == "20" and message_id is None:
            message_id = value.strip()
        elif tag in PARTY_TAGS:
            parties.append(_party(tag, value, path))
        elif tag in TEXT_TAGS:
            text = " ".join(value.split("\n")).strip()
            if text:
                texts.append(Field(path, text))
    kind = "MT202COV" if mt == "202" and cov else f"MT{mt}"
    return Message(source, index, "mt", kind, message_id, 1, tuple(parties), tuple(texts))


def parse_mt(text: str, source: str, first_index: int = 1) -> list[Message | MessageError]:
    """Every message of an MT file; a message that cannot be read is returned as its error.

    Raises:
        MessageError: The file's block structure itself is broken (no message can be separated).
    """
    out: list[Message | MessageError] = []
    for k, blocks in enumerate(split_blocks(text, source), start=first_index):
        if isinstance(blocks, MessageError):
            out.append(blocks)
            continue
        try:
            out.append(_message(blocks, source, k))
        except MessageError as exc:
            out.append(exc)
    return out
