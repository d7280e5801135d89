"""The tree reads as the design: parts depend one way, no module imports one that imports it
(imports for type checking and inside functions count), and no module grows past 350 lines."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("retrieval", "bot")
# The core's parts, lowest first: each may import those before it, never those after.
CORE_ORDER = (
    "retrieval.records",
    "retrieval.text",
    "retrieval.ranking",
    "retrieval.archive",
    "retrieval.cluster",
)
MAX_LINES = 350


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for top in PACKAGES for p in sorted((ROOT / top).rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports, wherever in the file the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    found.add(f"{base}.{alias.name}")
                elif base in known:
                    found.add(base)
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _part(name: str) -> int | None:
    for rank, part in enumerate(CORE_ORDER):
        if name == part or name.startswith(part + "."):
            return rank
    return None


def test_no_module_imports_one_that_imports_it():
    assert _cycles(_graph()) == []


def test_the_core_parts_depend_one_way_and_never_on_the_front_ends():
    upward = []
    for name, imported in _graph().items():
        if not name.startswith("retrieval"):
            continue
        for other in imported:
            mine, theirs = _part(name), _part(other)
            if other.startswith("bot") or (
                mine is not None and theirs is not None and theirs > mine
            ):
                upward.append((name, other))
    assert sorted(upward) == []


def test_no_module_is_over_350_lines():
    lengths = {
        name: path.read_text(encoding="utf-8").count("\n") for name, path in _modules().items()
    }
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def test_every_sub_package_says_what_it_is_in_one_line():
    for init in sorted(p for top in PACKAGES for p in (ROOT / top).rglob("__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring, init
        assert docstring.splitlines()[0].endswith("."), init


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
