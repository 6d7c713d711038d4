"""The entity page: everything a list says about one entity, and which list version said it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from sanctionwatch.model import Entity, Link
from sanctionwatch.service import NotReady, StateDep
from sanctionwatch.web.guards import PageViewer
from sanctionwatch.web.templating import page

__all__ = ["LinkView", "router"]

# ISO 15924 script names (a published code table, not a curated list) for the codes lists use.
SCRIPT_NAMES = {
    "Latn": "Latin",
    "Hang": "Hangul",
    "Kore": "Korean",
    "Hani": "Han",
    "Hans": "Han (simplified)",
    "Hant": "Han (traditional)",
    "Jpan": "Japanese",
    "Cyrl": "Cyrillic",
    "Arab": "Arabic",
    "Hebr": "Hebrew",
    "Grek": "Greek",
    "Thai": "Thai",
    "Geor": "Georgian",
    "Armn": "Armenian",
}
_RELATIONS = {"linked_to": "Linked to", "owner": "Owner", "operator": "Operator"}

router = APIRouter()


@dataclass(frozen=True, slots=True)
class LinkView:
    """A relation, with whether its target can be opened (it is in the screening index)."""

    relation: str
    name: str
    target_id: str | None
    known: bool


def _links(entity: Entity, known: dict[str, int]) -> list[LinkView]:
    def view(link: Link) -> LinkView:
        relation = _RELATIONS.get(link.relation, link.relation.replace("_", " ").capitalize())
        target = link.target_id
        return LinkView(relation, link.target_name, target, target is not None and target in known)

    return [view(x) for x in entity.links]


def _not_found(request: Request, context: dict[str, Any], message: str, status: int) -> Response:
    title = "Entity not found" if status == 404 else "Screening index not ready"
    context.update(title=title, message=message)
    return page(request, "error.html", context, status)


@router.get("/ui/entities/{entity_id:path}", name="ui_entity")
def entity_page(request: Request, entity_id: str, who: PageViewer, state: StateDep) -> Response:
    """One entity from the screening index."""
    service = state.service
    context: dict[str, Any] = {"viewer": who, "nav": "entity"}
    try:
        snapshot = service.current()
    except NotReady as exc:
        return _not_found(request, context, str(exc), 503)
    entity = snapshot.entity(entity_id)
    if entity is None:
        return _not_found(request, context, f"No entity {entity_id!r} in the active list versions.", 404)
    version = snapshot.versions.get(entity.list_key)
    context.update(
        entity=entity,
        version=version if version is not None and version.id == entity.list_version else None,
        links=_links(entity, snapshot.screener.index.by_id),
        script_names=SCRIPT_NAMES,
    )
    return page(request, "entity.html", context)
