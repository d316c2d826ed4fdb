"""Authors set assignments and rubrics up; trainers grade from their queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fortalece.assignments import services
from fortalece.assignments.access import may_author
from fortalece.assignments.core.rubric_text import ParsedCriterion, ParsedLevel, rubric_to_text
from fortalece.assignments.forms import AssignmentForm, GradeForm, RubricForm
from fortalece.assignments.models import Assignment, Criterion, Grade, Level, Rubric
from fortalece.assignments.policies import (
    assignment_policy,
    rubric_policy,
    submission_policy,
)
from fortalece.assignments.selectors import grading_queue, learner_attempts
from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.learning.models import CourseItem
from fortalece.training.models import Course


def _author_item(request: HttpRequest, item_pk: int) -> CourseItem:
    item = (
        CourseItem.objects.select_related("module__course__programme")
        .filter(pk=item_pk, kind=CourseItem.Kind.ASSIGNMENT)
        .first()
    )
    if item is None or not may_author(request.user, item.module.course):
        raise Http404
    return item


@login_required
def assignment_setup(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Instructions, due date, late policy, grading and files of an assignment item."""
    item = _author_item(request, item_pk)
    course = item.module.course
    assignment = Assignment.objects.filter(item=item).first() or Assignment(item=item)
    initial = {"file_types": assignment.file_types}
    form = AssignmentForm(request.POST or None, instance=assignment, course=course, initial=initial)

    def save(data: dict[str, Any]) -> Assignment:
        # A valid ModelForm has already put its values on its instance (nothing is written).
        updated = form.instance
        updated.file_types = data["file_types"]
        return services.assignment_save(assignment=updated)

    # On GET the form is unbound, so not valid: nothing is saved.
    saved = call_service(form, save)
    if saved is not None:
        messages.success(request, _("Assignment saved."))
        return redirect("assignments:detail", pk=saved.pk)
    return render(
        request,
        "assignments/setup.html",
        {"form": form, "item": item, "course": course, "assignment": assignment},
    )


@login_required
def rubric_list(request: HttpRequest, course_pk: int) -> HttpResponse:
    course = Course.objects.filter(pk=course_pk).first()
    if course is None or not may_author(request.user, course):
        raise Http404
    rubrics = (
        Rubric.objects.filter(course=course)
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.prefetch_related("levels"))
        )
        .order_by("title", "id")
    )
    return render(request, "assignments/rubric_list.html", {"course": course, "rubrics": rubrics})


@login_required
def rubric_edit(request: HttpRequest, course_pk: int, pk: int | None = None) -> HttpResponse:
    course = Course.objects.filter(pk=course_pk).first()
    if course is None or not may_author(request.user, course):
        raise Http404
    rubric = None
    initial = {}
    if pk is not None:
        rubric = rubric_policy.get_for_user(
            user=request.user, pk=pk, action="change", queryset=Rubric.objects.filter(course=course)
        )
        criteria = rubric.criteria.prefetch_related(
            Prefetch("levels", queryset=Level.objects.order_by("position", "id"))
        )
        parsed = [
            ParsedCriterion(
                c.title, tuple(ParsedLevel(lv.title, lv.points) for lv in c.levels.all())
            )
            for c in criteria
        ]
        initial = {"title": rubric.title, "text": rubric_to_text(parsed)}
    form = RubricForm(request.POST or None, initial=initial)
    # On GET the form is unbound, so not valid: nothing is saved.
    saved = call_service(
        form,
        lambda data: services.rubric_save(
            course=course, rubric=rubric, title=data["title"], criteria=data["criteria"]
        ),
    )
    if saved is not None:
        messages.success(request, _("Rubric saved."))
        return redirect("assignments:rubric_list", course_pk=course.pk)
    return render(
        request, "assignments/rubric_form.html", {"form": form, "course": course, "rubric": rubric}
    )


@login_required
def grading_queue_view(request: HttpRequest) -> HttpResponse:
    """Work waiting for a grade in the cohorts the user grades (trainers: their own only)."""
    if not submission_policy.user_has_permission(request.user, "grade"):
        raise PermissionDenied
    gradable = submission_policy.instances_user_has_permission_for(request.user, "grade")
    courses = Course.objects.filter(
        pk__in=gradable.values("enrolment__workshop__course_id")
    ).order_by("title")
    course_id = query_int(request.GET.get("course")) or 0
    queue = grading_queue(gradable, course_id=course_id or None)
    context = {
        **paginate(request, queue),
        "courses": courses,
        "course_id": course_id,
    }
    return render(request, "assignments/queue.html", context)


@login_required
def submission_grade(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_policy.get_for_user(user=request.user, pk=pk, action="grade")
    assignment = assignment_policy.base_queryset().get(pk=submission.assignment_id)
    criteria = []
    if assignment.grading == Assignment.Grading.RUBRIC and assignment.rubric_id:
        criteria = list(
            Criterion.objects.filter(rubric_id=assignment.rubric_id)
            .prefetch_related(Prefetch("levels", queryset=Level.objects.order_by("position", "id")))
            .order_by("position", "id")
        )
    existing = Grade.objects.filter(submission=submission).prefetch_related("selections").first()
    initial = {}
    if existing is not None:
        initial = {
            "feedback": existing.feedback,
            "allow_resubmission": existing.resubmission_allowed,
            "points": existing.points,
            **{f"c{s.criterion_id}": s.level_id for s in existing.selections.all()},
        }
    form = GradeForm(
        request.POST or None, assignment=assignment, criteria=criteria, initial=initial
    )
    # On GET the form is unbound, so not valid: nothing is graded.
    grade = call_service(
        form,
        lambda data: services.submission_grade(
            submission=submission,
            by=request.user,
            points=data.get("points"),
            selections=form.selections() if criteria else None,
            feedback=data["feedback"],
            allow_resubmission=data["allow_resubmission"],
        ),
    )
    if grade is not None:
        if grade.passed:
            messages.success(request, _("Graded: passed. The learner sees the grade now."))
        else:
            messages.success(request, _("Graded: not passed. The learner sees the grade now."))
        return redirect("assignments:queue")
    attempts = learner_attempts(assignment=assignment, enrolment=submission.enrolment)
    return render(
        request,
        "assignments/grade.html",
        {
            "submission": submission,
            "assignment": assignment,
            "attempts": attempts,
            "form": form,
        },
    )
