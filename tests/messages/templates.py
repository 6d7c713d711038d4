"""Test messages written from the published layouts (CBPR+ pacs.008, SWIFT MT103), with slots to fill."""

from __future__ import annotations

from pathlib import Path

PACS008 = """<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="urn:swift:xsd:envelope">
<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
  <Fr><FIId><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></FIId></Fr>
  <To><FIId><FinInstnId><BICFI>{instd_bic}</BICFI></FinInstnId></FIId></To>
  <BizMsgIdr>{msg_id}</BizMsgIdr><MsgDefIdr>pacs.008.001.08</MsgDefIdr><CreDt>2026-12-01T09:00:00Z</CreDt>
</AppHdr>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
 <FIToFICstmrCdtTrf>
  <GrpHdr><MsgId>{msg_id}</MsgId><CreDtTm>2026-12-01T09:00:00</CreDtTm><NbOfTxs>1</NbOfTxs>
   <SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>
  <CdtTrfTxInf>
   <PmtId><InstrId>I1</InstrId><EndToEndId>E1</EndToEndId></PmtId>
   <IntrBkSttlmAmt Ccy="EUR">1000</IntrBkSttlmAmt><ChrgBr>SHAR</ChrgBr>
   <InstgAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></InstgAgt>
   <InstdAgt><FinInstnId><BICFI>{instd_bic}</BICFI></FinInstnId></InstdAgt>
   <Dbtr><Nm>{dbtr}</Nm>
    <PstlAdr><StrtNm>Hauptstrasse 1</StrtNm><TwnNm>Frankfurt</TwnNm><Ctry>DE</Ctry></PstlAdr></Dbtr>
   <DbtrAgt><FinInstnId><BICFI>DEUTDEFFXXX</BICFI></FinInstnId></DbtrAgt>
   <CdtrAgt><FinInstnId><BICFI>{cdtr_bic}</BICFI></FinInstnId></CdtrAgt>
   <Cdtr><Nm>{cdtr}</Nm><PstlAdr><TwnNm>{town}</TwnNm><Ctry>{country}</Ctry></PstlAdr></Cdtr>
   <RmtInf><Ustrd>{remittance}</Ustrd></RmtInf>
  </CdtTrfTxInf>
 </FIToFICstmrCdtTrf>
</Document>
</Envelope>
"""

MT103 = (
    (
        "{{1:F01DEUTDEFFAXXX0000000000}}{{2:I103{receiver}XXXXN}}"
        "{{3:{{121:7a562c67-ca16-48ba-b074-65581be6f001}}}}"
    )
    + """{{4:
:20:{ref}
:23B:CRED
:32A:261201USD5000,
:50K:/DE89370400440532013000
MUSTERMANN HANDEL GMBH
HAUPTSTRASSE 1
FRANKFURT
:57A:{bic57}
:59:/123456789
{beneficiary}
{bene_address}
:70:{remittance}
:71A:SHA
:72:{sender_info}
-}}"""
)

CLEAN_PACS = {
    "msg_id": "CLEAN-1",
    "instd_bic": "BNPAFRPPXXX",
    "dbtr": "Mustermann Handel GmbH",
    "cdtr_bic": "BNPAFRPPXXX",
    "cdtr": "Boulangerie Dupont SARL",
    "town": "Lyon",
    "country": "FR",
    "remittance": "Invoice 2026-118 bread deliveries",
}
CLEAN_MT = {
    "receiver": "CHASUS33",
    "ref": "CLEAN-MT-1",
    "bic57": "CHASUS33XXX",
    "beneficiary": "ACME TOOLS INC",
    "bene_address": "100 MAIN STREET, SPRINGFIELD",
    "remittance": "/INV/2026-42 SPARE PARTS",
    "sender_info": "/INS/DEUTDEFF",
}


def write(tmp: Path, name: str, template: str, base: dict[str, str], **changes: str) -> Path:
    """Fill ``template`` with ``base`` updated by ``changes`` into ``tmp/name``."""
    path = tmp / name
    path.write_text(template.format(**{**base, **changes}), encoding="utf-8")
    return path
