"""Parsing: every public sample, the party roles and paths, the refusals of unsafe or bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.messages.model import Message, MessageError, Party
from sanctionwatch.messages.reader import expand_paths, read_bytes, read_file


def _ok(path: Path) -> list[Message]:
    out = read_file(path)
    errors = [m for m in out if isinstance(m, MessageError)]
    assert errors == []
    return [m for m in out if isinstance(m, Message)]


def _role(message: Message, role: str) -> list[Party]:
    return [p for p in message.parties if p.role == role]


def test_every_public_sample_parses(samples: Path) -> None:
    files = [p for p in expand_paths([samples]) if p.suffix != ".md"]
    assert len(files) == 24
    counts = {p.name: len(_ok(p)) for p in files}
    assert counts["mt-02_prowide_MT103-bulk-with-ack.rje"] == 3  # ACKs are not messages
    assert counts["mt-01_prowide_MT103-out-ack.rje"] == 13
    assert all(n >= 1 for n in counts.values())


@pytest.mark.parametrize(
    ("name", "message_type"),
    [
        ("iso-01_prowide_pacs.008.001.07.xml", "pacs.008.001.07"),
        ("iso-02_prowide_pacs.009.001.07.xml", "pacs.009.001.07"),
        ("iso-05_cbpr_p.2.1.1_pacs.008.001.12.xml", "pacs.008.001.12"),
        ("iso-11_cbpr_p.2.3.1.a_pacs.009.001.11_cov.xml", "pacs.009.001.11"),
        ("iso-12_six_pain.001.001.03.ch.02_musterfile.xml", "pain.001.001.03"),
        ("mt-03_prowide_MT202_test202_1.fin", "MT202"),
        ("mt-06_cbpr_c.29.2.2_MT202COV.fin", "MT202COV"),
        ("mt-08_cbpr_p.2.1.2_MT103.fin", "MT103"),
    ],
)
def test_message_type_is_read_from_namespace_or_block_2(samples: Path, name: str, message_type: str) -> None:
    assert [m.message_type for m in _ok(samples / name)] == [message_type]


def test_pacs008_parties_with_roles_paths_and_header(samples: Path) -> None:
    (m,) = _ok(samples / "iso-01_prowide_pacs.008.001.07.xml")
    assert m.message_id == "823823423"
    (fr,) = _role(m, "AppHdr/Fr")
    assert [b.value for b in fr.bics] == ["MLCOUS33XXX"]
    (dbtr,) = _role(m, "Dbtr")
    assert dbtr.name is not None and dbtr.name.value == "JOHN DOE"
    assert dbtr.name.path == "FIToFICstmrCdtTrf/CdtTrfTxInf/Dbtr/Nm"
    assert {c.path.rsplit("/", 1)[-1]: c.value for c in dbtr.countries} == {"Ctry": "AR", "CtryOfRes": "AR"}
    assert "Buenos Aires" in [a.value for a in dbtr.address]
    assert not dbtr.agent
    (instd,) = _role(m, "InstdAgt")
    assert instd.agent and instd.name is not None and instd.name.value == "Manu Ginobili"
    assert [b.value for b in instd.bics] == ["ICBCUS4CXXX"]


def test_cov_message_has_reimbursement_agents_and_underlying_parties(samples: Path) -> None:
    (m,) = _ok(samples / "iso-11_cbpr_p.2.3.1.a_pacs.009.001.11_cov.xml")
    roles = {p.role for p in m.parties}
    assert {"Dbtr", "Cdtr", "InstgAgt", "InstdAgt"} <= roles
    underlying = [p for p in m.parties if "UndrlygCstmrCdtTrf" in p.path]
    assert underlying, "the COV's underlying customer transfer parties are read"
    assert any(p.role == "Dbtr" and not p.agent for p in underlying)


def test_pain001_many_transactions_and_remittance(samples: Path) -> None:
    (m,) = _ok(samples / "iso-12_six_pain.001.001.03.ch.02_musterfile.xml")
    assert m.transactions == 8
    assert "Rechnung 1122" in [t.value for t in m.texts]
    assert [p.role for p in m.parties].count("Cdtr") == 8
    paths = [p.path for p in m.parties if p.role == "Cdtr"]
    assert len(set(paths)) == 8  # each creditor has its own path


def test_mt103_50k_name_separate_from_address_and_block_bics(samples: Path) -> None:
    first = _ok(samples / "mt-01_prowide_MT103-out-ack.rje")[0]
    (ordering,) = _role(first, "50K")
    assert ordering.name is not None and ordering.name.value == "FOO CAPITAL MARKETS LP"
    assert [a.value for a in ordering.address] == ["99 WALL ST STE 9999", "NEW YORK, NY 10005-3122"]
    (bene,) = _role(first, "59")
    assert bene.name is not None and bene.name.value == "MERCADOS Y GESTION DE VALORES SA"
    assert [i.value for i in bene.other_ids] == ["00123456789012345678"]
    # An output message: block 2 holds the sender, block 1 the receiver.
    assert [b.value for p in _role(first, "sender") for b in p.bics] == ["BBBBUS3NXXX"]
    assert [b.value for p in _role(first, "receiver") for b in p.bics] == ["BICFOOYYXXX"]
    assert [t.path for t in first.texts] == ["4:70", "4:72"]


def test_mt_50f_59f_read_by_line_codes(samples: Path) -> None:
    (m,) = _ok(samples / "mt-06_cbpr_c.29.2.2_MT202COV.fin")
    (debtor,) = _role(m, "50F")
    assert debtor.path == "4:B/50F"
    assert debtor.name is not None and debtor.name.value == "Debtor Co"
    assert [c.value for c in debtor.countries] == ["GB"]
    assert [a.value for a in debtor.address] == ["High Street", "Epping"]
    (cred,) = _role(m, "59F")
    assert cred.name is not None and cred.name.value == "Ardent Finance"
    assert [c.value for c in cred.countries] == ["RO"]


def test_mt_50f_birth_date_and_place() -> None:
    text = (
        "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKUS33XXXXN}{4:\n:20:REF1\n:23B:CRED\n"
        ":32A:240101USD1,\n:50F:/12345\n1/KIM JONG\n1/UN\n2/STREET 1\n3/KP/PYONGYANG\n"
        "4/19840108\n5/KP/PYONGYANG\n:59:/1\nSOMEONE\n:71A:OUR\n-}"
    )
    (m,) = read_bytes(text.encode(), "t.fin")
    assert isinstance(m, Message)
    (p,) = _role(m, "50F")
    assert p.name is not None and p.name.value == "KIM JONG UN"
    assert p.birth_date is not None and p.birth_date.value == "1984-01-08"
    assert "PYONGYANG" in [b.value for b in p.birth_place]
    assert [b.value for p2 in _role(m, "sender") for b in p2.bics] == ["BANKDEFFXXX"]


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><Nm>&lol3;</Nm></Document>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><Nm>&e;</Nm></Document>"""
DTD = b"""<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://example.invalid/x.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>"""


