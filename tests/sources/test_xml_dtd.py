"""Every XML list format refuses a file that declares a DTD: no entity is ever expanded or fetched.

The files are test input: the root element each format expects, behind a ``<!DOCTYPE>`` declaring an
external entity (``file:///etc/passwd``) and an entity-expansion bomb, both used in the content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.sources.base import ParseContext, SourceFormat
from sanctionwatch.sources.eu.fsf import EU_FSF
from sanctionwatch.sources.ofac.sdn_xml import OFAC_SDN_XML
from sanctionwatch.sources.ofac.xml_advanced import OFAC_SDN_ADVANCED
from sanctionwatch.sources.uk.sl_xml import UK_SL_XML
from sanctionwatch.sources.un.consolidated import UN_SC

DTD = (
    '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
CASES = [
    (
        UN_SC,
        "consolidated.xml",
        '<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:00Z"><INDIVIDUALS>'
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>&xxe;&c;</FIRST_NAME><REFERENCE_NUMBER>KPi.001"
        "</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
    ),
    (
        EU_FSF,
        "export.xml",
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2026-01-01">'
        '<sanctionEntity logicalId="1"><nameAlias wholeName="&xxe;&c;"/></sanctionEntity></export>',
    ),
    (
        UK_SL_XML,
        "UK-Sanctions-List.xml",
        "<Designations><Designation><UniqueID>DPR0001</UniqueID>"
        "<Names><Name><Name6>&xxe;&c;</Name6></Name></Names></Designation></Designations>",
    ),
    (
        OFAC_SDN_XML,
        "SDN.XML",
        "<sdnList><sdnEntry><uid>1</uid><lastName>&xxe;&c;</lastName>"
        "<sdnType>Entity</sdnType></sdnEntry></sdnList>",
    ),
    (
        OFAC_SDN_ADVANCED,
        "SDN_ADVANCED.XML",
        "<Sanctions><ReferenceValueSets/><DistinctParties>"
        '<DistinctParty FixedRef="1"><Comment>&xxe;&c;</Comment></DistinctParty>'
        "</DistinctParties></Sanctions>",
    ),
]


@pytest.mark.parametrize(("fmt", "name", "body"), CASES, ids=[c[0].key for c in CASES])
def test_a_dtd_is_refused_naming_file_and_line(
    tmp_path: Path, fmt: SourceFormat, name: str, body: str
) -> None:
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- list file -->\n{DTD}\n{body}\n', "utf-8")
    with pytest.raises(ListFileError) as err:
        list(fmt.parse(fmt.resolve(path), ParseContext(lenient=True)))
    message = str(err.value)
    assert message.startswith(f"{path}:line 3: the file declares a DTD (<!DOCTYPE ...>)"), message
    assert "root:" not in message and "aaaaaaaaaa" not in message
