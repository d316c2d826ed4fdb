"""Access rules live in policies: no view module reads a user's scope itself (issue 14)."""

import ast
from pathlib import Path

import fortalece

ROOT = Path(fortalece.__file__).parent
SCOPE = "fortalece.accounts.scope"


def _view_modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.name.startswith("views") or "views" in parts[:-1]:
            found.append(path)
    return sorted(found)


def _imports_scope(path: Path) -> list[int]:
    """Lines importing the scope module, at top level or inside functions."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {a.name for a in node.names}
            if node.module == SCOPE or (node.module == "fortalece.accounts" and "scope" in names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Import) and any(a.name == SCOPE for a in node.names):
            lines.append(node.lineno)
    return lines


def test_the_sweep_finds_the_view_modules():
    names = {str(p.relative_to(ROOT)) for p in _view_modules()}
    assert {"people/views.py", "training/views/participants.py", "cascade/views.py"} <= names


def test_no_view_module_imports_the_user_scope():
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in _view_modules()
        if (lines := _imports_scope(path))
    }
    assert not offenders, (
        "Views must ask a policy, not read accounts/scope.py (move the rule into the app's "
        f"policies.py): {offenders}"
    )


def test_the_check_catches_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("def f():\n    from fortalece.accounts.scope import get_user_scope\n")
    assert _imports_scope(sample) == [2]
