"""The package layout keeps its layers: application wiring and fronts on top, services below, nothing below
imports upward, and no two modules import each other (directly or round a circle). Imports inside functions
count too: a lazy import is still a dependency."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "sandbox"
# Fronts and wiring: the CLI, the web UI and app.py, which builds the services for them.
TOP = ("sandbox.app", "sandbox.cli", "sandbox.ui")


def module_names() -> dict[str, object]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
                candidates = [base] + [f"{base}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            deps |= {c for c in candidates if c in modules and c != name}
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for dep in graph[node]:
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def is_top(name: str) -> bool:
    return any(name == top or name.startswith(top + ".") for top in TOP)


def test_no_module_imports_one_above_it():
    upward = sorted(f"{name} imports {dep}" for name, deps in import_graph().items() if not is_top(name)
                    for dep in deps if is_top(dep))
    assert upward == []


def test_no_import_circles():
    assert cycles(import_graph()) == []


def test_the_checks_see_a_circle_and_an_upward_import():
    graph = {"sandbox.store.a": {"sandbox.store.b"}, "sandbox.store.b": {"sandbox.store.a", "sandbox.app"},
             "sandbox.app": set()}
    assert cycles(graph) == [["sandbox.store.a", "sandbox.store.b"]]
    assert is_top("sandbox.cli.serve") and not is_top("sandbox.client")
