"""The desk's modules import one another one way: no module reaches back, even lazily inside a
function, to a module that imports it."""

import ast
from pathlib import Path

import desk

DESK = Path(desk.__file__).parent


def desk_imports(path):
    """Names of the desk modules `path` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from . import x / from .x import y
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module and node.module.split(".")[0] == "desk":
                parts = node.module.split(".")
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "desk" and len(parts) > 1:
                    found.add(parts[1])
    own = {path.stem for path in DESK.glob("*.py")}
    return found & own


def graph():
    return {path.stem: desk_imports(path) - {path.stem} for path in DESK.glob("*.py")}


def find_cycle(edges):
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target] if target in trail else [node, target]
            if target not in state:
                cycle = visit(target, [*trail, target])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def test_desk_modules_have_no_import_cycle():
    """actions → notifications → delivery and jobs → actions, never back."""
    assert find_cycle(graph()) is None


def test_sending_knows_nothing_of_inquiry_life_cycle():
    edges = graph()
    assert "actions" not in edges["delivery"] and "notifications" not in edges["delivery"]
    # desk.receipts signs receipts and knows the public address; it knows nothing of life cycles.
    assert edges["messages"] <= {"choices", "models", "receipts"}
    assert edges["receipts"] <= {"choices", "models"}
    assert "actions" in edges["jobs"]


def test_queue_counts_are_read_without_the_admin_views():
    """The socket and the menu badge read counts from desk.queries, not from the admin views."""
    edges = graph()
    assert "admin_views" not in edges["consumers"] and "admin_views" not in edges["wagtail_hooks"]
    assert "queries" in edges["admin_views"]
