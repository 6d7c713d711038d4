"""The house's shape: one-way arrows between rooms, no import circle, no module over 400 lines.

Every ``import`` and ``from ... import`` in ``src/sanctionwatch`` is read with ``ast``, including
imports inside functions and under ``if TYPE_CHECKING:`` (an import that only the type checker runs
still ties the two modules together), with relative imports resolved. ``ALLOWED`` is the room table
of ../shared/DESIGN.md written out: each room and the rooms it may import. A new room, or a new
arrow, is a decision to make here on purpose, not something a test lets through.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

import sanctionwatch

MAX_LINES = 400

GROUND = frozenset({"model", "errors", "settings", "countries", "dates", "__init__"})
"""Top-level modules of the ground floor, used by every room."""

_BELOW_STORE = frozenset({"ground", "text", "sources", "store"})
_BELOW_CASES = _BELOW_STORE | {"matching", "messages", "scan", "network"}

ALLOWED: dict[str, frozenset[str]] = {
    "ground": frozenset({"ground"}),
    "text": frozenset({"ground", "text"}),
    "sources": frozenset({"ground", "text", "sources"}),
    "store": _BELOW_STORE,
    # matching knows nothing of the database or of the list files.
    "matching": frozenset({"ground", "text", "matching"}),
    "messages": _BELOW_STORE | {"matching", "messages"},
    "scan": _BELOW_STORE | {"matching", "scan"},
    "network": _BELOW_STORE | {"matching", "network"},
    # batch must not use cases; cases may use batch.
    "batch": _BELOW_CASES | {"batch"},
    "cases": _BELOW_CASES | {"batch", "cases"},
    # The service layer (live screening snapshot) under both interfaces.
    "service": _BELOW_CASES | {"batch", "cases", "service"},
    # api and web are siblings over the service layer: neither imports the other.
    "api": _BELOW_CASES | {"batch", "cases", "service", "api"},
    "web": _BELOW_CASES | {"batch", "cases", "service", "web"},
    # The app factory mounts both interfaces' routers.
    "app": _BELOW_CASES | {"batch", "cases", "service", "api", "web", "app"},
    "cli": _BELOW_CASES | {"batch", "cases", "service", "api", "web", "app", "cli"},
}
"""Each room and the rooms its modules may import (its own included)."""


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's arrow: which module imports which, from where."""

    file: Path
    line: int
    importer: str
    imported: str

    def where(self, root: Path) -> str:
        return f"{self.file.relative_to(root.parent)}:{self.line}"


def module_name(path: Path, root: Path) -> str:
    """Dotted name of a module file under a package folder (``root``)."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def scan(root: Path) -> list[Import]:
    """Every arrow from a module of the package at ``root`` to another of its modules.

    ``from p import m`` where ``p.m`` is a module is an arrow to ``p.m``; otherwise to ``p``.
    """
    known = modules(root)
    prefix = root.name
    found: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(node, name, path.name == "__init__.py")
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            else:
                continue
            for target in targets:
                if target == prefix or target.startswith(prefix + "."):
                    found.append(Import(path, node.lineno, name, target))
    return found


def room(module: str) -> str:
    """The room of a dotted module name: its top-level subpackage, or ``ground``."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    top = "service" if top in {"metrics", "logs", "doctor"} else top  # service-level modules
    if top in GROUND:
        return "ground"
    return top


def upward_arrows(
    imports: Iterable[Import], root: Path, allowed: dict[str, frozenset[str]], room_of: Callable[[str], str]
) -> list[str]:
    """One line per arrow the room table does not allow, or from or to a room it does not know."""
    problems: list[str] = []
    for imp in imports:
        src, dst = room_of(imp.importer), room_of(imp.imported)
        for r, module in ((src, imp.importer), (dst, imp.imported)):
            if r not in allowed:
                problems.append(f"{imp.where(root)}: {module} is in room {r!r}, which the room table lacks")
        if src in allowed and dst in allowed and dst not in allowed[src]:
            problems.append(
                f"{imp.where(root)}: {imp.importer} ({src}) imports {imp.imported} ({dst}): "
                f"{src} may import only {', '.join(sorted(allowed[src]))}"
            )
    return sorted(set(problems))


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one node, or with a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    nodes = sorted(set(graph) | {n for targets in graph.values() for n in targets})

    def visit(v: str) -> None:  # recursion depth is bounded by the module count
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                result.append(sorted(component))

    for node in nodes:
        if node not in index:
            visit(node)
    return result


def _cycle_through(start: str, members: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from ``start`` back to itself inside one component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, set()) & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return [start, start]


def cycles(imports: Iterable[Import], root: Path, node_of: Callable[[str], str], what: str) -> list[str]:
    """One block per import circle between nodes (modules, or rooms), each arrow with file and line."""
    graph: dict[str, set[str]] = defaultdict(set)
    first: dict[tuple[str, str], Import] = {}
    for imp in sorted(imports, key=lambda i: (str(i.file), i.line)):
        a, b = node_of(imp.importer), node_of(imp.imported)
        if a == b and what == "rooms":
            continue
        graph[a].add(b)
        first.setdefault((a, b), imp)
    problems = []
    for component in strongly_connected(graph):
        path = _cycle_through(component[0], set(component), graph)
        arrows = [
            f"    {first[a, b].where(root)}: {first[a, b].importer} imports {first[a, b].imported}"
            for a, b in itertools.pairwise(path)
        ]
        problems.append(f"circle between {what} {', '.join(component)}:\n" + "\n".join(arrows))
    return problems


