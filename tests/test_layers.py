"""The layers only point down: every import in the source (function-local ones too) goes to a lower or the same
layer, no modules import each other round in a circle, and none of the project's own imports hides behind
`except ImportError`."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.support import ROOT

PACKAGES = ("duban", "db", "ui", "pages", "benchmarks")
PROJECT = (*PACKAGES, "app")

# rank: (module or package prefixes); a module takes the rank of its longest matching prefix
RANKS: dict[int, tuple[str, ...]] = {
    0: ("duban.rules", "duban.extract", "duban.errors", "duban.clock", "duban.security", "duban.access"),
    1: ("db",),
    2: ("duban.services",),
    3: ("duban.reports",),
    4: ("duban.jobs", "duban.demo"),
    5: ("duban.cli", "duban.serve", "duban.__main__", "ui", "pages", "app", "benchmarks"),
}
LAYER_NAMES = {0: "base", 1: "db", 2: "services", 3: "reports", 4: "jobs", 5: "entry points"}


def modules() -> dict[str, Path]:
    """Every project module by dotted name (a package by its own name)."""
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def rank(module: str) -> int | None:
    """The module's layer from the table, None for a module the table does not place."""
    best: tuple[int, int] | None = None
    for layer, prefixes in RANKS.items():
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), layer)
    return None if best is None else best[1]


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement reaches (relative imports resolved against the module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([base] if base else []))
    return [f"{base}.{alias.name}" for alias in node.names]


def _owner(name: str, known: set[str]) -> str | None:
    """The project module a dotted name lives in (a name imported from a module belongs to that module)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The project modules one module's source imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= {_owner(name, known) for name in _imported(node, module, is_package)}
    return {m for m in out if m and m != module}


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports, anywhere in its source."""
    found = modules()
    known = set(found)
    return {m: imports_of(ast.parse(p.read_text(encoding="utf-8"), str(p)), m, p.name == "__init__.py", known)
            for m, p in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other round in a circle (strongly connected, more than one)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan, iterative enough for a few hundred modules
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
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in modules() if rank(m) is None and m != "duban")
    assert not unplaced, "modules with no layer in the table (add them to RANKS): " + ", ".join(unplaced)


def test_imports_only_point_down():
    graph = import_graph()
    upward = sorted(f"{a} ({LAYER_NAMES[rank(a)]}) -> {b} ({LAYER_NAMES[rank(b)]})"
                    for a, targets in graph.items() for b in targets
                    if rank(a) is not None and rank(b) is not None and rank(b) > rank(a))
    assert not upward, f"{len(upward)} imports point up a layer:\n  " + "\n  ".join(upward)


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    described = []
    for group in found:
        members = set(group)
        edges = sorted(f"{a} -> {b}" for a in group for b in graph[a] if b in members)
        described.append(" ⇄ ".join(group) + "\n      " + "\n      ".join(edges))
    assert not found, f"{len(found)} import cycles:\n  " + "\n  ".join(described)


def _guards_import_error(handler: ast.ExceptHandler) -> bool:
    names = []
    for node in ast.walk(handler.type) if handler.type is not None else ():
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
    return bool({"ImportError", "ModuleNotFoundError"} & set(names))


def test_no_except_import_error_around_the_projects_own_modules():
    guarded = []
    for module, path in sorted(modules().items()):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Try) or not any(_guards_import_error(h) for h in node.handlers):
                continue
            for inner in (n for stmt in node.body for n in ast.walk(stmt)):
                if not isinstance(inner, (ast.Import, ast.ImportFrom)):
                    continue
                own = [name for name in _imported(inner, module, path.name == "__init__.py")
                       if getattr(inner, "level", 0) or name.split(".")[0] in PROJECT]
                guarded += [f"{module} line {inner.lineno}: {name}" for name in own]
    assert not guarded, "the project's own imports behind `except ImportError` (import them plainly):\n  " + \
        "\n  ".join(guarded)


def test_the_checks_see_function_local_and_relative_imports():
    source = "from .outbox import flush\n\ndef later():\n    from duban.jobs import digest\n    import db.queries\n"
    known = {"duban.jobs.digest", "duban.services.outbox", "db", "db.queries"}
    found = imports_of(ast.parse(source), "duban.services.inbox", False, known)
    assert found == {"duban.services.outbox", "duban.jobs.digest", "db.queries"}
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert rank("duban.services.inbox") == 2 and rank("duban.jobs.outbox") == 4 and rank("db.queries.audit") == 1
    assert rank("duban.access") == 0 and rank("duban.jobsite") is None and rank("app") == 5
