"""Views write nothing: every write is a service's (issue 14; docs/architecture.md, "Views")."""

import ast
from pathlib import Path

from fortalece.core.tests.test_layers import ROOT, _view_modules

# Methods that write when called on a model, a manager or a queryset.
WRITES = frozenset(
    {
        "save",
        "delete",
        "create",
        "update",
        "update_or_create",
        "get_or_create",
        "bulk_create",
        "bulk_update",
    }
)

# Receivers (the name before ``.method(``) that are not database objects, and why.
NOT_THE_DATABASE = {
    "context": "a dict of template variables (get_context_data)",
    "initial": "a dict of a form's initial values",
    "qr": "a segno QR code, saved to an in-memory buffer",
}


def _writes(path: Path) -> list[str]:
    """``line: receiver.method`` for each call of a writing method on anything not allowed."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES:
            continue
        receiver = node.func.value
        if isinstance(receiver, ast.Name) and receiver.id in NOT_THE_DATABASE:
            continue
        found.append(f"{node.lineno}: {ast.unparse(node.func)}")
    return found


def test_no_view_module_writes_to_the_database():
    offenders = {
        str(path.relative_to(ROOT)): writes for path in _view_modules() if (writes := _writes(path))
    }
    assert not offenders, (
        "A view writes nothing itself: move the write into the app's services (keyword-only, "
        "named <entity>_<action>) and call it, with call_service for a form. A receiver that "
        f"is not the database goes in NOT_THE_DATABASE with its reason: {offenders}"
    )


def test_the_write_check_sees_saves_and_querysets_but_not_dicts(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def f(request, form, job):\n"
        "    context = {}\n"
        "    context.update(a=1)\n"
        "    job.save(update_fields=['status'])\n"
        "    Job.objects.filter(pk=1).update(status='x')\n"
        "    Pref.objects.update_or_create(user=1)\n"
        "    form.save(commit=False)\n"
        "    rows = list(Job.objects.all())\n"
    )
    assert _writes(sample) == [
        "4: job.save",
        "5: Job.objects.filter(pk=1).update",
        "6: Pref.objects.update_or_create",
        "7: form.save",
    ]


def test_every_allowed_receiver_says_why():
    assert all(reason.strip() for reason in NOT_THE_DATABASE.values())
