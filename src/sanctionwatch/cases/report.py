"""The readable per-alert report (HTML): customer and entity side by side, the explanation, the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.engine import Engine

from sanctionwatch.cases.alerts import get_alert
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.chain import chain_head
from sanctionwatch.errors import EntityNotFound, InputError
from sanctionwatch.model import Entity
from sanctionwatch.store.queries import get_entity

__all__ = ["alert_html", "write_alert_html"]

_ENV = Environment(
    loader=PackageLoader("sanctionwatch.cases", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)


def _entity_facts(entity: Entity | None) -> dict[str, str]:
    if entity is None:
        return {}
    data = entity.to_dict()

    def text(value: Any) -> str:
        if isinstance(value, dict):
            return " ".join(str(v) for v in value.values() if v)
        return str(value)

    def join(key: str) -> str:
        return "; ".join(text(v) for v in data.get(key, ()) or ())

    return {
        "birth_dates": join("birth_dates"),
        "countries": join("countries"),
        "identifiers": join("identifiers"),
    }


def alert_html(engine: Engine, alert_id: int) -> str:
    """The report of one alert as an HTML page.

    Raises:
        AlertNotFound: No such alert.
    """
    alert = get_alert(engine, alert_id)
    entity: Entity | None
    try:
        with engine.connect() as conn:
            entity = get_entity(conn, alert.entity_id, alert.list_version_id)
    except EntityNotFound:
        entity = None
    history = list(iter_audit(engine, f"alert:{alert_id}"))
    with engine.connect() as conn:  # read after the history, so the head covers every entry shown
        head = chain_head(conn)
    context: dict[str, Any] = {
        "alert": alert,
        "hit": alert.hit,
        "entity": _entity_facts(entity),
        "audit": history,
        "chain_head": head,
    }
    return _ENV.get_template("alert_report.html.j2").render(**context)


def write_alert_html(engine: Engine, alert_id: int, path: Path) -> None:
    """Write the report of one alert to ``path``.

    Raises:
        AlertNotFound: No such alert.
        InputError: The file cannot be written.
    """
    html = alert_html(engine, alert_id)
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
