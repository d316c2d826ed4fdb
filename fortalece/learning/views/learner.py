"""Learners take a course: their page, lessons, completion; authors preview it as a learner;
a cohort's trainers and managers follow its progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.pagination import paginate
from fortalece.learning import richtext, selectors
from fortalece.learning.models import CourseItem
from fortalece.learning.mylearning import my_learning
from fortalece.learning.policies import course_content_policy
from fortalece.learning.services import item_open, lesson_complete, session_items_sync
from fortalece.learning.services.progress import cohort_sessions, item_is_open
from fortalece.learning.views._common import allow_video_frames, error_text
from fortalece.training.models import Course
from fortalece.training.policies import workshop_policy


class MyLearningView(LoginRequiredMixin, View):
    """A learner's landing page (and the installed app's start page): what is next in each
    course, progress per course and diploma, due dates, certificates. Only one's own rows:
    everything is read through the signed-in user's own person."""

    def get(self, request: HttpRequest) -> HttpResponse:
        mine = my_learning(request.user)
        context = {
            "mine": mine,
            "enrolments": [card.enrolment for card in mine.courses],
            "awards": mine.awards,
        }
        return render(request, "learning/mine.html", context)


def _course(pk: int) -> Course:
    return get_object_or_404(Course.objects.select_related("programme"), pk=pk)


class LearnerCourseView(LoginRequiredMixin, View):
    """The learner's course page; ``preview`` shows it to authors with no progress kept."""

    preview = False

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if self.preview:
            course = course_content_policy.get_for_user(user=request.user, pk=pk)
            enrolment = None
        else:
            course = _course(pk)
            enrolment = selectors.learner_enrolment(request.user, course)
            if enrolment is None:
                raise Http404
            if session_items_sync(enrolment=enrolment):
                enrolment.refresh_from_db()
        view = selectors.learner_course(course, enrolment)
        return render(
            request,
            "learning/take_course.html",
            {"course": course, "enrolment": enrolment, "view": view, "preview": self.preview},
        )


class LearnerItemView(LoginRequiredMixin, View):
    preview = False

    def _load(self, request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
        item = get_object_or_404(
            CourseItem.objects.select_related("module__course", "release_after", "session"),
            pk=pk,
        )
        course = item.module.course
        if self.preview:
            course_content_policy.get_for_user(user=request.user, pk=course.pk)
            return item, course, None
        enrolment = selectors.learner_enrolment(request.user, course)
        if enrolment is None:
            raise Http404
        return item, course, enrolment

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item, course, enrolment = self._load(request, pk)
        progress = None
        if enrolment is not None:
            availability = item_is_open(enrolment=enrolment, item=item)
            if not availability.open:
                response = render(
                    request,
                    "learning/item_closed.html",
                    {"item": item, "course": course, "availability": availability},
                    status=403,
                )
                return response
            progress = item_open(enrolment=enrolment, item=item)
        session = item.session
        if enrolment is not None and item.kind == CourseItem.Kind.SESSION:
            session = cohort_sessions(enrolment=enrolment, items=[item])[item.pk]
        body, embedded = richtext.render(item.body, video_title=_("Video"))
        view = selectors.learner_course(course, enrolment)
        order = [row.item.pk for _m, rows in view.modules for row in rows]
        index = order.index(item.pk)
        context = {
            "item": item,
            "course": course,
            "enrolment": enrolment,
            "progress": progress,
            "body": body,
            # The outline prefetched every item's resources: no query of its own.
            "resources": view.rows[item.pk].item.resources.all(),
            "session": session,
            "preview": self.preview,
            "previous": view.rows[order[index - 1]] if index > 0 else None,
            "next": view.rows[order[index + 1]] if index + 1 < len(order) else None,
            "view": view,
        }
        response = render(request, "learning/item.html", context)
        return allow_video_frames(response) if embedded else response


class LessonCompleteView(LearnerItemView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponse(status=405)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item, course, enrolment = self._load(request, pk)
        if enrolment is None:
            raise PermissionDenied
        try:
            lesson_complete(enrolment=enrolment, item=item)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("learning:item", pk=item.pk)
        enrolment.refresh_from_db()
        if enrolment.status == enrolment.Status.COMPLETED:
            messages.success(
                request, _("You completed the course. Your certificate is ready in My learning.")
            )
            return redirect("learning:take", pk=course.pk)
        following = selectors.learner_course(course, enrolment).next_after(item.pk)
        if following is not None:
            return redirect("learning:item", pk=following)
        return redirect("learning:take", pk=course.pk)


class CohortProgressView(LoginRequiredMixin, View):
    """One cohort's learners: required items done, last activity, completion, certificate.
    Managers in scope and the cohort's own trainers only."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = workshop_policy.get_for_user(user=request.user, pk=pk, action="manage_enrolment")
        rows = selectors.cohort_progress(workshop)

        return render(
            request,
            "learning/cohort.html",
            {
                "workshop": workshop,
                "required": selectors.required_count(workshop.course),
                **paginate(request, rows),
            },
        )
