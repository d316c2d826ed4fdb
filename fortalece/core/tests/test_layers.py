"""Access rules live in policies: no view module reads a user's scope itself (issue 14)."""

import ast
from pathlib import Path

import fortalece
from fortalece.core.figures import record

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


# --- One-way layers (issue 14; docs/architecture.md) -------------------------------------
#
# Apps from the bottom up: an app may import its own layer and those below, never above.
# Imports inside functions count: a function-local import does not make an upward edge legal.
LAYERS: list[tuple[str, ...]] = [
    ("core", "accounts"),  # infrastructure: policies, audit, queries, charts; accounts, roles
    ("geography",),
    ("programmes",),
    ("people",),
    ("training",),
    ("credentials",),
    ("cascade",),
    ("imports",),
    ("impact",),
    ("learning",),
    ("quizzes",),
    ("assignments",),
    ("reporting",),
    ("messaging", "referrals"),
    ("privacy",),
    ("api",),
    ("demo",),
    ("site",),  # the wiring: URL conf, settings, menus, the home page, app start-up, commands
]
SITE_MODULES = (
    "fortalece.urls",
    "fortalece.settings",
    "fortalece.settings_test",
    "fortalece.wsgi",
    "fortalece.__main__",
    "fortalece.core.context_processors",  # the menu names every app's pages
    "fortalece.core.selectors",  # the home page sums up every app
    "fortalece.core.views",
    "fortalece.core.tasks_recovery",  # marks any app's abandoned task failed
)
RANK = {app: i for i, apps in enumerate(LAYERS) for app in apps}

# Upward imports allowed, each with the reason it is right. Empty since issue 14: a higher app
# plugs into a lower one (people/hooks.py, programmes/hooks.py, credentials/hooks.py,
# core/pages.py, learning/hooks.py) or adds pages to its URL namespace (fortalece/urls.py).
# An entry that no longer matches fails the test too, so the list cannot go stale.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    name = "fortalece." + ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _layer(module: str) -> str:
    site = any(module == m or module.startswith(m + ".") for m in SITE_MODULES)
    if site or ".management." in module or module.endswith(".apps"):
        return "site"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "site"


def _project_imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every fortalece import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            local |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found += [(n, node.lineno, id(node) in local) for n in names if n.startswith("fortalece.")]
    return found


def _source_files() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if not {"tests", "migrations"} & set(p.relative_to(ROOT).parts)
    )


def test_every_app_has_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert not apps - set(RANK), f"Give these apps a place in LAYERS: {sorted(apps - set(RANK))}"


def test_imports_only_point_down_the_layers():
    upward, seen = [], set()
    for path in _source_files():
        module = _module_name(path)
        for target, line, _local in _project_imports(path):
            if RANK[_layer(target)] <= RANK[_layer(module)]:
                continue
            seen.add((module, target))
            if (module, target) not in KNOWN_UPWARD:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    stale = sorted(set(KNOWN_UPWARD) - seen)
    record("layers", upward_known=len(seen), upward_new=len(upward), stale=len(stale))
    assert not upward, (
        "These imports point up the layers (docs/architecture.md): move the code down, or "
        "let the higher app plug into the lower one:\n  " + "\n  ".join(upward)
    )
    assert not stale, f"Fixed, so remove from KNOWN_UPWARD: {stale}"


# Function-local imports of project modules: a ratchet that may only go down. Each one left
# says why in the comment directly above it (or above the group of imports it starts), a
# comment containing "local import:" (docs/architecture.md): a cycle inside one layer, a
# heavy library kept out of start-up, or an apps.py waiting for the app registry.
LOCAL_IMPORTS_AT_MOST = 21
REASON = "local import:"


