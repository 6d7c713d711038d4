"""Country names and codes as the lists write them, to ISO 3166 alpha-2.

pycountry knows the ISO names; the spellings sanctions lists use beyond those ("Korea, North",
"Burma", "Iran (Islamic Republic of)") live in the reviewed file ``data/countries.yml``. No fuzzy
guessing: an unknown name gives ``None`` rather than a wrong country.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

import pycountry
import yaml

__all__ = ["country_code", "country_name", "place_country"]

_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("’", "'").strip(" .;,")
    return _SPACES.sub(" ", text)


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(c, attr, None)
            if value:
                table[_key(value)] = c.alpha_2
        table[_key(c.alpha_2)] = c.alpha_2
    raw = resources.files("sanctionwatch").joinpath("data/countries.yml").read_text("utf-8")
    aliases: dict[str, list[str]] = yaml.safe_load(raw)
    for code, names in aliases.items():
        for name in names:
            table[_key(name)] = code
    return table


def country_code(text: str | None) -> str | None:
    """ISO 3166 alpha-2 code (upper case) for a country name or code, or ``None`` if unknown.

    Args:
        text: A country name, alpha-2 or alpha-3 code, in any case.
    """
    if not text or not text.strip():
        return None
    return _table().get(_key(text))


def country_name(code: str) -> str:
    """Display name for an alpha-2 code (the code itself when unknown)."""
    c = pycountry.countries.get(alpha_2=code.upper())
    if c is None:
        return code
    return str(getattr(c, "common_name", None) or c.name)


@lru_cache(maxsize=8192)
def place_country(text: str) -> str | None:
    """The country of a place such as ``"Pyongyang, Korea, North"``: whole text, last two or last part.

    The last two comma parts are tried before the last one because lists write inverted names
    (``Korea, North``, ``Congo, Democratic Republic of the``).
    """
    text = text.strip().rstrip(".")
    parts = [p.strip() for p in text.split(",")]
    candidates = [text]
    if len(parts) > 2:
        candidates.append(", ".join(parts[-2:]))
    if len(parts) > 1:
        candidates.append(parts[-1])
    for candidate in candidates:
        code = country_code(candidate)
        if code is not None:
            return code
    return None
