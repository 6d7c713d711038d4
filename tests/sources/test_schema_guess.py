"""Person or organization from a name, for list rows without a type."""

from __future__ import annotations

import pytest

from sanctionwatch.model import Schema
from sanctionwatch.sources.schema_guess import guess_schema_from_name

# Names from the untyped rows of the trade.gov CSL subset (Denied Persons List, Entity List...).
PERSONS = [
    "DAVID L. MARICOLA",
    "JOEL PRADO, JR.",
    "Yip Kum Kuan",
    'SHAOHUA "ERIC" WANG',
    "FUYI SUN A/K/A FRANK SUN",
]
ORGANIZATIONS = [
    "Hongbo Industrial Technology",
    "SKY BLUE BIRD FZC",
    "AL-NASER  AIRLINES",
    "Beijing 8-Star International Co.",
    "Wah Munitions Plant",
    "Gazprom Transgaz Samara, OOO",
    "EMTRASUR",  # one word: not a person's full name
]


@pytest.mark.parametrize("name", PERSONS)
def test_persons(name: str) -> None:
    assert guess_schema_from_name(name) is Schema.PERSON


@pytest.mark.parametrize("name", ORGANIZATIONS)
def test_organizations(name: str) -> None:
    assert guess_schema_from_name(name) is Schema.ORGANIZATION
