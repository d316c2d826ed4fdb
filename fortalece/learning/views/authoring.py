"""Authors build a course's content: modules → items, order, resources, preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.learning import hooks, selectors
from fortalece.learning.forms import ItemForm, ModuleForm, ResourceForm
from fortalece.learning.models import CourseItem, CourseModule, Resource
from fortalece.learning.policies import course_content_policy, diploma_policy
from fortalece.learning.services import content
from fortalece.learning.services.progress import item_is_open
from fortalece.learning.views._common import course_for_author, error_text, item_for_author
from fortalece.training.models import Course, Session
from fortalece.training.policies import course_policy, workshop_policy


class LearningHomeView(LoginRequiredMixin, View):
    """Online courses the user may author or follow; learners go to their own page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not course_content_policy.user_has_permission(request.user, "view"):
            return redirect("learning:my_learning")
        courses = selectors.authored_courses(
            course_content_policy.instances_user_has_permission_for(request.user, "view")
        )

        context = {
            "can_author": course_content_policy.user_has_permission(request.user, "author"),
            # Trainers author the content of their programme's courses but create none.
            "can_create_course": course_policy.user_has_permission(request.user, "add"),
            "can_diplomas": diploma_policy.user_has_permission(request.user, "view"),
            **paginate(request, courses),
        }
        return render(request, "learning/home.html", context)


def addable_kinds(course: Any) -> list[tuple[str, Any]]:
    """The kinds of item an author may add: a session item to a course in person or blended,
    or to an online one whose cohorts do meet; not to an online course without sessions,
    where the session picker could only say there are none (one query)."""
    sessions = course.modality != Course.Modality.ONLINE or (
        Session.objects.filter(workshop__course=course).exists()
    )
    return [
        (value, label)
        for value, label in CourseItem.Kind.choices
        if value != CourseItem.Kind.SESSION or sessions
    ]


def _outline_context(request: HttpRequest, course) -> dict:  # type: ignore[no-untyped-def]
    return {
        "course": course,
        "modules": selectors.course_modules(course),
        "module_form": ModuleForm(),
        "kinds": addable_kinds(course),
    }


