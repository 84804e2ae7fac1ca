"""Units a reader can hold: no class over 400 lines, no function over 120 lines in service/."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[2] / "service"
MAX_CLASS = 400
MAX_FUNCTION = 120


def _oversized() -> list[str]:
    found = []
    for path in sorted(SERVICE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef):
                limit = MAX_CLASS
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                limit = MAX_FUNCTION
            else:
                continue
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            where = f"{path.relative_to(SERVICE.parent)}:{node.name}"
            if lines > limit:
                found.append(f"{where} ({lines} lines)")
    return found


def test_no_class_or_function_is_over_its_size() -> None:
    assert _oversized() == []
