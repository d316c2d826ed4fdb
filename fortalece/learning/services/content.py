"""Authoring a course's content: modules, items, their order, resources."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fortalece.learning import richtext
from fortalece.learning.models import CourseItem, CourseModule, ItemProgress, Resource

MAX_RESOURCE_BYTES = 20 * 1024 * 1024
RESOURCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}


def _next_position(qs: Any) -> int:
    return (qs.aggregate(m=Max("position"))["m"] or 0) + 1


def _renumber(rows: list[Any]) -> None:
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def module_create(*, course: Any, title: str, title_en: str = "") -> CourseModule:
    module = CourseModule(
        course=course,
        title=title,
        title_en=title_en,
        position=_next_position(CourseModule.objects.filter(course=course)),
    )
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def module_update(*, module: CourseModule, **fields: Any) -> CourseModule:
    for name, value in fields.items():
        setattr(module, name, value)
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def module_delete(*, module: CourseModule) -> None:
    if ItemProgress.objects.filter(item__module=module, completed_at__isnull=False).exists():
        raise ValidationError(
            _("Learners have completed items of this module: it cannot be deleted.")
        )
    module.delete()


def _move(rows: list[Any], pk: int, offset: int) -> None:
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    target = index + offset
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    _renumber(rows)


@transaction.atomic
def module_move(*, module: CourseModule, offset: int) -> None:
    rows = list(
        CourseModule.objects.select_for_update()
        .filter(course_id=module.course_id)
        .order_by("position", "id")
    )
    _move(rows, module.pk, offset)


@transaction.atomic
def item_move(*, item: CourseItem, offset: int) -> None:
    rows = list(
        CourseItem.objects.select_for_update()
        .filter(module_id=item.module_id)
        .order_by("position", "id")
    )
    _move(rows, item.pk, offset)


@transaction.atomic
def items_reorder(*, module: CourseModule, item_ids: list[int]) -> None:
    """Put a module's items in the given order (drag and drop); the ids must be exactly the
    module's items, else nothing changes."""
    rows = {row.pk: row for row in CourseItem.objects.select_for_update().filter(module=module)}
    if sorted(item_ids) != sorted(rows) or len(set(item_ids)) != len(item_ids):
        raise ValidationError(_("The order sent does not match the module's items. Reload."))
    _renumber([rows[pk] for pk in item_ids])


def _check_release_after(item: CourseItem, course_id: int) -> None:
    earlier = item.release_after
    if earlier is None:
        return
    if earlier.module.course_id != course_id:
        raise ValidationError({"release_after": _("Choose an item of the same course.")})
    if item.pk and earlier.pk == item.pk:
        raise ValidationError({"release_after": _("An item cannot wait for itself.")})
    seen = {item.pk}
    current: CourseItem | None = earlier
    while current is not None:
        if current.pk in seen:
            raise ValidationError(
                {"release_after": _("These release conditions wait for each other in a loop.")}
            )
        seen.add(current.pk)
        current = current.release_after


def _check_session(item: CourseItem, course_id: int) -> None:
    if item.kind == CourseItem.Kind.SESSION:
        if item.session is None:
            raise ValidationError({"session": _("Choose the in-person session.")})
        if item.session.workshop.course_id != course_id:
            raise ValidationError({"session": _("Choose a session of this course's workshops.")})
    elif item.session is not None:
        item.session = None


def _keep_kind_fields(item: CourseItem, had_text: bool) -> None:
    """Only lessons have text and only session items a session: what another kind was sent
    is not saved. Text an item of another kind already had (written before items had their
    own fields) may still be changed or emptied, never added."""
    if item.kind != CourseItem.Kind.LESSON and not had_text:
        item.body = ""
    if item.kind != CourseItem.Kind.SESSION:
        item.session = None


@transaction.atomic
def item_create(*, module: CourseModule, kind: str, **fields: Any) -> CourseItem:
    if kind not in CourseItem.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of item to add.")})
    fields["body"] = richtext.sanitise(fields.get("body", ""))
    item = CourseItem(
        module=module,
        kind=kind,
        position=_next_position(CourseItem.objects.filter(module=module)),
        **fields,
    )
    _keep_kind_fields(item, had_text=False)
    _check_release_after(item, module.course_id)
    _check_session(item, module.course_id)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_update(*, item: CourseItem, **fields: Any) -> CourseItem:
    kind = fields.pop("kind", item.kind)
    if kind != item.kind:
        # A quiz's questions and attempts, an assignment's submissions and grades, a lesson's
        # text and files belong to their kind: changing it would strand them.
        raise ValidationError(
            {
                "kind": _(
                    "An item's kind cannot change once it is created: add a new item of the "
                    "other kind and delete this one."
                )
            }
        )
    if "body" in fields:
        fields["body"] = richtext.sanitise(fields["body"])
    module = fields.get("module")
    if module is not None and module.course_id != item.module.course_id:
        raise ValidationError({"module": _("Choose a module of the same course.")})
    moved = module is not None and module.pk != item.module_id
    had_text = bool(item.body.strip())
    for name, value in fields.items():
        setattr(item, name, value)
    if moved:
        item.position = _next_position(CourseItem.objects.filter(module=module))
    _keep_kind_fields(item, had_text=had_text)
    _check_release_after(item, item.module.course_id)
    _check_session(item, item.module.course_id)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: CourseItem) -> None:
    if item.progress.filter(completed_at__isnull=False).exists():
        raise ValidationError(_("Learners have completed this item: it cannot be deleted."))
    for resource in item.resources.all():
        resource.file.delete(save=False)
    item.delete()


def resource_type(filename: str) -> str:
    """The content type we serve a file as, from its extension (never the browser's claim)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in RESOURCE_TYPES:
        raise ValidationError(
            _("Files of this type cannot be attached. Allowed: %(types)s")
            % {"types": ", ".join(sorted(RESOURCE_TYPES))}
        )
    return RESOURCE_TYPES[suffix]


def safe_filename(name: str) -> str:
    """A file name without any path, control characters or quotes, at most 150 characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>:/\\|?*;')
    cleaned = cleaned.strip(" .") or "file"
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and len(cleaned) > 150:
        return stem[: 149 - len(suffix)] + "." + suffix
    return cleaned[:150]


@transaction.atomic
def resource_add(*, item: CourseItem, upload: Any, title: str = "") -> Resource:
    if item.kind != CourseItem.Kind.LESSON:
        raise ValidationError(_("Files are attached to lessons only."))
    if upload.size > MAX_RESOURCE_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_RESOURCE_BYTES // 1024 // 1024}
        )
    filename = safe_filename(upload.name or "file")
    content_type = resource_type(filename)
    resource = Resource(
        item=item,
        title=(title or filename)[:200],
        filename=filename,
        content_type=content_type,
        size=upload.size,
        position=_next_position(Resource.objects.filter(item=item)),
    )
    resource.file.save(filename, upload, save=False)
    resource.save()
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource) -> None:
    resource.file.delete(save=False)
    resource.delete()
