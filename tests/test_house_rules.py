"""House rules of the code itself (issue 10): every public function says its types, and no
module grows past 500 lines.

Public means no leading underscore: module-level functions and the methods of module-level
classes whose name has none either (`self`/`cls` excepted; dunder methods such as __init__
start with one, so they are not asked). A function is read from the source
with ast, so nothing is imported and nothing runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "followup_cli"
MAX_LINES = 500


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def missing_annotations(source: str, module: str) -> list[str]:
    """'module:function (what lacks a type)' for each public function of `source` without full hints."""
    out = []

    def check(fn: ast.FunctionDef | ast.AsyncFunctionDef, owner: str | None) -> None:
        a = fn.args
        params = [*a.posonlyargs, *a.args, *a.kwonlyargs]
        if owner is not None and params and params[0].arg in ("self", "cls"):
            params = params[1:]
        params += [p for p in (a.vararg, a.kwarg) if p is not None]
        lacking = [p.arg for p in params if p.annotation is None]
        if fn.returns is None:
            lacking.append("return")
        if lacking:
            where = f"{owner}.{fn.name}" if owner else fn.name
            out.append(f"{module}:{where} ({', '.join(lacking)})")

    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            check(node, None)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and not member.name.startswith("_"):
                    check(member, node.name)
    return out


def test_the_walk_sees_every_kind_of_missing_hint():
    source = """
def ok(a: int, *rest: str, key: bool = False, **more: object) -> None: ...
def bare(a, b: int): ...
def _private(a): ...
class Public:
    def __init__(self, x): ...
    def method(self, y: int) -> int: ...
    def untyped(self): ...
    @classmethod
    def make(cls, *args) -> "Public": ...
    def _hidden(self, z): ...
class _Private:
    def method(self, y): ...
"""
    assert missing_annotations(source, "m") == [
        "m:bare (a, return)",
        "m:Public.untyped (return)",
        "m:Public.make (args)",
    ]


def test_every_public_function_has_type_hints():
    missing = [m for path in _modules() for m in missing_annotations(path.read_text(encoding="utf-8"), _name(path))]
    assert not missing, "public functions without type hints:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_module_is_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines; split it along its concepts"
