"""``sanctionwatch serve``: run the HTTP API (uvicorn) over the list store.

The command checks the store and prints where the server listens, then hands over to uvicorn. Each
uvicorn worker process builds its app with :func:`build_app` from the settings the command passes
through the environment (``SANCTIONWATCH_SERVE_CONFIG``), so one worker or several run the same way.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import PurePath
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer
from pydantic import SecretStr
from rich.console import Console
from rich.markup import escape

from sanctionwatch.api.keys import REFRESH_SECONDS, StoreKeyChecker
from sanctionwatch.cases.users import list_users
from sanctionwatch.cli.common import settings_of
from sanctionwatch.errors import ConfigError
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.database import check_private, display_url, normalize_url
from sanctionwatch.store.keys import KeyStore

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["SERVE_CONFIG_ENV", "build_app", "serve"]

SERVE_CONFIG_ENV = "SANCTIONWATCH_SERVE_CONFIG"
"""Environment variable carrying the settings from ``serve`` to its uvicorn worker processes."""


def build_app() -> FastAPI:
    """The app of one uvicorn worker (a uvicorn factory), from ``SANCTIONWATCH_SERVE_CONFIG``.

    Raises:
        ConfigError: The variable is missing (the factory is meant for ``sanctionwatch serve``).
    """
    from sanctionwatch.app import create_app  # the web stack loads only when serving

    raw = os.environ.get(SERVE_CONFIG_ENV)
    if not raw:
        raise ConfigError(f"{SERVE_CONFIG_ENV} is not set: start the server with `sanctionwatch serve`")
    config = orjson.loads(raw)
    settings = Settings(**config["settings"])
    auth = None if config["no_auth"] else StoreKeyChecker(KeyStore.open(settings))
    return create_app(settings, auth=auth)


def _plain(value: object) -> str:
    """JSON form of the setting types orjson does not know; secrets in clear (``mode="json"``
    would mask them), as the workers need them."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"setting value {value!r} of type {type(value).__name__} cannot be passed to workers")


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _announce(settings: Settings, workers: int, no_auth: bool, db_option: str) -> None:
    """Print where the server listens, what it serves and how to get a key (a warning on stderr
    for ``--no-auth``)."""
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    url = _url(settings.host, settings.port)
    with ListStore.open(settings) as store:  # opening runs the migrations once, before the workers
        versions = store.active_versions()
        keys = [k for k in KeyStore(store.engine).list_all() if k.live]
        people = [u for u in list_users(store.engine) if u.active]
        database = display_url(store.engine.url)
    if no_auth:
        err.print(
            "[bold red]WARNING: authentication is OFF (--no-auth).[/] [red]Every endpoint (screening, "
            f"lists, reload, the web UI) is open to anyone who can reach {url}, with no API key. Use "
            "this only on a machine nobody else can reach.[/]"
        )
    out.print(f"sanctionwatch API: [bold]{url}[/]  (docs {url}/docs, health {url}/healthz, {url}/readyz)")
    out.print(f"  database: {escape(database)}")
    if versions:
        total = sum(v.entity_count for v in versions.values())
        out.print(
            f"  lists: {len(versions)} active ({total:,} entities); each worker ({workers}) builds its "
            "index in the background, /readyz answers 200 once it is loaded"
        )
    else:
        out.print(
            "  lists: none imported yet; run `sanctionwatch lists import FILE` (picked up by the next "
            "check, or at once by POST /admin/reload)"
        )
    interval = settings.reload_interval
    check = f"every {interval:g} s" if interval > 0 else "off (use POST /admin/reload)"
    out.print(f"  new list versions: checked {check}")
    if people:
        out.print(f"  web UI: {url}/ui ({len(people)} users may sign in)")
    else:
        add = f"sanctionwatch{db_option} users add NAME --role admin"
        out.print(f"  web UI: {url}/ui; nobody can sign in yet, create a user: {escape(add)}")
    if no_auth:
        return
    create = f"sanctionwatch{db_option} keys create NAME"
    if keys:
        out.print(
            f"  API keys: {len(keys)} live; send 'Authorization: ApiKey <key>'. New key: {escape(create)}"
        )
    else:
        err.print(
            "[yellow]No API key exists yet: every request but /healthz and /readyz is refused (401) "
            f"until you create one:[/] {escape(create)}  (running servers accept it within "
            f"{REFRESH_SECONDS:g} s)"
        )


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Port to listen on (default 8000).")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes; each builds its own index.")
    ] = 1,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="No API keys: every endpoint open to anyone (local demos only).")
    ] = False,
    reload_interval: Annotated[
        float | None,
        typer.Option(
            "--reload-interval", min=0, help="Seconds between checks for new list versions (0: off)."
        ),
    ] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log every request (uvicorn access log).")
    ] = True,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            "--forwarded-allow-ips",
            help="Proxies (IPs or networks, comma-separated; '*': any) whose X-Forwarded-For is believed.",
        ),
    ] = "127.0.0.1",
) -> None:
    """Run the HTTP API: screening, yente-compatible /match, the web UI, health and reload."""
    base = settings_of(ctx)
    update: dict[str, Any] = {}
    if host is not None:
        update["host"] = host
    if port is not None:
        update["port"] = port
    if reload_interval is not None:
        update["reload_interval"] = reload_interval
    settings = base.model_copy(update=update)
    check_private(settings)  # before anything opens (or creates) the database
    db_option = ""
    if settings.database_url and not os.environ.get("SANCTIONWATCH_DATABASE_URL"):
        db_option = f" --db {display_url(normalize_url(settings.database_url))}"
    _announce(settings, workers, no_auth, db_option)
    os.environ[SERVE_CONFIG_ENV] = orjson.dumps(
        {"settings": settings.model_dump(), "no_auth": no_auth}, default=_plain
    ).decode()
    _run_uvicorn(settings, workers, access_log, forwarded_allow_ips)


def _run_uvicorn(
    settings: Settings, workers: int, access_log: bool, forwarded_allow_ips: str = "127.0.0.1"
) -> None:
    """Run uvicorn on ``build_app``: in this process for one worker, else under its supervisor."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from sanctionwatch.logs import logging_config

    options: dict[str, Any] = {
        "factory": True,
        "host": settings.host,
        "port": settings.port,
        "workers": workers,
        "access_log": access_log,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
        "log_config": logging_config(settings, access_log),
        "timeout_graceful_shutdown": 30,
    }
    if workers == 1:
        uvicorn.run("sanctionwatch.cli.serve:build_app", **options)
        return
    from sanctionwatch.metrics import prepare_multiprocess, remove_folder

    config = uvicorn.Config("sanctionwatch.cli.serve:build_app", **options)
    made = prepare_multiprocess(workers)  # the workers' metrics summed over PROMETHEUS_MULTIPROC_DIR
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[_as_tcp(config.bind_socket())]).run()
    remove_folder(made)


def _as_tcp(sock: socket.socket) -> socket.socket:
    """The listening socket marked as TCP, so connections get ``TCP_NODELAY``.

    uvicorn's ``bind_socket`` (used with ``--workers`` > 1) leaves the socket's ``proto`` at 0;
    accepted connections inherit it and asyncio then skips ``TCP_NODELAY``, so every keep-alive
    response waits for the client's delayed ACK: 44-48 ms per request instead of 1-3 ms (measured
    here; uvicorn issue #3149). Re-wrapping the descriptor with ``IPPROTO_TCP`` restores it, and
    is harmless once uvicorn fixes it.
    """
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)
    return tcp
