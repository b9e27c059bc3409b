"""plans-api's packages import each other one way only.

Read from the source (every ``import`` of ``plans_api.*``, wherever it stands in a module):

- no cycle between the packages (``plan``, ``task``, ``report`` …, and the modules beside them:
  ``access``, ``outbox`` …), named in the failure;
- ``main`` and ``demo`` sit above everything: they may import any package, none imports them;
- ``db``, ``config``, ``outbox`` and ``imports`` sit below every package and import none;
  ``access`` (who reaches what) reads the unit tree and nothing else;
- ``plans_api.models`` is the table list Alembic reads: only ``main`` may import it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import plans_api

ROOT = Path(plans_api.__file__).parent
TOP = {"main", "demo"}
FOUNDATION = {"db", "config", "outbox", "imports"}
ACCESS_READS = {"unit"}

Edges = dict[str, dict[str, list[str]]]  # package -> imported package -> "module imports name"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(tree: ast.Module, module: str, is_package: bool) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package upwards
                parts = module.split(".")[: len(module.split(".")) - node.level + is_package]
                base = ".".join([*parts, base] if base else parts)
            if base == "plans_api":
                yield from (f"plans_api.{alias.name}" for alias in node.names)
            else:
                yield base


def _package(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "plans_api" and len(parts) > 1 else None


def import_edges() -> Edges:
    edges: Edges = defaultdict(lambda: defaultdict(list))
    for path in sorted(ROOT.rglob("*.py")):
        module = _module_name(path)
        source = _package(module)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name in _imported(tree, module, path.name == "__init__.py"):
            target = _package(name)
            if source and target and target != source:
                edges[source][target].append(f"{module} imports {name}")
    return edges


def find_cycle(edges: Edges, skip: set[str]) -> list[str] | None:
    """A cycle of packages (the first one repeated at the end), or None."""
    graph = {p: [t for t in targets if t not in skip] for p, targets in edges.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(package: str) -> list[str] | None:
        state[package] = 1
        path.append(package)
        for target in graph.get(package, []):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[package] = 2
        return None

    for package in sorted(graph):
        if package not in skip and package not in state and (found := visit(package)):
            return found
    return None


def _describe(edges: Edges, cycle: list[str]) -> str:
    steps = [edges[a][b][0] for a, b in pairwise(cycle)]
    return " -> ".join(cycle) + "\n  " + "\n  ".join(steps)


def test_no_cycle_between_packages() -> None:
    edges = import_edges()
    cycle = find_cycle(edges, skip=TOP)
    assert cycle is None, "import cycle between plans_api packages: " + _describe(edges, cycle)


def test_nothing_imports_main_or_demo() -> None:
    edges = import_edges()
    found = [
        line
        for source, targets in edges.items()
        if source not in TOP
        for target in TOP & targets.keys()
        for line in targets[target]
    ]
    assert found == []


def test_foundation_and_access_import_no_domain() -> None:
    edges = import_edges()
    allowed = {name: FOUNDATION for name in FOUNDATION} | {"access": FOUNDATION | ACCESS_READS}
    found = [
        line
        for source, may_import in allowed.items()
        for target, lines in edges.get(source, {}).items()
        if target not in may_import
        for line in lines
    ]
    assert found == []


def test_only_main_imports_the_table_list() -> None:
    edges = import_edges()
    found = [
        line
        for source, targets in edges.items()
        if source != "main"
        for line in targets.get("models", [])
    ]
    assert found == []


def test_a_cycle_is_named() -> None:
    edges: Edges = {
        "plan": {"task": ["plans_api.plan.x imports plans_api.task.y"]},
        "task": {"unit": ["…"], "plan": ["plans_api.task.y imports plans_api.plan.x"]},
        "unit": {},
        "main": {"plan": ["…"]},
    }
    assert find_cycle(edges, skip=TOP) == ["plan", "task", "plan"]
    assert find_cycle({"task": {"unit": ["…"]}}, skip=TOP) is None
