"""The assignments' part of copying, exporting and importing a course (``learning.hooks``):
rubrics, each assignment's settings and the gradebook weights. Submissions and grades are
learners' data and never travel."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fortalece.assignments import richtext
from fortalece.assignments.core.files import TYPES
from fortalece.assignments.models import Assignment, Criterion, ItemWeight, Level, Rubric

SETTINGS = (
    "late_policy",
    "late_refuse_after_days",
    "grading",
    "allow_resubmission",
    "accept_text",
    "max_files",
    "max_file_mb",
)
DECIMALS = ("late_penalty_per_day", "max_points", "pass_percent")


def _rubrics(course: Any) -> list[Rubric]:
    return list(
        Rubric.objects.filter(course=course).prefetch_related("criteria__levels").order_by("id")
    )


def export(course: Any, item_refs: dict[int, str]) -> tuple[dict[str, Any], dict[str, bytes]]:
    rubrics = _rubrics(course)
    rubric_refs = {r.pk: f"r{i}" for i, r in enumerate(rubrics, start=1)}
    data: dict[str, Any] = {
        "rubrics": [
            {
                "ref": rubric_refs[r.pk],
                "title": r.title,
                "criteria": [
                    {
                        "title": c.title,
                        "description": c.description,
                        "levels": [
                            {
                                "title": lv.title,
                                "description": lv.description,
                                "points": str(lv.points),
                            }
                            for lv in c.levels.all()
                        ],
                    }
                    for c in r.criteria.all()
                ],
            }
            for r in rubrics
        ],
        "assignments": [],
        "weights": [],
    }
    for a in Assignment.objects.filter(item__module__course=course).order_by("id"):
        if a.item_id not in item_refs:
            continue
        entry: dict[str, Any] = {
            "item": item_refs[a.item_id],
            "instructions": a.instructions,
            "due_at": a.due_at.isoformat() if a.due_at else None,
            "rubric": rubric_refs.get(a.rubric_id) if a.rubric_id else None,
            "file_types": list(a.file_types),
            **{f: getattr(a, f) for f in SETTINGS},
            **{f: str(getattr(a, f)) for f in DECIMALS},
        }
        data["assignments"].append(entry)
    for w in ItemWeight.objects.filter(item__module__course=course).order_by("id"):
        if w.item_id in item_refs:
            data["weights"].append({"item": item_refs[w.item_id], "weight": str(w.weight)})
    return data, {}


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("%(where)s: not a number") % {"where": where}) from error
    if not number.is_finite() or number < 0:
        raise ValidationError(_("%(where)s: not a number") % {"where": where})
    return number


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValidationError(_("assignments.%(key)s must be a list") % {"key": key})
    return value


def import_(course: Any, data: dict[str, Any], items: dict[str, Any], files: dict[str, bytes]):  # type: ignore[no-untyped-def]
    if not isinstance(data, dict):
        raise ValidationError(_("The assignments part must be an object."))
    rubric_by_ref: dict[str, Rubric] = {}
    for i, raw in enumerate(_list(data, "rubrics")):
        where = f"assignments.rubrics[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
            raise ValidationError(_("%(where)s: needs a title") % {"where": where})
        rubric = Rubric.objects.create(course=course, title=raw["title"][:200])
        for c_pos, c in enumerate(raw.get("criteria") or []):
            if not isinstance(c, dict) or not isinstance(c.get("title"), str):
                raise ValidationError(_("%(where)s: a criterion needs a title") % {"where": where})
            criterion = Criterion.objects.create(
                rubric=rubric,
                title=c["title"][:200],
                description=str(c.get("description") or ""),
                position=c_pos,
            )
            for l_pos, lv in enumerate(c.get("levels") or []):
                if not isinstance(lv, dict) or not isinstance(lv.get("title"), str):
                    raise ValidationError(_("%(where)s: a level needs a title") % {"where": where})
                Level.objects.create(
                    criterion=criterion,
                    title=lv["title"][:120],
                    description=str(lv.get("description") or ""),
                    points=_decimal(lv.get("points"), where),
                    position=l_pos,
                )
        rubric_by_ref[str(raw.get("ref"))] = rubric
    for i, raw in enumerate(_list(data, "assignments")):
        where = f"assignments.assignments[{i}]"
        if not isinstance(raw, dict) or raw.get("item") not in items:
            raise ValidationError(_("%(where)s: unknown item") % {"where": where})
        item = items[raw["item"]]
        if item.kind != "assignment":
            raise ValidationError(_("%(where)s: the item is not an assignment") % {"where": where})
        assignment = Assignment(item=item)
        for f in SETTINGS:
            if f in raw:
                setattr(assignment, f, raw[f])
        for f in DECIMALS:
            if f in raw:
                setattr(assignment, f, _decimal(raw[f], f"{where}.{f}"))
        assignment.instructions = richtext.sanitise(str(raw.get("instructions") or ""))
        due = raw.get("due_at")
        assignment.due_at = parse_datetime(due) if isinstance(due, str) else None
        types = raw.get("file_types", [])
        if not isinstance(types, list) or any(t not in TYPES for t in types):
            raise ValidationError(_("%(where)s: unknown file type") % {"where": where})
        assignment.file_types = types
        ref = raw.get("rubric")
        if ref is not None:
            if ref not in rubric_by_ref:
                raise ValidationError(_("%(where)s: unknown rubric") % {"where": where})
            assignment.rubric = rubric_by_ref[ref]
        try:
            assignment.full_clean(exclude=["item"])
        except ValidationError as error:
            raise ValidationError(f"{where}: {'; '.join(error.messages)}") from error
        assignment.save()
    for i, raw in enumerate(_list(data, "weights")):
        where = f"assignments.weights[{i}]"
        if not isinstance(raw, dict) or raw.get("item") not in items:
            raise ValidationError(_("%(where)s: unknown item") % {"where": where})
        ItemWeight.objects.update_or_create(
            item=items[raw["item"]], defaults={"weight": _decimal(raw.get("weight"), where)}
        )


def copy(source: Any, target: Any, items: dict[int, Any]) -> None:
    refs = {old: f"i{old}" for old in items}
    data, _files = export(source, refs)
    import_(target, data, {f"i{old}": new for old, new in items.items()}, {})
