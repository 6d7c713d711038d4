"""What ``ownership check`` says about each party of an evaluated graph."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sanctionwatch.network.rules import Evaluation

__all__ = ["PartyStatus", "statuses"]


@dataclass(frozen=True, slots=True)
class PartyStatus:
    """One party's status under a regime.

    Attributes:
        name: As the ownership file or the list gives it.
        id: Entity or customer id, where the party has one.
        blocked: Designated, or owned or (where the regime counts it) controlled by blocked parties.
        designated: On one of the regime's lists itself.
        percentage: Share held by blocked owners (aggregated where the regime aggregates, else the
            largest single holding).
        controlled: A blocked party controls it.
        paths: Each chain from a designated party to it (``KOMID —50%→ Delta Corp``).
    """

    name: str
    id: str | None
    blocked: bool
    designated: bool
    percentage: float
    controlled: bool
    paths: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field."""
        return {
            "name": self.name,
            "id": self.id,
            "blocked": self.blocked,
            "designated": self.designated,
            "percentage": round(self.percentage, 6),
            "controlled": self.controlled,
            "paths": list(self.paths),
        }


def statuses(ev: Evaluation) -> Iterator[PartyStatus]:
    """Every party of the graph: the ones blocked through others first, then those not blocked, then
    the designated ones; by name within each."""
    g = ev.graph

    def order_key(n: int) -> tuple[int, int, str, str]:
        return (ev.designated[n], not ev.blocked[n], g.names[n].casefold(), g.keys[n])

    order = sorted(range(len(g)), key=order_key)
    for n in order:
        yield PartyStatus(
            name=g.names[n],
            id=g.keys[n] if n in g.identified else None,
            blocked=bool(ev.blocked[n]),
            designated=bool(ev.designated[n]),
            percentage=ev.share[n],
            controlled=bool(ev.controlled[n]),
            paths=tuple(ev.paths(n)),
        )
