"""Payment message benchmark: pacs.008 messages parsed and screened per second, per message latency,
and the cost of the free-text scan against that of the parties.

Every sanctions list in ../shared/data is loaded (the PEP export is not a sanctions list). The
messages are single-transaction pacs.008.001.08 with an application header, six parties and agents
(debtor, creditor, ultimate debtor, three agents with BICs) and one remittance line, with names
drawn from a fixed pool of ordinary names (seeded). Usage::

    .venv/bin/python benchmarks/bench_payments.py [--messages 2000] [--seed 7]

Prints a Markdown table; docs/payments.md quotes it with this command. One process, one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from sanctionwatch.matching.screener import Screener
from sanctionwatch.messages.model import Message
from sanctionwatch.messages.reader import read_bytes
from sanctionwatch.messages.screen import MessageScreener
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.registry import detect, get_format

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
LISTS = (
    "ofac/sdn-2024-05-03",
    "ofac/cons-2025-12",
    "un/consolidated-2026-02-27.xml",
    "uk/conlist-2018-04-13.csv",
    "eu/fsf-v1.0-2016-02-11-subset.xml",
    "us-csl/consolidated-subset.csv",
    "opensanctions/ua_war_sanctions_targets.simple.csv",
)
FIRST = ["Anna", "Lukas", "Marie", "Jonas", "Sofia", "Paul", "Emma", "David", "Laura", "Felix", "Clara"]
LAST = ["Schmidt", "Dubois", "Rossi", "Novak", "Jensen", "Garcia", "Meyer", "Bakker", "Silva", "Moreau"]
FIRMS = ["Nordlicht", "Alpenblick", "Rivertech", "Sunfield", "Bluewave", "Oakridge", "Kastell", "Vireo"]
FORMS = ["GmbH", "Ltd", "SA", "BV", "AG", "SRL"]
BICS = ["DEUTDEFFXXX", "BNPAFRPPXXX", "INGBNL2AXXX", "UBSWCHZH80A", "BARCGB22XXX", "COBADEFFXXX"]
TOWNS = [("Berlin", "DE"), ("Lyon", "FR"), ("Utrecht", "NL"), ("Basel", "CH"), ("Leeds", "GB")]
WORDS = ["invoice", "order", "contract", "deliveries", "spare parts", "services", "rent", "fees"]

TEMPLATE = """<Envelope xmlns="urn:swift:xsd:envelope">
<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><Fr><FIId><FinInstnId><BICFI>{b1}</BICFI>
</FinInstnId></FIId></Fr><To><FIId><FinInstnId><BICFI>{b2}</BICFI></FinInstnId></FIId></To>
<BizMsgIdr>{mid}</BizMsgIdr><MsgDefIdr>pacs.008.001.08</MsgDefIdr><CreDt>2026-12-01T09:00:00Z</CreDt></AppHdr>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>{mid}</MsgId><CreDtTm>2026-12-01T09:00:00</CreDtTm><NbOfTxs>1</NbOfTxs>
<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>
<CdtTrfTxInf><PmtId><InstrId>{mid}</InstrId><EndToEndId>{mid}</EndToEndId></PmtId>
<IntrBkSttlmAmt Ccy="EUR">{amount}</IntrBkSttlmAmt><ChrgBr>SHAR</ChrgBr>
<UltmtDbtr><Nm>{ultimate}</Nm></UltmtDbtr>
<Dbtr><Nm>{debtor}</Nm><PstlAdr><TwnNm>{t1}</TwnNm><Ctry>{c1}</Ctry></PstlAdr></Dbtr>
<DbtrAgt><FinInstnId><BICFI>{b1}</BICFI></FinInstnId></DbtrAgt>
<IntrmyAgt1><FinInstnId><BICFI>{b3}</BICFI></FinInstnId></IntrmyAgt1>
<CdtrAgt><FinInstnId><BICFI>{b2}</BICFI></FinInstnId></CdtrAgt>
<Cdtr><Nm>{creditor}</Nm>
<PstlAdr><StrtNm>Main Street 4</StrtNm><TwnNm>{t2}</TwnNm><Ctry>{c2}</Ctry></PstlAdr></Cdtr>
<RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></CdtTrfTxInf></FIToFICstmrCdtTrf></Document></Envelope>"""


def entities() -> Iterator[Entity]:
    """Every sanctions list's entities (the truncated CSL subset read leniently)."""
    for name in LISTS:
        files = detect(DATA / name)
        yield from get_format(files.format_key).parse(files, ParseContext(lenient=True))


def messages(n: int, rng: random.Random) -> list[bytes]:
    """``n`` pacs.008 messages with ordinary parties."""
    out = []
    for k in range(n):
        (t1, c1), (t2, c2) = rng.choice(TOWNS), rng.choice(TOWNS)
        b1, b2, b3 = rng.sample(BICS, 3)
        out.append(
            TEMPLATE.format(
                mid=f"BENCH{k:06d}",
                amount=rng.randint(10, 99999),
                b1=b1,
                b2=b2,
                b3=b3,
                debtor=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                ultimate=f"{rng.choice(FIRMS)} {rng.choice(FORMS)}",
                creditor=f"{rng.choice(FIRMS)} {rng.choice(LAST)} {rng.choice(FORMS)}",
                t1=t1,
                c1=c1,
                t2=t2,
                c2=c2,
                remittance=f"{rng.choice(WORDS)} {rng.randint(1, 9999)} {rng.choice(WORDS)} {k}",
            ).encode()
        )
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    started = time.perf_counter()
    screener = Screener(entities())
    ms = MessageScreener(screener)
    print(f"lists and message screener built in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    raw = messages(args.messages, random.Random(args.seed))
    for data in raw[:50]:  # warm caches
        for m in read_bytes(data, "warm"):
            assert isinstance(m, Message)
            ms.screen(m)
    latencies: list[float] = []
    parsed: list[Message] = []
    held = 0
    t0 = time.perf_counter()
    for data in raw:
        a = time.perf_counter()
        (m,) = read_bytes(data, "bench")
        assert isinstance(m, Message)
        v = ms.screen(m)
        latencies.append(time.perf_counter() - a)
        held += v.verdict == "hold"
        parsed.append(m)
    total = time.perf_counter() - t0
    t1 = time.perf_counter()
    for m in parsed:
        ms.screen(replace(m, texts=()))
    parties_only = time.perf_counter() - t1
    t2 = time.perf_counter()
    for m in parsed:
        ms.screen(replace(m, parties=()))
    texts_only = time.perf_counter() - t2
    n = len(raw)
    print("| figure | value |\n|---|---|")
    print(f"| messages (pacs.008.001.08, 6 parties/agents, 1 remittance line) | {n:,} |")
    print(f"| held (ordinary names: should be 0) | {held} |")
    print(f"| parse + screen, messages per second (one core) | {n / total:,.0f} |")
    print(
        f"| latency p50 / p99 / max, ms | {statistics.median(latencies) * 1e3:.2f} / "
        f"{_pct(latencies, 0.99) * 1e3:.2f} / {max(latencies) * 1e3:.2f} |"
    )
    print(f"| parties only, ms per message | {parties_only / n * 1e3:.3f} |")
    print(f"| free text only (names, BICs, IMO, places), ms per message | {texts_only / n * 1e3:.3f} |")


if __name__ == "__main__":
    main()