@pytest.mark.parametrize(
    "data", [BOMB, XXE, DTD, XXE.decode().encode("utf-16")], ids=["bomb", "xxe", "dtd", "utf16"]
)
def test_dtds_and_entities_are_refused_unexpanded(data: bytes) -> None:
    (err,) = read_bytes(data, "evil.xml")
    assert isinstance(err, MessageError)
    text = str(err)
    assert "\n" not in text and text.startswith("evil.xml")
    assert "DTD" in text
    assert "root:" not in text and "lollol" not in text


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'><FIToFI", "not well-formed"),
        (b"hello world", "neither XML nor"),
        (b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'/>", "unsupported message type"),
        (b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.01'/>", "not a version read"),
        (b"<Root/>", "no ISO 20022 Document"),
        (b"{1:F01BANKDEFFAXXX0000000000}{2:I103BANKUS33XXXXN}", "without block 4"),
        (b"{1:F01BANKDEFFAXXX0000000000}{2:I940BANKUS33XXXXN}{4:\n:20:X\n-}", "MT940 is not"),
        (b"{1:F01BANKDEFFAXXX0000000000}{2:I103BANKUS33XXXXN}{4:\n:20:\xff\xfe\n-}", "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_bad_input_is_one_line_error(data: bytes, fragment: str) -> None:
    (err,) = read_bytes(data, "bad.msg")
    assert isinstance(err, MessageError)
    assert fragment in str(err) and "\n" not in str(err)


def test_one_bad_mt_message_does_not_stop_the_others() -> None:
    good = "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKUS33XXXXN}{4:\n:20:OK1\n:59:/1\nA B\n-}"
    bad = "{1:F01BANKDEFFAXXX0000000000}{2:I950BANKUS33XXXXN}{4:\n:20:NO\n-}"
    out = read_bytes(f"{good}\n$\n{bad}\n$\n{good}".encode(), "batch.rje")
    assert [type(x).__name__ for x in out] == ["Message", "MessageError", "Message"]
    err = out[1]
    assert isinstance(err, MessageError) and err.index == 2 and err.field == "2"


def test_oversized_message_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"<a>" + b" " * (11 * 1024 * 1024) + b"</a>")
    (err,) = read_file(big)
    assert isinstance(err, MessageError) and "more than" in str(err)


@pytest.mark.parametrize(
    ("family", "versions"),
    [("pacs.008", range(2, 14)), ("pacs.009", range(2, 13)), ("pain.001", range(3, 13))],
)
def test_every_version_by_namespace(family: str, versions: range) -> None:
    for v in versions:
        ns = f"urn:iso:std:iso:20022:tech:xsd:{family}.001.{v:02d}"
        doc = f"<Document xmlns='{ns}'><X><GrpHdr><MsgId>M{v}</MsgId></GrpHdr><CdtTrfTxInf>"
        doc += "<Cdtr><Nm>Some Body</Nm></Cdtr></CdtTrfTxInf></X></Document>"
        (m,) = read_bytes(doc.encode(), "v.xml")
        assert isinstance(m, Message), m
        assert m.message_type == f"{family}.001.{v:02d}" and m.message_id == f"M{v}"
        assert [p.role for p in m.parties] == ["Cdtr"]


def test_iso_person_birth_date_place_lei_and_other_ids() -> None:
    doc = """<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.10"><FIToFICstmrCdtTrf>
    <GrpHdr><MsgId>B1</MsgId></GrpHdr><CdtTrfTxInf>
    <Dbtr><Nm>Kim Su Gwang</Nm><Id><PrvtId><DtAndPlcOfBirth><BirthDt>1976-08-18</BirthDt>
    <CityOfBirth>Pyongyang</CityOfBirth><CtryOfBirth>KP</CtryOfBirth></DtAndPlcOfBirth>
    <Othr><Id>P12345</Id></Othr></PrvtId></Id><CtryOfRes>FR</CtryOfRes>
    <CtctDtls><Nm>Someone Else</Nm></CtctDtls></Dbtr>
    <Cdtr><Nm>Acme</Nm><Id><OrgId><AnyBIC>ACMEFRPP</AnyBIC><LEI>5493001KJTIIGC8Y1R12</LEI></OrgId></Id></Cdtr>
    <RmtInf><Strd><Invcr><Nm>Front Co</Nm></Invcr><AddtlRmtInf>see contract</AddtlRmtInf></Strd></RmtInf>
    <Purp><Prtry>goods</Prtry></Purp>
    </CdtTrfTxInf></FIToFICstmrCdtTrf></Document>"""
    (m,) = read_bytes(doc.encode(), "p.xml")
    assert isinstance(m, Message)
    (dbtr,) = _role(m, "Dbtr")
    assert dbtr.name is not None and dbtr.name.value == "Kim Su Gwang"
    assert dbtr.birth_date is not None and dbtr.birth_date.value == "1976-08-18"
    assert [b.value for b in dbtr.birth_place] == ["Pyongyang", "KP"]
    assert {c.value for c in dbtr.countries} == {"KP", "FR"}
    assert [i.value for i in dbtr.other_ids] == ["P12345"]
    (cdtr,) = _role(m, "Cdtr")
    assert [b.value for b in cdtr.bics] == ["ACMEFRPP"] and [x.value for x in cdtr.lei] == [
        "5493001KJTIIGC8Y1R12"
    ]
    assert [p.role for p in m.parties] == ["Dbtr", "Cdtr", "Invcr"]
    assert {t.path.rsplit("/", 1)[-1]: t.value for t in m.texts} == {
        "AddtlRmtInf": "see contract",
        "Prtry": "goods",
    }


def _doc(ns: str, msg_id: str) -> str:
    return (
        "<AppHdr xmlns='urn:iso:std:iso:20022:tech:xsd:head.001.001.02'>"
        f"<BizMsgIdr>{msg_id}</BizMsgIdr></AppHdr>"
        f"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:{ns}'><X><GrpHdr><MsgId>{msg_id}</MsgId></GrpHdr>"
        "<CdtTrfTxInf><Cdtr><Nm>Some Body</Nm></Cdtr></CdtTrfTxInf></X></Document>"
    )


def test_several_documents_each_in_its_place_a_bad_one_an_error() -> None:
    docs = [_doc("pacs.008.001.08", "A"), _doc("camt.053.001.08", "B"), _doc("pacs.009.001.08", "C")]
    data = f"<Batch>{''.join(docs)}</Batch>"
    out = read_bytes(data.encode(), "multi.xml")
    assert [(type(x).__name__, getattr(x, "message_id", None), x.index) for x in out] == [
        ("Message", "A", 1),
        ("MessageError", None, 2),
        ("Message", "C", 3),
    ]


def test_xml_breaking_off_keeps_the_messages_before_it() -> None:
    data = f"<Batch>{_doc('pacs.008.001.08', 'A')}{_doc('pacs.008.001.08', 'B')[:150]}"
    out = read_bytes(data.encode(), "cut.xml")
    assert isinstance(out[0], Message) and out[0].message_id == "A"
    (err,) = out[1:]
    assert isinstance(err, MessageError) and "not well-formed" in str(err) and err.index == 2


def test_a_bulk_pain001_of_many_transactions() -> None:
    tx = "".join(
        f"<CdtTrfTxInf><PmtId><EndToEndId>E{k}</EndToEndId></PmtId><Cdtr><Nm>Creditor {k}</Nm></Cdtr>"
        f"<RmtInf><Ustrd>invoice {k}</Ustrd></RmtInf></CdtTrfTxInf>"
        for k in range(5000)
    )
    data = (
        "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.001.001.12'><CstmrCdtTrfInitn>"
        f"<GrpHdr><MsgId>BULK</MsgId></GrpHdr><PmtInf><Dbtr><Nm>Payer</Nm></Dbtr>{tx}</PmtInf>"
        "</CstmrCdtTrfInitn></Document>"
    )
    (m,) = read_bytes(data.encode(), "bulk.xml")
    assert isinstance(m, Message) and m.transactions == 5000
    assert [p.role for p in m.parties].count("Cdtr") == 5000 and len(m.texts) == 5000
    assert m.parties[-1].path == "CstmrCdtTrfInitn/PmtInf/CdtTrfTxInf[5000]/Cdtr"