def long_modules(root: Path, limit: int = MAX_LINES) -> list[str]:
    """One line per module over ``limit`` lines."""
    problems = []
    for path in modules(root).values():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            problems.append(f"{path.relative_to(root.parent)}: {count} lines, more than {limit}")
    return problems


def _fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problem(s):\n" + "\n".join(problems), pytrace=False)


# --- the house ---------------------------------------------------------------------------------

ROOT = Path(sanctionwatch.__file__).parent


def _house() -> list[Import]:
    imports = scan(ROOT)
    assert len(imports) > 100, f"only {len(imports)} internal imports found under {ROOT}: is the scan broken?"
    return imports


def test_the_room_table_itself_has_no_circle() -> None:
    graph = {r: set(allowed) - {r} for r, allowed in ALLOWED.items()}
    assert strongly_connected(graph) == []
    assert all(r in ALLOWED[r] for r in ALLOWED)


def test_no_room_imports_a_room_above_it() -> None:
    problems = upward_arrows(_house(), ROOT, ALLOWED, room)
    _fail_on(problems)


def test_no_import_circle_between_modules() -> None:
    problems = cycles(_house(), ROOT, lambda m: m, "modules")
    _fail_on(problems)


def test_no_import_circle_between_rooms() -> None:
    problems = cycles(_house(), ROOT, room, "rooms")
    _fail_on(problems)


def test_no_module_over_400_lines() -> None:
    assert len(modules(ROOT)) > 50
    problems = long_modules(ROOT)
    _fail_on(problems)


# --- the checker, on a package small enough to see every arrow -----------------------------------

TOY = {
    "__init__.py": "",
    "model.py": "X = 1\n",
    "store/__init__.py": "",
    "store/tables.py": "from toy.model import X\n\n\ndef f() -> None:\n    from toy.cases import audit\n",
    "cases/__init__.py": "",
    "cases/audit.py": (
        "from typing import TYPE_CHECKING\n"
        "from . import book\n"
        "if TYPE_CHECKING:\n"
        "    import toy.store.tables\n"
    ),
    "cases/book.py": "from .audit import record\nfrom ..model import X\n",
}


def _toy(tmp_path: Path) -> Path:
    root = tmp_path / "toy"
    for name, text in TOY.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_scan_resolves_relative_imports_and_sees_imports_in_functions_and_type_checking(
    tmp_path: Path,
) -> None:
    root = _toy(tmp_path)
    arrows = {(i.importer, i.line, i.imported) for i in scan(root)}
    assert arrows == {
        ("toy.store.tables", 1, "toy.model"),
        ("toy.store.tables", 5, "toy.cases.audit"),
        ("toy.cases.audit", 2, "toy.cases.book"),
        ("toy.cases.audit", 4, "toy.store.tables"),
        ("toy.cases.book", 1, "toy.cases.audit"),
        ("toy.cases.book", 2, "toy.model"),
    }


def test_checker_names_the_upward_arrow_with_file_and_line(tmp_path: Path) -> None:
    root = _toy(tmp_path)
    allowed = {"ground": frozenset({"ground"}), "store": frozenset({"ground", "store"})}
    allowed["cases"] = frozenset({"ground", "store", "cases"})
    problems = upward_arrows(scan(root), root, allowed, room)
    assert problems == [
        "toy/store/tables.py:5: toy.store.tables (store) imports toy.cases.audit (cases): "
        "store may import only ground, store"
    ]


def test_checker_finds_the_module_circles_and_the_room_circle(tmp_path: Path) -> None:
    root = _toy(tmp_path)
    by_module = cycles(scan(root), root, lambda m: m, "modules")
    assert by_module == [
        "circle between modules toy.cases.audit, toy.cases.book, toy.store.tables:\n"
        "    toy/cases/audit.py:2: toy.cases.audit imports toy.cases.book\n"
        "    toy/cases/book.py:1: toy.cases.book imports toy.cases.audit"
    ]
    by_room = cycles(scan(root), root, room, "rooms")
    assert by_room == [
        "circle between rooms cases, store:\n"
        "    toy/cases/audit.py:4: toy.cases.audit imports toy.store.tables\n"
        "    toy/store/tables.py:5: toy.store.tables imports toy.cases.audit"
    ]


def test_checker_flags_a_room_missing_from_the_table_and_a_long_module(tmp_path: Path) -> None:
    root = _toy(tmp_path)
    problems = upward_arrows(scan(root), root, {"ground": frozenset({"ground"})}, room)
    assert "toy/cases/book.py:1: toy.cases.book is in room 'cases', which the room table lacks" in problems
    (root / "store" / "long.py").write_text("x = 1\n" * 401, encoding="utf-8")
    assert long_modules(root) == ["toy/store/long.py: 401 lines, more than 400"]
