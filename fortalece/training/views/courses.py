from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.programmes.policies import programme_policy
from fortalece.training import services
from fortalece.training.forms import CourseForm
from fortalece.training.models import Course
from fortalece.training.policies import course_policy, workshop_policy


def _programme_filter(request: HttpRequest) -> int | None:
    return query_int(request.GET.get("programme"))


class CourseListView(PolicyRequiredMixin, View):
    policy = course_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        courses = self.get_queryset().annotate(workshop_count=Count("workshops"))
        programme_id = _programme_filter(request)
        programme = None
        if programme_id:
            programme = programme_policy.get_for_user(user=request.user, pk=programme_id)
            courses = courses.filter(programme=programme)
        context = {
            "programme": programme,
            "can_add": course_policy.user_has_permission(request.user, "add"),
            **paginate(request, courses.order_by("programme__name", "title")),
        }
        return render(request, "training/course_list.html", context)


class CourseDetailView(PolicyRequiredMixin, View):
    policy = course_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = self.get_object()
        workshops = workshop_policy.instances_user_has_permission_for(request.user, "view").filter(
            course=course
        )
        context = {
            "course": course,
            "workshops": workshops.order_by("-start_date")[:50],
            "can_change": course_policy.user_has_permission_for_instance(
                request.user, "change", course
            ),
            "can_add_workshop": workshop_policy.user_has_permission(request.user, "add"),
        }
        return render(request, "training/course_detail.html", context)


def _programmes(request: HttpRequest):  # type: ignore[no-untyped-def]
    return programme_policy.instances_user_has_permission_for(request.user, "change")


class CourseCreateView(PolicyRequiredMixin, View):
    policy = course_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CourseForm(
            programmes=_programmes(request), initial={"programme": _programme_filter(request)}
        )
        return render(request, "training/course_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CourseForm(request.POST, programmes=_programmes(request))
        course = call_service(form, lambda data: services.course_create(**data))
        if course is not None:
            messages.success(request, _("Course created. Now plan its workshops."))
            return redirect(course)
        return render(request, "training/course_form.html", {"form": form})


class CourseUpdateView(PolicyRequiredMixin, View):
    policy = course_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = self.get_object()
        form = CourseForm(instance=course, programmes=_programmes(request))
        return render(request, "training/course_form.html", {"form": form, "course": course})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = self.get_object()
        form = CourseForm(
            request.POST,
            # The form edits a copy: the service compares the saved course with the new values.
            instance=Course.objects.get(pk=course.pk),
            programmes=_programmes(request),
        )
        saved = call_service(form, lambda data: services.course_update(course=course, **data))
        if saved is not None:
            messages.success(request, _("Course saved."))
            return redirect(course)
        return render(request, "training/course_form.html", {"form": form, "course": course})


class CourseDeleteView(PolicyRequiredMixin, View):
    policy = course_policy
    permission_action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {"object": course, "cancel_url": course.get_absolute_url()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        course = self.get_object()
        try:
            services.course_delete(course=course)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(course)
        messages.success(request, _("Course deleted."))
        return redirect("training:course_list")
