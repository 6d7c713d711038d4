"""Four eyes across surfaces: a true match proposed by a user on one surface (UI session, CLI with a
password, CLI with a personal token) cannot be approved by the same user on any surface, and is by
another user; each decision and refusal is audited with its surface and auth. The HTTP API offers
no decision at all.

One store (UN list, a screened book) and the real app on its database; the CLI runs in-process.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.app import create_app
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.errors import FourEyesError
from sanctionwatch.service import state_of
from sanctionwatch.settings import Settings
from tests.cases.conftest import BOOK, UN_FILE
from tests.cli.test_cases_cli import Cli
from tests.web.pages import csrf_token, sign_in

PASSWORDS = {"sam": "sam-approves-matches-7", "sue": "sue-approves-matches-8"}
"""Two supervisors: each may propose and approve."""
SURFACES = ("ui", "cli-password", "cli-token")


@dataclass
class Site:
    """The CLI and a UI client per user on one database."""

    cli: Cli
    settings: Settings
    ui: dict[str, TestClient]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("four-eyes")
    cli = Cli(folder)
    cli("lists", "import", str(data_dir / UN_FILE), "--user", "loader")
    book = folder / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    cli("book", "import", str(book), "--user", "ops")
    assert cli.json("book", "screen", "--user", "ops")["opened"] == 3
    tokens = {}
    for name, password in PASSWORDS.items():
        cli.add_user(name, password, "supervisor")
        made = cli.json(
            "users", "token", "create", "t", "--user", name, "--password-stdin", stdin=password + "\n"
        )
        tokens[name] = str(made["token"])
    settings = Settings(database_url=cli.db, data_dir=folder / "data", lists_dir=None, reload_interval=0)
    app = create_app(settings, auth=None, load_on_start=False)
    clients = {}
    for name, password in PASSWORDS.items():
        client = TestClient(app, follow_redirects=False)
        assert sign_in(client, name, password, "/ui/alerts").status_code == 303
        clients[name] = client
    try:
        yield Site(cli, settings, clients, tokens)
    finally:
        state_of(app).close()


def decide_on(site: Site, surface: str, user: str, alert_id: int, action: str) -> int | FourEyesError:
    """Take a decision as ``user`` on ``surface``: the HTTP status (UI) or 0 (CLI), or the CLI's
    four-eyes error."""
    reason = f"{action} by {user} on {surface}"
    if surface == "ui":
        client = site.ui[user]
        form = {"action": action, "reason": reason, "csrf_token": csrf_token(client.get("/ui/alerts").text)}
        return int(client.post(f"/ui/alerts/{alert_id}/decide", data=form).status_code)
    args: tuple[str, ...] = ("alerts", "decide", str(alert_id), "--action", action, "--reason", reason)
    if surface == "cli-password":
        args, stdin, env = (*args, "--user", user, "--password-stdin"), PASSWORDS[user] + "\n", None
    else:
        stdin, env = None, {"SANCTIONWATCH_TOKEN": site.tokens[user]}
    result = site.cli.run(*args, stdin=stdin, env=env)
    if isinstance(result.exception, FourEyesError):
        return result.exception
    assert result.exit_code == 0, (result.output, result.exception)
    return 0


def alert_state(site: Site, alert_id: int) -> str:
    return str(site.cli.json("alerts", "show", str(alert_id))["state"])


def open_alert(site: Site, alert_id: int) -> None:
    """Bring the alert back to open (a supervisor's reopen) for the next pair."""
    if alert_state(site, alert_id) != "open":
        env = {"SANCTIONWATCH_TOKEN": site.tokens["sue"]}
        site.cli("alerts", "decide", str(alert_id), "--action", "reopen", "--reason", "next pair", env=env)
    assert alert_state(site, alert_id) == "open"


OK = {"ui": 303, "cli-password": 0, "cli-token": 0}
AUTH = {"ui": ("ui", "ui-session"), "cli-password": ("cli", "password"), "cli-token": ("cli", "token")}


@pytest.mark.parametrize(("proposed_on", "approved_on"), list(itertools.product(SURFACES, SURFACES)))
def test_the_proposer_cannot_approve_on_any_surface_and_another_user_can(
    site: Site, proposed_on: str, approved_on: str
) -> None:
    alert_id = 1 + SURFACES.index(proposed_on)  # spread the pairs over the three alerts
    open_alert(site, alert_id)
    assert decide_on(site, proposed_on, "sam", alert_id, "propose-true-match") == OK[proposed_on]
    assert alert_state(site, alert_id) == "pending_true_match"
    refused = decide_on(site, approved_on, "sam", alert_id, "approve-true-match")
    if approved_on == "ui":
        assert refused == 409
    else:
        assert isinstance(refused, FourEyesError) and "proposed by 'sam'" in str(refused)
    assert alert_state(site, alert_id) == "pending_true_match"
    assert decide_on(site, approved_on, "sue", alert_id, "approve-true-match") == OK[approved_on]
    assert alert_state(site, alert_id) == "closed_true_match"
    engine = state_of(site.ui["sam"].app).case_engine()  # type: ignore[arg-type]
    trail = list(iter_audit(engine, f"alert:{alert_id}"))
    propose, refusal, approve = (
        [e for e in trail if e.action == "alert.transition" and e.details["action"] == "propose-true-match"][
            -1
        ],
        [e for e in trail if e.action == "alert.decision_refused"][-1],
        [e for e in trail if e.action == "alert.transition" and e.details["action"] == "approve-true-match"][
            -1
        ],
    )
    assert propose.id < refusal.id < approve.id  # the entries of this pair, in order
    assert (propose.actor, propose.details["surface"], propose.details["auth"]) == ("sam", *AUTH[proposed_on])
    assert (refusal.actor, refusal.details["cause"]) == ("sam", "four-eyes")
    assert (refusal.details["surface"], refusal.details["auth"]) == AUTH[approved_on]
    assert (approve.actor, approve.details["surface"], approve.details["auth"]) == ("sue", *AUTH[approved_on])


def test_the_http_api_offers_no_decision(site: Site) -> None:
    app = site.ui["sam"].app
    paths = app.openapi()["paths"]  # type: ignore[attr-defined]  # the HTTP API, as it documents itself
    assert "/match/{dataset}" in paths and len(paths) > 5
    assert [p for p in paths if "alert" in p or "decide" in p or "decision" in p] == []
    # The one place decisions are taken over HTTP is the UI's form, behind a UI session.
    assert app.url_path_for("ui_alert_decide", alert_id=1) == "/ui/alerts/1/decide"  # type: ignore[attr-defined]
    response = TestClient(app, follow_redirects=False).post(
        "/ui/alerts/1/decide", data={"action": "escalate"}
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/ui/sign-in")
