"""Copy a course (also into another programme), export it as a package, import a package.

The package is a ZIP holding ``course.json`` (schema in docs/learning.md) and the files it
names. Import is all-or-nothing: every problem is reported with where it is, and nothing is
saved unless the whole package is sound.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.learning import hooks, richtext
from fortalece.learning.models import CourseItem, CourseModule, Resource
from fortalece.learning.services.content import (
    MAX_RESOURCE_BYTES,
    RESOURCE_TYPES,
    safe_filename,
)
from fortalece.training.models import Course
from fortalece.training.services.courses import course_create

FORMAT = "fortalece-course"
SCHEMA_VERSION = 1
MAX_PACKAGE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_JSON_BYTES = 5 * 1024 * 1024
COURSE_FIELDS = (
    "title",
    "modality",
    "hours",
    "learning_objectives",
    "audience",
    "is_train_the_trainer",
    "completion_min_attendance",
)


def _copy_items(source: Course, target: Course) -> dict[int, CourseItem]:
    mapping: dict[int, CourseItem] = {}
    after: list[tuple[CourseItem, int]] = []
    for module in CourseModule.objects.filter(course=source).order_by("position", "id"):
        new_module = CourseModule.objects.create(
            course=target, title=module.title, title_en=module.title_en, position=module.position
        )
        for item in module.items.order_by("position", "id").prefetch_related("resources"):
            new = CourseItem.objects.create(
                module=new_module,
                kind=item.kind,
                title=item.title,
                title_en=item.title_en,
                position=item.position,
                required=item.required,
                release_on=item.release_on,
                duration_minutes=item.duration_minutes,
                body=item.body,
                # Sessions belong to the source's workshops, not to the copy.
                session=item.session if target.pk == source.pk else None,
            )
            mapping[item.pk] = new
            if item.release_after_id:
                after.append((new, item.release_after_id))
            for resource in item.resources.all():
                with resource.file.open("rb") as handle:
                    data = handle.read()
                copy = Resource(
                    item=new,
                    title=resource.title,
                    filename=resource.filename,
                    content_type=resource.content_type,
                    size=resource.size,
                    position=resource.position,
                )
                copy.file.save(resource.filename, ContentFile(data), save=False)
                copy.save()
    for new, old_after in after:
        new.release_after = mapping.get(old_after)
        new.save(update_fields=["release_after"])
    return mapping


@transaction.atomic
def course_copy(*, course: Course, programme: Any, title: str) -> Course:
    """A new course with the same content (modules, items, resources, extensions' parts),
    in ``programme``; cohorts, enrolments and progress are not copied."""

    fields = {name: getattr(course, name) for name in COURSE_FIELDS}
    fields["title"] = title
    copy = course_create(programme=programme, **fields)
    mapping = _copy_items(course, copy)
    for extension in hooks.extensions():
        extension.copy(course, copy, mapping)
    return copy


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def course_export(*, course: Course) -> bytes:
    """The course as a ZIP package (``course.json`` + files)."""
    files: dict[str, bytes] = {}
    refs: dict[int, str] = {}
    modules_out = []
    modules = CourseModule.objects.filter(course=course).order_by("position", "id")
    items_by_module: dict[int, list[CourseItem]] = {}
    for item in (
        CourseItem.objects.filter(module__course=course)
        .order_by("position", "id")
        .prefetch_related("resources")
    ):
        items_by_module.setdefault(item.module_id, []).append(item)
    for m_index, module in enumerate(modules, start=1):
        for i_index, item in enumerate(items_by_module.get(module.pk, []), start=1):
            refs[item.pk] = f"m{m_index}.i{i_index}"
    for m_index, module in enumerate(modules, start=1):
        items_out = []
        for item in items_by_module.get(module.pk, []):
            resources_out = []
            for r_index, resource in enumerate(item.resources.all(), start=1):
                path = f"resources/{refs[item.pk]}/{r_index}/{resource.filename}"
                with resource.file.open("rb") as handle:
                    files[path] = handle.read()
                resources_out.append({"title": resource.title, "file": path})
            items_out.append(
                {
                    "ref": refs[item.pk],
                    "kind": item.kind,
                    "title": item.title,
                    "title_en": item.title_en,
                    "required": item.required,
                    "duration_minutes": item.duration_minutes,
                    "release_on": _iso(item.release_on),
                    "release_after": refs.get(item.release_after_id)
                    if item.release_after_id
                    else None,
                    "body": item.body,
                    "resources": resources_out,
                }
            )
        modules_out.append(
            {
                "ref": f"m{m_index}",
                "title": module.title,
                "title_en": module.title_en,
                "items": items_out,
            }
        )
    extensions_out: dict[str, Any] = {}
    for extension in hooks.extensions():
        data, extra = extension.export(course, refs)
        extensions_out[extension.key] = {"version": extension.version, "data": data}
        for path, content in extra.items():
            files[f"extensions/{extension.key}/{path}"] = content
    document = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(),
        "course": {
            name: str(getattr(course, name)) if name == "hours" else getattr(course, name)
            for name in COURSE_FIELDS
        },
        "modules": modules_out,
        "extensions": extensions_out,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course.json", json.dumps(document, ensure_ascii=False, indent=1))
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()


class PackageError(ValidationError):
    """A package that cannot be imported; ``messages`` lists every problem found."""


def _read_package(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError(
            _("The package is larger than %(mb)s MB.") % {"mb": MAX_PACKAGE_BYTES // 2**20}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    # NotImplementedError: a damaged header naming a zip version zipfile does not read
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise PackageError(_("This is not a ZIP file.")) from error
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(_("The package holds more than %(n)s files.") % {"n": MAX_ENTRIES})
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise PackageError(
            _("The package unpacks to more than %(mb)s MB.") % {"mb": MAX_UNPACKED_BYTES // 2**20}
        )
    names = {i.filename: i for i in infos if not i.is_dir()}
    for name in names:
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise PackageError(
                _("The package holds an unsafe path: %(name)s") % {"name": name[:100]}
            )
    if "course.json" not in names:
        raise PackageError(_("The package has no course.json."))
    if names["course.json"].file_size > MAX_JSON_BYTES:
        raise PackageError(_("course.json is too large."))
    files: dict[str, bytes] = {}
    try:
        for name, info in names.items():
            if info.file_size > MAX_RESOURCE_BYTES and name != "course.json":
                raise PackageError(
                    _("%(name)s is larger than %(mb)s MB.")
                    % {"name": name[:100], "mb": MAX_RESOURCE_BYTES // 2**20}
                )
            with archive.open(info) as handle:
                # Read at most the declared size + 1: a lying header cannot inflate further.
                content = handle.read(info.file_size + 1)
            if len(content) != info.file_size:
                raise PackageError(_("%(name)s is damaged.") % {"name": name[:100]})
            files[name] = content
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
    ) as error:
        raise PackageError(_("The ZIP file is damaged.")) from error
    try:
        document = json.loads(files.pop("course.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(
            _("course.json is not valid JSON: %(error)s") % {"error": str(error)[:200]}
        ) from error
    if not isinstance(document, dict):
        raise PackageError(_("course.json must hold an object."))
    return document, files


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def text(
        self, obj: dict[str, Any], key: str, where: str, *, required: bool = True, limit: int = 200
    ) -> str:
        value = obj.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", _("must be text"))
            return ""
        if required and not value.strip():
            self.fail(f"{where}.{key}", _("is required"))
        if len(value) > limit:
            self.fail(f"{where}.{key}", _("is longer than %(n)s characters") % {"n": limit})
        return value

    def boolean(self, obj: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{where}.{key}", _("must be true or false"))
            return default
        return value

    def optional_int(self, obj: dict[str, Any], key: str, where: str) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100000:
            self.fail(f"{where}.{key}", _("must be a whole number"))
            return None
        return value

    def optional_date(self, obj: dict[str, Any], key: str, where: str) -> date | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{where}.{key}", _("must be a date (YYYY-MM-DD)"))
            return None


def _validate(
    document: dict[str, Any], files: dict[str, bytes]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    check = _Checker()
    if document.get("format") != FORMAT:
        raise PackageError(
            _("This is not a Fortalece course package (format %(f)r).")
            % {"f": str(document.get("format"))[:50]}
        )
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise PackageError(
            _("Schema version %(v)s is not supported: this installation reads version %(s)s.")
            % {"v": str(version)[:20], "s": SCHEMA_VERSION}
        )
    course_in = document.get("course")
    if not isinstance(course_in, dict):
        raise PackageError(_("course.json: 'course' must be an object."))
    course = {
        "title": check.text(course_in, "title", "course"),
        "learning_objectives": check.text(
            course_in, "learning_objectives", "course", required=False, limit=20000
        ),
        "audience": check.text(course_in, "audience", "course", required=False, limit=250),
        "is_train_the_trainer": check.boolean(course_in, "is_train_the_trainer", "course", False),
    }
    modality = course_in.get("modality")
    if modality not in Course.Modality.values:
        check.fail("course.modality", _("unknown modality %(v)r") % {"v": str(modality)[:30]})
    course["modality"] = modality
    from decimal import Decimal, InvalidOperation

    try:
        hours = Decimal(str(course_in.get("hours")))
        if not hours.is_finite() or hours <= 0 or hours >= 100000:
            raise InvalidOperation
        course["hours"] = hours.quantize(Decimal("0.1"))
    except InvalidOperation:
        check.fail("course.hours", _("must be a positive number"))
    pct = course_in.get("completion_min_attendance", 80)
    if not isinstance(pct, int) or isinstance(pct, bool) or not 1 <= pct <= 100:
        check.fail("course.completion_min_attendance", _("must be a whole number from 1 to 100"))
        pct = 80
    course["completion_min_attendance"] = pct

    modules_in = document.get("modules")
    if not isinstance(modules_in, list):
        raise PackageError(_("course.json: 'modules' must be a list."))
    modules: list[dict[str, Any]] = []
    refs: set[str] = set()
    for m_index, module_in in enumerate(modules_in):
        where = f"modules[{m_index}]"
        if not isinstance(module_in, dict):
            check.fail(where, _("must be an object"))
            continue
        module: dict[str, Any] = {
            "title": check.text(module_in, "title", where),
            "title_en": check.text(module_in, "title_en", where, required=False),
            "items": [],
        }
        items_in = module_in.get("items", [])
        if not isinstance(items_in, list):
            check.fail(f"{where}.items", _("must be a list"))
            items_in = []
        for i_index, item_in in enumerate(items_in):
            at = f"{where}.items[{i_index}]"
            if not isinstance(item_in, dict):
                check.fail(at, _("must be an object"))
                continue
            ref = item_in.get("ref")
            if not isinstance(ref, str) or not ref or ref in refs:
                check.fail(f"{at}.ref", _("must be a unique reference"))
            else:
                refs.add(ref)
            kind = item_in.get("kind")
            if kind not in CourseItem.Kind.values:
                check.fail(f"{at}.kind", _("unknown kind %(v)r") % {"v": str(kind)[:30]})
            resources = []
            resources_in = item_in.get("resources", [])
            if not isinstance(resources_in, list):
                check.fail(f"{at}.resources", _("must be a list"))
                resources_in = []
            for r_index, resource_in in enumerate(resources_in):
                rat = f"{at}.resources[{r_index}]"
                if not isinstance(resource_in, dict):
                    check.fail(rat, _("must be an object"))
                    continue
                path = resource_in.get("file")
                if not isinstance(path, str) or path not in files:
                    check.fail(f"{rat}.file", _("names no file in the package"))
                    continue
                filename = safe_filename(path.rsplit("/", 1)[-1])
                suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
                if suffix not in RESOURCE_TYPES:
                    check.fail(f"{rat}.file", _("files of this type cannot be attached"))
                    continue
                resources.append(
                    {
                        "title": check.text(resource_in, "title", rat, required=False) or filename,
                        "filename": filename,
                        "content_type": RESOURCE_TYPES[suffix],
                        "data": files[path],
                    }
                )
            module["items"].append(
                {
                    "ref": ref,
                    "kind": kind,
                    "title": check.text(item_in, "title", at),
                    "title_en": check.text(item_in, "title_en", at, required=False),
                    "required": check.boolean(item_in, "required", at, True),
                    "duration_minutes": check.optional_int(item_in, "duration_minutes", at),
                    "release_on": check.optional_date(item_in, "release_on", at),
                    "release_after": item_in.get("release_after"),
                    "body": richtext.sanitise(
                        check.text(item_in, "body", at, required=False, limit=500000)
                    ),
                    "resources": resources,
                    "where": at,
                }
            )
        modules.append(module)
    for module in modules:
        for item in module["items"]:
            after = item["release_after"]
            if after is not None and (after not in refs or after == item["ref"]):
                check.fail(
                    f"{item['where']}.release_after", _("names no other item of the package")
                )
    graph = {i["ref"]: i["release_after"] for m in modules for i in m["items"]}
    for start, at in ((i["ref"], i["where"]) for m in modules for i in m["items"]):
        seen, current = {start}, graph.get(start)
        while isinstance(current, str) and current in graph:
            if current in seen:
                check.fail(
                    f"{at}.release_after", _("release conditions wait for each other in a loop")
                )
                break
            seen.add(current)
            current = graph[current]
    extensions = document.get("extensions", {})
    if not isinstance(extensions, dict):
        check.fail("extensions", _("must be an object"))
    else:
        for key in extensions:
            if hooks.get(key) is None:
                check.fail(f"extensions.{key}", _("this installation cannot read this part"))
    if check.errors:
        raise PackageError(check.errors)
    return course, modules


@transaction.atomic
def course_import(*, package: bytes, programme: Any) -> Course:
    """Create a course in ``programme`` from a package, or nothing at all."""

    document, files = _read_package(package)
    course_fields, modules = _validate(document, files)
    saved: list[Resource] = []
    try:
        course = course_create(programme=programme, **course_fields)
        by_ref: dict[str, CourseItem] = {}
        pending: list[tuple[CourseItem, str]] = []
        for m_position, module_in in enumerate(modules, start=1):
            module = CourseModule.objects.create(
                course=course,
                title=module_in["title"],
                title_en=module_in["title_en"],
                position=m_position,
            )
            for i_position, item_in in enumerate(module_in["items"], start=1):
                item = CourseItem.objects.create(
                    module=module,
                    kind=item_in["kind"],
                    title=item_in["title"],
                    title_en=item_in["title_en"],
                    position=i_position,
                    required=item_in["required"],
                    duration_minutes=item_in["duration_minutes"],
                    release_on=item_in["release_on"],
                    body=item_in["body"],
                )
                by_ref[item_in["ref"]] = item
                if item_in["release_after"]:
                    pending.append((item, item_in["release_after"]))
                for r_position, resource_in in enumerate(item_in["resources"], start=1):
                    resource = Resource(
                        item=item,
                        title=resource_in["title"][:200],
                        filename=resource_in["filename"],
                        content_type=resource_in["content_type"],
                        size=len(resource_in["data"]),
                        position=r_position,
                    )
                    resource.file.save(
                        resource.filename, ContentFile(resource_in["data"]), save=False
                    )
                    saved.append(resource)
                    resource.save()
        for item, ref in pending:
            item.release_after = by_ref[ref]
            item.save(update_fields=["release_after"])
        for key, part in (document.get("extensions") or {}).items():
            extension = hooks.get(key)
            assert extension is not None  # noqa: S101 (checked in _validate)
            prefix = f"extensions/{key}/"
            extra = {p[len(prefix) :]: c for p, c in files.items() if p.startswith(prefix)}
            data = part.get("data") if isinstance(part, dict) else None
            extension.import_(course, data or {}, by_ref, extra)
    except Exception:
        for resource in saved:
            resource.file.delete(save=False)
        raise
    return course
