"""The plugin's modules import each other one way only: no cycle, not even one hidden behind an
import placed inside a function.

Read from the source with `ast` (nothing is imported), so the test sees what a reader sees.
Importing `a.b.c` runs the package `a.b` first, so that counts as importing it too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("medical_content", "consent", "themes", "safe_text", "page_cache")

# Imports inside functions that stay there on purpose, by module.
DEFERRED_ON_PURPOSE = {
    # AppConfig.ready: the checks and receivers are connected once the apps are loaded.
    "medical_content.apps",
    "consent.apps",
    "page_cache.apps",
    # Wagtail's rich-text handler modules load models when imported.
    "safe_text.rich_text",
}


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            is_package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


MODULES = _modules()


def _imports(name: str) -> list[tuple[str, bool]]:
    """The project modules `name` imports, each with whether the import is inside a function."""
    path, is_package = MODULES[name]
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # for type checkers only: never run
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, nested) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = name.split(".") if is_package else name.split(".")[:-1]
                    package = package[: len(package) - child.level + 1]
                    base = ".".join([*package, *([base] if base else [])])
                found.append((base, nested))
                found.extend((f"{base}.{alias.name}", nested) for alias in child.names)
            visit(child, nested)

    visit(ast.parse(path.read_text()), False)
    targets = []
    for target, nested in found:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            inside = name == module or name.startswith(module + ".")
            if module in MODULES and not inside:
                targets.append((module, nested))
    return targets


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_one_that_imports_it_back():
    edges = {name: {target for target, _ in _imports(name)} for name in MODULES}
    assert _cycles(edges) == []


def test_imports_inside_functions_are_only_the_deliberate_ones():
    deferred = {name for name in MODULES if any(nested for _, nested in _imports(name))}
    assert deferred == DEFERRED_ON_PURPOSE


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_cycle_finder_finds_cycles(edges, expected):
    assert _cycles(edges) == expected


def test_the_graph_sees_imports_inside_functions():
    """`safe_text.rich_text` imports its handlers inside a function: the graph has that edge."""
    assert ("safe_text.rich_text_handlers", True) in _imports("safe_text.rich_text")
