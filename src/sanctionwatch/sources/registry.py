"""Known list formats, and format detection for ``lists import PATH`` without ``--source``."""

from __future__ import annotations

from pathlib import Path

from sanctionwatch.errors import ConfigError, FormatDetectionError, ListFileError
from sanctionwatch.sources.base import ListFiles, SourceFormat, read_head
from sanctionwatch.sources.eu.fsf import EU_FSF
from sanctionwatch.sources.eu.fsf_csv import EU_FSF_CSV
from sanctionwatch.sources.ftm.source import FTM
from sanctionwatch.sources.ofac.legacy_csv import OFAC_CONS, OFAC_SDN
from sanctionwatch.sources.ofac.sdn_xml import OFAC_CONS_XML, OFAC_SDN_XML
from sanctionwatch.sources.ofac.xml_advanced import OFAC_CONS_ADVANCED, OFAC_SDN_ADVANCED
from sanctionwatch.sources.uk.ofsi import UK_OFSI
from sanctionwatch.sources.uk.sl_csv import UK_SL
from sanctionwatch.sources.uk.sl_xml import UK_SL_XML
from sanctionwatch.sources.un.consolidated import UN_SC
from sanctionwatch.sources.us_csl.csl import US_CSL

__all__ = ["FORMATS", "detect", "get_format"]

FORMATS: tuple[SourceFormat, ...] = (
    OFAC_SDN_ADVANCED,  # first: lists update fetches (and --from DIR takes) the advanced XML for OFAC
    OFAC_CONS_ADVANCED,
    OFAC_SDN,
    OFAC_CONS,
    OFAC_SDN_XML,
    OFAC_CONS_XML,
    UN_SC,
    UK_SL,
    UK_SL_XML,
    UK_OFSI,
    EU_FSF,
    EU_FSF_CSV,
    US_CSL,
    FTM,
)


def get_format(key: str) -> SourceFormat:
    """The format with this key.

    Raises:
        ConfigError: No format has this key; the message lists the known keys.
    """
    for fmt in FORMATS:
        if fmt.key == key:
            return fmt
    known = ", ".join(f.key for f in FORMATS)
    raise ConfigError(f"unknown list source {key!r}; known sources: {known}")


def _sniff(path: Path) -> list[SourceFormat]:
    head = read_head(path)
    return [fmt for fmt in FORMATS if fmt.sniff(path, head)]


def detect(path: Path, source: str | None = None) -> ListFiles:
    """Resolve a file or folder to the list file set it holds.

    Args:
        path: A list file, one file of a multi-file set, or a folder holding one set.
        source: Format key that overrides detection.

    Raises:
        ListFileError: The path does not exist or cannot be read.
        FormatDetectionError: No known format (or more than one) matches.
        ConfigError: ``source`` is not a known key.
    """
    if not path.exists():
        raise ListFileError(str(path), "no such file or folder")
    if source is not None:
        return get_format(source).resolve(path)
    if path.is_dir():
        found: dict[str, SourceFormat] = {}
        for child in sorted(p for p in path.iterdir() if p.is_file()):
            for fmt in _sniff(child):
                found[fmt.key] = fmt
        if not found:
            raise FormatDetectionError(str(path), "the folder holds no file of a known list format")
        if len(found) > 1:
            keys = ", ".join(sorted(found))
            raise FormatDetectionError(
                str(path), f"the folder holds files of several lists ({keys}); import them one by one"
            )
        return next(iter(found.values())).resolve(path)
    matches = _sniff(path)
    if not matches:
        known = ", ".join(f.key for f in FORMATS)
        raise FormatDetectionError(
            str(path), f"not a known list format (tried {known}); name one with --source KEY"
        )
    return matches[0].resolve(path)
