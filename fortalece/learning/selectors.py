"""Reads of the course engine. Each page's reads run a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from fortalece.accounts.scope import get_user_scope
from fortalece.learning import completion
from fortalece.learning.models import CourseItem, CourseModule, ItemProgress
from fortalece.training.models import Course, Enrolment, Workshop


def learner_enrolment(user: Any, course: Any) -> Enrolment | None:
    """The signed-in learner's enrolment in a cohort of ``course`` (the latest), or None.

    Dropped enrolments do not count: a learner who left a cohort no longer takes the course.
    """
    scope = get_user_scope(user)
    if scope.person_id is None:
        return None
    return (
        Enrolment.objects.filter(person_id=scope.person_id, workshop__course=course)
        .exclude(status=Enrolment.Status.DROPPED)
        .select_related("workshop", "workshop__course", "person")
        .order_by("-workshop__start_date", "-id")
        .first()
    )


def course_modules(course: Course) -> list[CourseModule]:
    """Modules with their items (and the items' resources): two or three queries."""
    items = CourseItem.objects.select_related("release_after", "session").prefetch_related(
        "resources"
    )
    return list(
        CourseModule.objects.filter(course=course)
        .order_by("position", "id")
        .prefetch_related(Prefetch("items", queryset=items.order_by("position", "id")))
    )


def item_rule(item: CourseItem) -> completion.ItemRule:
    return completion.ItemRule(item.pk, item.required, item.release_on, item.release_after_id)


@dataclass
class ItemRow:
    item: CourseItem
    availability: completion.Availability
    done: bool
    score: Any
    started: bool


@dataclass
class LearnerCourse:
    modules: list[tuple[CourseModule, list[ItemRow]]]
    progress: completion.Progress
    resume_id: int | None
    rows: dict[int, ItemRow]
    started: bool

    def next_after(self, item_id: int) -> int | None:
        """ "Mark as done and continue": the next open item not done after ``item_id`` in
        course order, then wrapping round to an earlier one left undone."""
        ids = list(self.rows)
        at = ids.index(item_id) if item_id in ids else len(ids)
        for pk in ids[at + 1 :] + ids[:at]:
            row = self.rows[pk]
            if row.availability.open and not row.done:
                return pk
        return None


def learner_course(course: Course, enrolment: Enrolment | None) -> LearnerCourse:
    """The course as a learner sees it: each item open or closed and why, done or not,
    progress (done / required) and where to resume. ``enrolment`` None: a preview."""
    modules = course_modules(course)
    progress_rows: dict[int, ItemProgress] = {}
    if enrolment is not None:
        progress_rows = {p.item_id: p for p in ItemProgress.objects.filter(enrolment=enrolment)}
    done = {i for i, p in progress_rows.items() if p.completed_at is not None}
    today = timezone.localdate()
    order = [item for module in modules for item in module.items.all()]
    rules = [item_rule(item) for item in order]
    rows: dict[int, ItemRow] = {}
    for item, rule in zip(order, rules, strict=True):
        p = progress_rows.get(item.pk)
        rows[item.pk] = ItemRow(
            item=item,
            availability=completion.item_availability(rule, today=today, done=done),
            done=item.pk in done,
            score=p.score if p else None,
            started=p is not None,
        )
    last_seen: dict[int, datetime] = {i: p.last_seen_at for i, p in progress_rows.items()}
    return LearnerCourse(
        modules=[(m, [rows[i.pk] for i in m.items.all()]) for m in modules],
        progress=completion.progress(items=rules, done=done),
        resume_id=completion.resume_item(order=rules, done=done, last_seen=last_seen, today=today),
        rows=rows,
        started=bool(progress_rows),
    )


def learner_enrolments(user: Any) -> QuerySet[Enrolment]:
    """The signed-in person's enrolments in courses with online content, with progress
    counts computed in SQL (one query)."""
    scope = get_user_scope(user)
    if scope.person_id is None:
        return Enrolment.objects.none()
    required = Count(
        "workshop__course__learning_modules__items",
        filter=Q(workshop__course__learning_modules__items__required=True),
        distinct=True,
    )
    return (
        Enrolment.objects.filter(
            person_id=scope.person_id, workshop__course__learning_modules__isnull=False
        )
        .exclude(status=Enrolment.Status.DROPPED)
        .annotate(
            required_items=required,
            done_items=Count(
                "item_progress",
                filter=Q(
                    item_progress__completed_at__isnull=False, item_progress__item__required=True
                ),
                distinct=True,
            ),
            last_seen=Max("item_progress__last_seen_at"),
        )
        .select_related("workshop__course", "certificate")
        .order_by("-workshop__start_date", "-id")
        .distinct()
    )


def authored_courses(courses: QuerySet[Course]) -> QuerySet[Course]:
    """Online and blended courses (and any with content) with module, item and cohort counts."""
    return (
        courses.filter(
            Q(modality__in=[Course.Modality.ONLINE, Course.Modality.BLENDED])
            | Q(learning_modules__isnull=False)
        )
        .annotate(
            module_count=Count("learning_modules", distinct=True),
            item_count=Count("learning_modules__items", distinct=True),
            cohort_count=Count("workshops", distinct=True),
        )
        .select_related("programme")
        .order_by("programme__name", "title")
        .distinct()
    )


def cohort_progress(workshop: Workshop) -> QuerySet[Enrolment]:
    """A cohort's learners with items done (required) and last activity: one query."""
    return (
        Enrolment.objects.filter(workshop=workshop)
        .annotate(
            done_items=Count(
                "item_progress",
                filter=Q(
                    item_progress__completed_at__isnull=False, item_progress__item__required=True
                ),
            ),
            last_seen=Max("item_progress__last_seen_at"),
        )
        .select_related("person", "certificate")
        .order_by("person__family_names", "person__given_names", "id")
    )


def required_count(course: Course) -> int:
    return CourseItem.objects.filter(module__course=course, required=True).count()
