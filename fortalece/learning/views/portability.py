"""Copy a course, export it as a package, import a package."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.views_forms import call_service
from fortalece.learning.forms import CopyForm, ImportForm
from fortalece.learning.policies import course_content_policy
from fortalece.learning.services import portability
from fortalece.learning.views._common import course_for_author


def _author_programmes(request: HttpRequest):  # type: ignore[no-untyped-def]
    return course_content_policy.author_programmes(request.user)


class CourseCopyView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = course_for_author(request, pk)
        form = CopyForm(
            programmes=_author_programmes(request),
            initial={
                "programme": course.programme_id,
                "title": _("%(title)s (copy)") % {"title": course.title},
            },
        )
        return render(request, "learning/copy.html", {"form": form, "course": course})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = course_for_author(request, pk)
        form = CopyForm(request.POST, programmes=_author_programmes(request))
        copy = call_service(form, lambda data: portability.course_copy(course=course, **data))
        if copy is not None:
            messages.success(request, _("Course copied. Plan a cohort to offer it."))
            return redirect("learning:course", pk=copy.pk)
        return render(request, "learning/copy.html", {"form": form, "course": course})


class CourseExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = course_for_author(request, pk)
        data = portability.course_export(course=course)
        response = HttpResponse(data, content_type="application/zip")
        name = slugify(course.title)[:60] or "course"
        response["Content-Disposition"] = f'attachment; filename="{name}.fortalece-course.zip"'
        return response


class CourseImportView(LoginRequiredMixin, View):
    def _check(self, request: HttpRequest) -> None:
        if not course_content_policy.user_has_permission(request.user, "author"):
            raise PermissionDenied

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = ImportForm(programmes=_author_programmes(request))
        return render(request, "learning/import.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = ImportForm(request.POST, request.FILES, programmes=_author_programmes(request))
        errors: list[str] = []
        if form.is_valid():
            upload = form.cleaned_data["package"]
            if upload.size > portability.MAX_PACKAGE_BYTES:
                errors = [
                    _("The package is larger than %(mb)s MB.")
                    % {"mb": portability.MAX_PACKAGE_BYTES // 2**20}
                ]
            else:
                try:
                    course = portability.course_import(
                        package=upload.read(),
                        programme=form.cleaned_data["programme"],
                    )
                except ValidationError as error:
                    errors = error.messages
                else:
                    messages.success(request, _("Course imported."))
                    return redirect("learning:course", pk=course.pk)
        return render(
            request,
            "learning/import.html",
            {"form": form, "errors": errors},
            status=400 if errors else 200,
        )
