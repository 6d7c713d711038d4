"""What each list source is: publisher, formats, official pages, publication cadence, retirement.

Reviewed 2026-12-04 against the publishers' pages named in each entry's ``urls``. ``max_age_days``
is how old the newest version of an active list may be before ``lists status`` calls it stale
(every publisher below updates as designations change, usually several times a month or more;
UN, OFAC, UKSL: 7 days, as issue 10 asks). A retired source stays importable for history but is
never fetched, and is always stale: its successor carries the designations on.

The OFSI consolidated list closed on 28 January 2026: since then the FCDO's UK Sanctions List is
the sole official source of UK designations (see gov.uk "The UK Sanctions List").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

__all__ = ["SOURCES", "Freshness", "SourceInfo", "freshness", "source_info"]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One list source.

    Attributes:
        key: List key (``ftm`` stands for every ``ftm:<dataset>`` list).
        name: The list's official name.
        publisher: Who publishes it.
        formats: Format keys that read it (``lists import --source``).
        urls: Official pages describing it.
        cadence: How often the publisher updates it, in words.
        max_age_days: Age (days) of the newest version beyond which it is stale; ``None``: never.
        retired_since: ISO date the publisher stopped updating it, if it did.
        successor: List key that replaced it, if any.
    """

    key: str
    name: str
    publisher: str
    formats: tuple[str, ...]
    urls: tuple[str, ...]
    cadence: str
    max_age_days: int | None = 7
    retired_since: str | None = None
    successor: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every field."""
        return {
            "key": self.key,
            "name": self.name,
            "publisher": self.publisher,
            "formats": list(self.formats),
            "urls": list(self.urls),
            "cadence": self.cadence,
            "max_age_days": self.max_age_days,
            "retired_since": self.retired_since,
            "successor": self.successor,
        }


_AS_NEEDED = "as designations change, often several times a week"
SOURCES: tuple[SourceInfo, ...] = (
    SourceInfo(
        "us-ofac-sdn",
        "Specially Designated Nationals and Blocked Persons List (SDN)",
        "US Department of the Treasury, Office of Foreign Assets Control (OFAC)",
        ("us-ofac-sdn-adv", "us-ofac-sdn", "us-ofac-sdn-xml"),
        (
            "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
        ),
        _AS_NEEDED,
    ),
    SourceInfo(
        "us-ofac-cons",
        "Consolidated Sanctions List (non-SDN lists)",
        "US Department of the Treasury, Office of Foreign Assets Control (OFAC)",
        ("us-ofac-cons-adv", "us-ofac-cons", "us-ofac-cons-xml"),
        ("https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists",),
        "as designations change, a few times a month",
        30,
    ),
    SourceInfo(
        "un-sc",
        "United Nations Security Council Consolidated List",
        "United Nations Security Council",
        ("un-sc",),
        ("https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",),
        "as committees amend it, usually several times a month",
    ),
    SourceInfo(
        "uk-sl",
        "UK Sanctions List",
        "UK Foreign, Commonwealth & Development Office (FCDO)",
        ("uk-sl", "uk-sl-xml"),
        ("https://www.gov.uk/government/publications/the-uk-sanctions-list",),
        _AS_NEEDED,
    ),
    SourceInfo(
        "uk-ofsi",
        "Consolidated List of Financial Sanctions Targets in the UK",
        "HM Treasury, Office of Financial Sanctions Implementation (OFSI)",
        ("uk-ofsi",),
        ("https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets",),
        "no longer updated (closed on 2026-01-28)",
        None,
        retired_since="2026-01-28",
        successor="uk-sl",
    ),
    SourceInfo(
        "eu-fsf",
        "Consolidated list of persons, groups and entities subject to EU financial sanctions",
        "European Commission (DG FISMA), Financial Sanctions Files",
        ("eu-fsf", "eu-fsf-csv"),
        (
            "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
        ),
        _AS_NEEDED,
    ),
    SourceInfo(
        "us-csl",
        "Consolidated Screening List",
        "US Department of Commerce, International Trade Administration (trade.gov)",
        ("us-csl",),
        ("https://www.trade.gov/consolidated-screening-list",),
        "daily",
    ),
    SourceInfo(
        "ftm",
        "FollowTheMoney datasets (OpenSanctions exports), one list per dataset",
        "OpenSanctions, or the dataset's own publisher",
        ("ftm",),
        ("https://www.opensanctions.org/datasets/",),
        "daily for OpenSanctions datasets",
    ),
)
_BY_KEY = {s.key: s for s in SOURCES}


def source_info(list_key: str) -> SourceInfo | None:
    """The description of a list (``ftm:<dataset>`` → the ``ftm`` one), or ``None`` if unknown."""
    return _BY_KEY.get(list_key) or _BY_KEY.get(list_key.split(":", 1)[0])


@dataclass(frozen=True, slots=True)
class Freshness:
    """Whether a list's newest version can still be trusted as current.

    Attributes:
        stale: The list is retired, or its newest version is older than its cadence allows.
        reason: Why, in one sentence (``None`` when not stale).
        age_days: Days since the version's publication date (else its import date).
    """

    stale: bool
    reason: str | None
    age_days: int | None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: ``stale``, ``stale_reason``, ``age_days``."""
        return {"stale": self.stale, "stale_reason": self.reason, "age_days": self.age_days}


def freshness(
    list_key: str,
    published: str | None,
    imported_at: str,
    today: date,
    max_age: Mapping[str, int] | None = None,
) -> Freshness:
    """How fresh the newest version of a list is.

    Args:
        list_key: The list.
        published: The publication date the files state (ISO), if any.
        imported_at: When the version was imported (ISO timestamp); stands in for a missing date.
        today: The current date (UTC).
        max_age: Allowed ages in days by list key, overriding the sources' ``max_age_days``.
    """
    info = source_info(list_key)
    dated = published or imported_at[:10]
    try:
        age: int | None = (today - date.fromisoformat(dated)).days
    except ValueError:
        age = None
    if info is not None and info.retired_since:
        successor = f"; import its successor {info.successor}" if info.successor else ""
        reason = f"retired since {info.retired_since}: the publisher no longer updates it{successor}"
        return Freshness(True, reason, age)
    limit = (max_age or {}).get(list_key)
    if limit is None and info is not None:
        limit = (max_age or {}).get(info.key, info.max_age_days)
    if limit is None or age is None or age <= limit:
        return Freshness(False, None, age)
    basis = f"published {published}" if published else f"imported {dated} (the files state no date)"
    cadence = f"; {info.name} is updated {info.cadence}" if info is not None else ""
    return Freshness(
        True,
        f"newest version {basis}, {age} days ago, older than {limit} day{'' if limit == 1 else 's'}{cadence}",
        age,
    )