def _unexplained_local_imports(path: Path) -> list[int]:
    """Lines of function-local project imports without "local import:" in the comment lines
    right above them (consecutive imports share the comment above the first)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    imports = [
        n
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
        if isinstance(n, ast.Import | ast.ImportFrom)
    ]
    import_lines = {i for n in imports for i in range(n.lineno, (n.end_lineno or n.lineno) + 1)}
    bare = []
    for node in imports:
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        if not any(n and n.startswith("fortalece.") for n in names):
            continue
        above = node.lineno - 1  # 1-based line number of the line above
        while above in import_lines:
            above -= 1
        comments = []
        while above >= 1 and lines[above - 1].strip().startswith("#"):
            comments.append(lines[above - 1])
            above -= 1
        if not any(REASON in c for c in comments):
            bare.append(node.lineno)
    return bare


def test_function_local_imports_only_decrease():
    local = [
        (path, line)
        for path in _source_files()
        for _target, line, inside in _project_imports(path)
        if inside
    ]
    record("local_imports", count=len(local), ceiling=LOCAL_IMPORTS_AT_MOST)
    assert len(local) <= LOCAL_IMPORTS_AT_MOST, (
        f"{len(local)} function-local project imports (at most {LOCAL_IMPORTS_AT_MOST}): "
        "import at the top of the module; if a cycle forbids it, the code is in the wrong layer"
    )


def test_every_function_local_import_says_why():
    bare = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _source_files()
        for line in _unexplained_local_imports(path)
    ]
    assert not bare, (
        "Import at the top of the module, or say why not on the line above "
        f'("# {REASON} a cycle inside training ..."): ' + ", ".join(bare)
    )


def test_the_reason_check_wants_a_comment_above_each_local_import(tmp_path):
    sample = tmp_path / "services.py"
    sample.write_text(
        "def f():\n"
        "    # local import: a cycle inside training.\n"
        "    from fortalece.training import a\n"
        "    from fortalece.training import b\n"
        "\n"
        "    from fortalece.training import c\n"
        "    from django.db import models\n"
    )
    assert _unexplained_local_imports(sample) == [6]


def test_the_layer_check_sees_an_upward_import_inside_a_function(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("def f():\n    from fortalece.reporting.models import ProgrammeReach\n")
    assert _project_imports(sample) == [("fortalece.reporting.models", 2, True)]
    assert RANK[_layer("fortalece.reporting.models")] > RANK[_layer("fortalece.people.views")]


# --- Pure cores (docs/architecture.md, "What core means") ----------------------------------
#
# Each app's ``core/`` package is plain Python: it imports nothing from Django (nor a Django
# add-on) and no project module outside a ``core/`` package, so it runs and is tested without a
# database. (The ``fortalece/core`` app is something else: the shared Django foundation.)


def _core_modules() -> list[Path]:
    return sorted(p for p in ROOT.glob("*/core/**/*.py") if "tests" not in p.parts)


def _impure_imports(path: Path) -> list[str]:
    """Imports of a core module that reach Django or a project module outside a core package
    (top level and inside functions alike; relative imports count as the module they name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names = [f"{base}.{node.module}" if node.module else base]
            elif node.module:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            django = parts[0] == "django" or parts[0].startswith("django_")
            outside = parts[0] == "fortalece" and (len(parts) < 3 or parts[2] != "core")
            if django or outside:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    return found


def test_the_core_sweep_finds_every_app_core():
    packages = {p.relative_to(ROOT).parts[0] for p in _core_modules()}
    assert {"impact", "imports", "assignments", "cascade", "geography"} <= packages


def test_app_cores_import_nothing_from_django():
    impure = [found for path in _core_modules() for found in _impure_imports(path)]
    assert not impure, (
        "An app's core/ is plain Python (docs/architecture.md): load rows in a selector or "
        "service and hand the core plain data:\n  " + "\n  ".join(impure)
    )


def test_the_core_check_sees_django_and_other_layers(tmp_path, monkeypatch):
    core = tmp_path / "impact" / "core"
    core.mkdir(parents=True)
    sample = core / "sample.py"
    sample.write_text(
        "import datetime\n"
        "from django.db import models\n"
        "from fortalece.imports.core.vocab import fold\n"
        "def f():\n"
        "    from fortalece.impact.models import Study\n"
        "    import django_tasks\n"
        "from . import scoring\n"
        "from .. import models as m\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert sorted(line.split(" imports ")[1] for line in _impure_imports(sample)) == [
        "django.db",
        "django_tasks",
        "fortalece.impact",
        "fortalece.impact.models",
    ]
