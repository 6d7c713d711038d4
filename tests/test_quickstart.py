"""The README's quick start, as a new user runs it: a fresh clone beside ``../shared``, an empty
``HOME`` and no ``SANCTIONWATCH_*`` (nor ``XDG_*``) variable at all, so every default applies.

The steps are the README's: the Makefile's ``import`` target (its commands read with ``make -n``, so
the list of files cannot drift; only its ``pip install`` line is left out: the code run is this
checkout's ``src/``, uncommitted changes included, by the test's venv), ``users add``, a small
customer book imported and screened, then ``serve`` on a port given by flag. Headless Chromium then
signs in, screens a name, opens the alert queue and an alert, and signs out. The default database
must be the SQLite file under the empty ``HOME``'s ``.local/share/sanctionwatch/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.api.serverproc import Server, console_command
from tests.conftest import DATA_DIR
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS
from tests.web.pages import sign_in

REPO = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)
KIM = "us-ofac-sdn:20157"
USER, PASSWORD = "ana", "ana-reads-the-readme-1"
BOOK = (
    "id,name,schema,birth_date,country\n"
    "C1,KIM Jong Un,Person,1984-01-08,KP\n"
    "C2,Marguerite Oyelaran-Thistlewood,Person,1971-03-02,GB\n"
)
TIMEOUT_MS = 20_000


def clean_env(home: Path) -> dict[str, str]:
    """This process's environment without any ``SANCTIONWATCH_*`` or ``XDG_*`` variable, ``HOME``
    empty, and this checkout's sources first on the import path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SANCTIONWATCH_", "XDG_", "FORCE_COLOR", "COLUMNS", "PYTHON"))
        # Under `make test` the outer make's variables would make the inner `make -n` print
        # "Entering directory" lines into the recipe; a user's shell has none of them.
        and k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
    }
    env["HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO / "src")
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], stdin: str | None = None) -> str:
    """Run a command to completion; its standard output (fails with both outputs otherwise)."""
    done = subprocess.run(
        args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def import_recipe(clone: Path, env: dict[str, str]) -> str:
    """The shell commands ``make import`` runs in the clone (with ``VENV`` the installed venv), less
    the ``pip install`` of its ``install`` prerequisite."""
    printed = run(["make", "--no-print-directory", "-n", "import", f"VENV={VENV}"], clone, env).splitlines()
    install = [line for line in printed if "/pip install" in line]
    assert len(install) == 1, printed
    recipe = "\n".join(line for line in printed if line not in install)
    assert " lists import " in recipe and " lists status" in recipe, recipe
    return recipe


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    """The quick start up to a running server: (server, the empty HOME, the import's output)."""
    top = tmp_path_factory.mktemp("quickstart")
    clone, home = top / "sanctionwatch", top / "home"
    home.mkdir()
    (top / "shared").symlink_to(DATA_DIR.parent, target_is_directory=True)
    env = clean_env(home)
    run(["git", "clone", "--quiet", str(REPO), str(clone)], top, env)
    imported = run(["bash", "-e", "-c", import_recipe(clone, env)], clone, env)
    command = console_command()
    run([command, "users", "add", USER, "--role", "analyst", "--password-stdin"], clone, env, PASSWORD + "\n")
    (clone / "customers.csv").write_text(BOOK, encoding="utf-8")
    run([command, "book", "import", "customers.csv"], clone, env)
    screened = run([command, "book", "screen"], clone, env)
    assert "1 alerts opened" in screened, screened
    with Server(None, top, env=env) as server:
        server.wait_for("/readyz", timeout=300)
        yield server, home, imported
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh (Debian package chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_the_readme_quick_start_works_on_default_settings(
    quickstart: tuple[Server, Path, str], browser: Browser
) -> None:
    """One test, so that parallel workers do not each run the whole quick start."""
    server, home, imported = quickstart
    database = home / ".local" / "share" / "sanctionwatch" / "sanctionwatch.db"
    assert database.is_file()
    assert f"database: sqlite:///{database}" in server.stdout
    for key in ("us-ofac-sdn", "un-sc", "uk-ofsi", "us-csl"):
        assert key in imported, imported

    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page: Page = context.new_page()
    try:
        page.goto("/ui/alerts")
        expect(page).to_have_url(f"{server.url}/ui/sign-in?next=%2Fui%2Falerts")
        sign_in(page, USER, PASSWORD)
        expect(page.locator(".account-name")).to_contain_text(f"Signed in as {USER}")

        page.goto("/ui/search")
        page.fill("#name", "Kim Jong-un")
        page.click("#search-submit")
        expect(page.locator(f"article.hit-alert[data-entity-id='{KIM}']")).to_have_count(1)

        page.click("nav.mainnav >> text=Alerts")
        expect(page.locator("h1")).to_have_text("Alert queue")
        rows = page.locator("tr[data-alert-id]")
        expect(rows).to_have_count(1)
        rows.first.locator("a").first.click()
        expect(page.locator("h1")).to_contain_text("KIM Jong Un")
        expect(page.locator("main")).to_contain_text(KIM)

        page.click("form[action='/ui/sign-out'] button[type=submit]")
        expect(page).to_have_url(f"{server.url}/ui/sign-in?signed_out=1")
        page.goto("/ui/alerts")
        expect(page).to_have_url(f"{server.url}/ui/sign-in?next=%2Fui%2Falerts")
    finally:
        context.close()
    assert "Traceback" not in server.stderr, server.stderr
