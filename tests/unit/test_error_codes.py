"""Error codes are written once, as StrEnum members per feature (domain/error_codes.py): the source never
spells a code as a string literal, no code is defined twice, and every member is still used."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from boomerang.domain.error_codes import ERROR_CODE_ENUMS

SRC = Path(__file__).resolve().parents[2] / "src" / "boomerang"
SNAKE = re.compile(r"[a-z]+(_[a-z]+)*")


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(), str(p))) for p in sorted(SRC.rglob("*.py")) if p.name != "error_codes.py"]


def _is_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant | ast.JoinedStr) and (
        isinstance(node, ast.JoinedStr) or isinstance(node.value, str)
    )


def _literal_codes(path: Path, tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(SRC)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.keyword) and node.arg == "code" and _is_str(node.value):
            found.append(f"{where} code=<literal>")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "code" for t in targets) and _is_str(node.value):
                found.append(f"{where} code = <literal>")
        elif (
            isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "error_response"
        ):
            if len(node.args) > 1 and _is_str(node.args[1]):
                found.append(f"{where} error_response(status, <literal>)")
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Attribute)
            and node.left.attr == "code"
            and any(_is_str(c) for c in node.comparators)
        ):
            found.append(f"{where} .code compared with a literal")
    return found


def test_no_error_code_is_spelled_as_a_string_literal() -> None:
    assert [hit for path, tree in _sources() for hit in _literal_codes(path, tree)] == []


def test_codes_are_snake_case_and_defined_once() -> None:
    values = [member.value for enum in ERROR_CODE_ENUMS for member in enum]
    assert [v for v in values if not SNAKE.fullmatch(v)] == []
    assert sorted(v for v in set(values) if values.count(v) > 1) == []


def test_every_code_is_still_used() -> None:
    text = "\n".join(p.read_text() for p in SRC.rglob("*.py") if p.name != "error_codes.py")
    unused = [
        f"{enum.__name__}.{m.name}"
        for enum in ERROR_CODE_ENUMS
        for m in enum
        if f"{enum.__name__}.{m.name}" not in text
    ]
    assert unused == [], "remove the code or raise it somewhere"