class CourseContentView(LoginRequiredMixin, View):
    """The author's page of a course: outline, cohorts, preview, copy, export."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = course_content_policy.get_for_user(user=request.user, pk=pk)
        can_author = course_content_policy.user_has_permission_for_instance(
            request.user, "author", course
        )
        cohorts = (
            workshop_policy.instances_user_has_permission_for(request.user, "manage_enrolment")
            .filter(course=course)
            .order_by("-start_date")[:50]
        )
        context = _outline_context(request, course) | {
            "can_author": can_author,
            "cohorts": cohorts,
            "can_add_cohort": workshop_policy.user_has_permission(request.user, "add"),
        }
        return render(request, "learning/course_content.html", context)


def _outline_response(request: HttpRequest, course) -> HttpResponse:  # type: ignore[no-untyped-def]
    if request.htmx:  # type: ignore[attr-defined]
        context = _outline_context(request, course) | {"can_author": True}
        return render(request, "learning/_outline.html", context)
    return redirect("learning:course", pk=course.pk)


class ModuleCreateView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = course_for_author(request, pk)
        form = ModuleForm(request.POST)
        if form.is_valid():
            content.module_create(course=course, **form.cleaned_data)
            messages.success(request, _("Module added."))
        else:
            messages.error(request, _("A module needs a title."))
        return redirect("learning:course", pk=course.pk)


class ModuleUpdateView(LoginRequiredMixin, View):
    def _module(self, request: HttpRequest, pk: int) -> CourseModule:
        module = get_object_or_404(CourseModule.objects.select_related("course"), pk=pk)
        course_for_author(request, module.course_id)
        return module

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        return render(
            request,
            "learning/module_form.html",
            {"form": ModuleForm(instance=module), "module": module},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        form = ModuleForm(request.POST, instance=module)
        saved = call_service(form, lambda data: content.module_update(module=module, **data))
        if saved is not None:
            return redirect("learning:course", pk=module.course_id)
        return render(request, "learning/module_form.html", {"form": form, "module": module})


class ModuleDeleteView(ModuleUpdateView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        return render(
            request,
            "core/confirm_delete.html",
            {"object": module, "cancel_url": reverse("learning:course", args=[module.course_id])},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        try:
            content.module_delete(module=module)
            messages.success(request, _("Module deleted."))
        except ValidationError as error:
            messages.error(request, error_text(error))
        return redirect("learning:course", pk=module.course_id)


def _offset(request: HttpRequest) -> int:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise ValidationError(_("Move up or down."))
    return -1 if direction == "up" else 1


class ModuleMoveView(ModuleUpdateView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponse(status=405)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        try:
            content.module_move(module=module, offset=_offset(request))
        except ValidationError:
            return HttpResponseBadRequest()
        return _outline_response(request, module.course)


def _form_context(form: ItemForm, course, item: CourseItem | None = None) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {
        "form": form,
        "course": course,
        "item": item,
        "kind": form.kind,
        "kind_label": CourseItem.Kind(form.kind).label,
        "has_body": "body" in form.fields,
    }


# What the author reads when choosing what to add (the outline's "Add: …" links go straight
# to the form of their kind).
KIND_HELP: dict[str, Any] = {
    CourseItem.Kind.LESSON: gettext_lazy(
        "Formatted text with headings, lists, images, video links and downloadable files."
    ),
    CourseItem.Kind.QUIZ: gettext_lazy(
        "Questions drawn from the course's question bank, scored on the server. Its "
        "questions and settings come next."
    ),
    CourseItem.Kind.ASSIGNMENT: gettext_lazy(
        "Learners hand in text or files; trainers grade with points or a rubric. Its "
        "instructions and grading come next."
    ),
    CourseItem.Kind.SESSION: gettext_lazy(
        "A session of one of this course's cohorts (blended courses): attending it completes "
        "the item."
    ),
}

ADDED: dict[str, Any] = {
    CourseItem.Kind.LESSON: gettext_lazy("Lesson added. You can attach files to it below."),
    CourseItem.Kind.QUIZ: gettext_lazy("Quiz added. Now choose its questions and settings."),
    CourseItem.Kind.ASSIGNMENT: gettext_lazy(
        "Assignment added. Now write its instructions and say how it is graded."
    ),
    CourseItem.Kind.SESSION: gettext_lazy("In-person session added."),
}


class ItemCreateView(LoginRequiredMixin, View):
    """Add an item: the kind first (``?kind=``, from the outline), then that kind's form.
    After a quiz or an assignment the author lands on its own settings page."""

    def _module(self, request: HttpRequest, pk: int) -> CourseModule:
        module = get_object_or_404(CourseModule.objects.select_related("course"), pk=pk)
        course_for_author(request, module.course_id)
        return module

    def _choose(
        self, request: HttpRequest, module: CourseModule, status: int = 200
    ) -> HttpResponse:
        kinds = [(value, label, KIND_HELP[value]) for value, label in addable_kinds(module.course)]
        return render(
            request,
            "learning/item_kind.html",
            {"module": module, "course": module.course, "kinds": kinds},
            status=status,
        )

    def _form(self, module: CourseModule, kind: str, data=None) -> ItemForm:  # type: ignore[no-untyped-def]
        return ItemForm(
            data,
            course=module.course,
            kind=kind,
            instance=CourseItem(kind=kind),
            initial={"module": module},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        kind = request.GET.get("kind")
        if kind not in CourseItem.Kind.values:
            return self._choose(request, module)
        form = self._form(module, kind)
        context = _form_context(form, module.course) | {"module": module}
        return render(request, "learning/item_form.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        kind = request.POST.get("kind") or request.GET.get("kind")
        if kind not in CourseItem.Kind.values:
            messages.error(request, _("Choose what kind of item to add."))
            return self._choose(request, module, status=400)
        form = self._form(module, kind, request.POST)
        item = call_service(form, lambda data: content.item_create(kind=kind, **data))
        if item is not None:
            return self._added(request, item)
        context = _form_context(form, module.course) | {"module": module}
        return render(request, "learning/item_form.html", context)

    def _added(self, request: HttpRequest, item: CourseItem) -> HttpResponse:
        setup = hooks.item_setup_link(request.user, item)
        if setup is not None:
            messages.success(request, ADDED[item.kind])
            return redirect(setup[1])
        if item.kind == CourseItem.Kind.SESSION:
            messages.success(request, ADDED[item.kind])
            return redirect("learning:course", pk=item.module.course_id)
        if item.kind == CourseItem.Kind.LESSON:
            messages.success(request, ADDED[item.kind])
        else:
            messages.success(request, _("Item added."))
        return redirect("learning:item_edit", pk=item.pk)


class ItemUpdateView(LoginRequiredMixin, View):
    """Edit an item with its kind's fields; the kind itself never changes."""

    def _context(self, request: HttpRequest, item: CourseItem, form: ItemForm) -> dict:  # type: ignore[type-arg]
        resources = item.resources.all()
        return _form_context(form, item.module.course, item) | {
            "resources": resources,
            # Files belong to lessons; another kind's files from before can still be removed.
            "can_attach": item.kind == CourseItem.Kind.LESSON,
            "resource_form": ResourceForm(),
            "setup": hooks.item_setup_link(request.user, item),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = item_for_author(request, pk)
        form = ItemForm(instance=item, course=item.module.course, kind=item.kind)
        return render(request, "learning/item_form.html", self._context(request, item, form))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = item_for_author(request, pk)
        form = ItemForm(
            request.POST,
            # The form edits a copy: the service compares the saved item's module with the new
            # one (a moved item goes to the end of its new module).
            instance=CourseItem.objects.get(pk=item.pk),
            course=item.module.course,
            kind=item.kind,
        )
        # A kind sent with the form (an old page, a crafted request) is checked, not
        # ignored: the service refuses a change of kind with a clear message.
        kind = request.POST.get("kind") or item.kind
        saved = call_service(form, lambda data: content.item_update(item=item, kind=kind, **data))
        if saved is not None:
            messages.success(request, _("Item saved."))
            return redirect("learning:course", pk=item.module.course_id)
        item.refresh_from_db()
        return render(request, "learning/item_form.html", self._context(request, item, form))


class ItemDeleteView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = item_for_author(request, pk)
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": item,
                "cancel_url": reverse("learning:course", args=[item.module.course_id]),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = item_for_author(request, pk)
        try:
            content.item_delete(item=item)
            messages.success(request, _("Item deleted."))
        except ValidationError as error:
            messages.error(request, error_text(error))
        return redirect("learning:course", pk=item.module.course_id)


class ItemMoveView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = item_for_author(request, pk)
        try:
            content.item_move(item=item, offset=_offset(request))
        except ValidationError:
            return HttpResponseBadRequest()
        return _outline_response(request, item.module.course)


class ModuleReorderView(ModuleUpdateView):
    """Drag and drop: the module's item ids in their new order."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponse(status=405)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        module = self._module(request, pk)
        raw = request.POST.getlist("item")
        item_ids = [number for number in map(query_int, raw) if number is not None]
        if len(item_ids) != len(raw):
            return HttpResponseBadRequest()
        try:
            content.items_reorder(module=module, item_ids=item_ids)
        except ValidationError as error:
            return HttpResponseBadRequest(error_text(error))
        return _outline_response(request, module.course)


class ResourceUploadView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = item_for_author(request, pk)
        form = ResourceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                content.resource_add(
                    item=item,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
                messages.success(request, _("File attached."))
            except ValidationError as error:
                messages.error(request, error_text(error))
        else:
            messages.error(request, _("Choose a file to attach."))
        return redirect("learning:item_edit", pk=item.pk)


class ResourceDeleteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        resource = get_object_or_404(Resource.objects.select_related("item__module"), pk=pk)
        course_for_author(request, resource.item.module.course_id)
        content.resource_delete(resource=resource)
        messages.success(request, _("File removed."))
        return redirect("learning:item_edit", pk=resource.item_id)


class ResourceDownloadView(LoginRequiredMixin, View):
    """Files are private: authors and staff of the course, or a learner of it whose item is
    open, get the file; everybody else a 404."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse | FileResponse:  # type: ignore[override]
        resource = get_object_or_404(Resource.objects.select_related("item__module__course"), pk=pk)
        course = resource.item.module.course
        staff = course_content_policy.instances_user_has_permission_for(request.user, "view")
        if not staff.filter(pk=course.pk).exists():
            enrolment = selectors.learner_enrolment(request.user, course)
            if enrolment is None:
                from django.http import Http404

                raise Http404
            if not item_is_open(enrolment=enrolment, item=resource.item).open:
                raise PermissionDenied
        inline = (
            resource.content_type.startswith("image/")
            and resource.content_type in content.IMAGE_TYPES
        )
        response = FileResponse(
            resource.file.open("rb"),
            content_type=resource.content_type,
            as_attachment=not inline,
            filename=resource.filename,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
