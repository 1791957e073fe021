"""Every module, public class and public function says what comes in and goes out."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "graphsvc"


def _undocumented(body, prefix: str = "") -> list[str]:
    missing = []
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            if not ast.get_docstring(node):
                missing.append(prefix + node.name)
            if isinstance(node, ast.ClassDef):
                missing += _undocumented(node.body, f"{prefix}{node.name}.")
    return missing


def test_every_public_module_class_and_function_has_a_docstring():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text())
        name = path.relative_to(PACKAGE.parent)
        missing += [f"{name}: module"] * (not ast.get_docstring(tree))
        missing += [f"{name}: {qualified}" for qualified in _undocumented(tree.body)]
    assert missing == []
