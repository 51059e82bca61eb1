"""The layering rules of STYLE.md, issues 10 and 29, checked so that a change cannot quietly break them.

Which package may import which is a set of import-linter contracts (`.importlinter`, run here and by
`make lint`). What a contract cannot say is checked on the source below: adapters call no use case, no service
touches the session behind the unit of work, no import cycle among the services, one module composes the
clients, and no `assert` in the source (authorization is code: asserts vanish under `python -O`)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "boomerang"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(under: str = "") -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((PACKAGE / under).rglob("*.py")):
        yield _module_name(path), ast.parse(path.read_text(), str(path))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, tree: ast.Module, *, runtime_only: bool = False) -> set[str]:
    """Every module `tree` imports (absolute names); with `runtime_only`, not those under TYPE_CHECKING."""
    found: set[str] = set()
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and _is_type_checking(node):
                skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: -node.level] if not module.endswith("__init__") else module.split(".")
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _offenders(under: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for module, tree in _modules(under)
        for name in _imports(module, tree)
        if name.startswith(forbidden)
    )


def test_no_adapter_imports_a_use_case() -> None:
    """Adapters implement the ports and read the domain; they never call a use case."""
    allowed = (
        "boomerang.services.ports",
        "boomerang.services.unit_of_work",
        "boomerang.services.storage_errors",
        "boomerang.services.clock",
    )
    offenders = [
        o for o in _offenders("adapters", ("boomerang.services",)) if not o.split(" imports ")[1].startswith(allowed)
    ]
    assert offenders == []


def test_no_service_touches_the_session_behind_the_unit_of_work() -> None:
    offenders = [
        f"{module}:{node.lineno}"
        for module, tree in _modules("services")
        if not module.endswith("unit_of_work")
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "session"
        and isinstance(node.value, ast.Name)
        and node.value.id in {"uow", "u"}
    ]
    assert offenders == []


def test_no_import_cycle_among_the_services() -> None:
    graph = {
        module: {
            name
            for name in _imports(module, tree, runtime_only=True)
            if name.startswith("boomerang.services") and name != module
        }
        for module, tree in _modules("services")
    }
    known = set(graph)
    graph = {
        module: {n if n in known else n.rsplit(".", 1)[0] for n in names} & known for module, names in graph.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for name in sorted(graph[module]):
            if state.get(name) == 1:
                cycles.append([*path[path.index(name) :], name])
            elif name not in state:
                visit(name, [*path, name])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    # a package importing its own modules (read_models/__init__) is not a cycle between services
    cycles = [c for c in cycles if not all(m.startswith(c[0] + ".") or m == c[0] for m in c[1:])]
    assert cycles == []


def test_no_assert_in_the_source() -> None:
    """Authorization and invariants are code that raises; an assert vanishes under `python -O`."""
    asserts = [
        f"{module}:{node.lineno}"
        for module, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
    ]
    assert asserts == []


def test_no_service_docstring_names_an_http_route() -> None:
    """Use cases are named for what they do; which route calls them is the entry point's business."""
    route = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) /")
    named = [
        f"{module}:{getattr(node, 'lineno', 1)}"
        for module, tree in _modules("services")
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module)
        and route.search(ast.get_docstring(node) or "")
    ]
    assert named == []


def test_units_of_work_come_from_the_one_factory() -> None:
    """Only `UnitOfWorkFactory` builds a UnitOfWork: routes, pages, CLI, worker and services get theirs from
    the factory made at bootstrap (with its outbox renderings), never by hand."""
    built = [
        f"{module}:{node.lineno}"
        for module, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"UnitOfWork", "SqlAlchemyUnitOfWork"}
        and module != "boomerang.adapters.unit_of_work"
    ]
    assert built == []


def test_no_service_renders_api_json_or_builds_api_urls() -> None:
    """Use cases return the domain or read models; the API's schemas render them and know its paths."""
    offenders = [
        f"{module}:{node.lineno}"
        for module, tree in _modules("services")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "/api/v1" in node.value
    ]
    assert offenders == []


# The HTTP host and its sibling clients (issue 29, item 4): entrypoints/http/app.py composes the API, the
# pages and the ShipBob mount; the clients share the host's edge modules (errors, caller, deps, retry…) and
# the neutral schemas, and never reach one another, not even through a module they share.
CLIENTS = ("boomerang.entrypoints.api", "boomerang.entrypoints.web", "boomerang.entrypoints.compat")
HOST = "boomerang.entrypoints.http.app"


def _runtime_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports when it runs (`from m import name` counts as m when name is
    not a module of its own)."""
    trees = dict(_modules())
    graph: dict[str, set[str]] = {}
    for module, tree in trees.items():
        names = {n for n in _imports(module, tree, runtime_only=True) if n.startswith("boomerang")}
        graph[module] = {n if n in trees else n.rsplit(".", 1)[0] for n in names} & set(trees)
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for name in graph[todo.pop()] - seen:
            seen.add(name)
            todo.append(name)
    return seen


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_only_the_host_composes_the_clients() -> None:
    """One module imports all three clients (the host), and no client imports the host."""
    graph = _runtime_graph()
    composers = [m for m, names in graph.items() if all(any(_in(n, c) for n in names) for c in CLIENTS)]
    assert composers == [HOST]
    assert [m for m, names in graph.items() if HOST in names and any(_in(m, c) for c in CLIENTS)] == []


def test_the_import_contracts_hold() -> None:
    """The layers, the clients' independence and the forbidden libraries are import-linter contracts
    (`.importlinter`, also run by `make lint`): entry points > sample > bootstrap > schemas | adapters >
    services > domain; api, web and compat independent, directly or through what they import; no
    SQLAlchemy or web framework in services, none of either nor HTTP libraries in the domain; entry points
    reach adapters and the database library only through bootstrap."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--config", str(SRC.parent / ".importlinter")],
        capture_output=True,
        text=True,
        cwd=SRC.parent,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
