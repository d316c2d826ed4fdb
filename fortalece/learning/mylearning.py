"""Reads for a learner's "My learning" page: what is next in each course, progress per course
and per diploma, due dates and certificates.

A fixed number of queries however many courses the learner takes: every read below loads
the rows of all the learner's courses at once, and the rules run in ``completion`` (pure).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fortalece.accounts.scope import get_user_scope
from fortalece.learning import completion, hooks
from fortalece.learning.models import CourseItem, Diploma, DiplomaAward, ItemProgress
from fortalece.learning.selectors import item_rule, learner_enrolments
from fortalece.training.models import Enrolment

# Due dates further back than this are no longer shown (the work is past helping).
OVERDUE_SHOWN = timedelta(days=14)


def item_url(item: CourseItem) -> str:
    """Where one tap on an item takes a learner: its quiz or assignment page, else the item."""
    if item.kind == CourseItem.Kind.QUIZ:
        return reverse("quizzes:quiz", args=[item.pk])
    assignment = getattr(item, "assignment", None) if item.kind == "assignment" else None
    if assignment is not None:
        return reverse("assignments:detail", args=[assignment.pk])
    return reverse("learning:item", args=[item.pk])


@dataclass
class CourseCard:
    enrolment: Enrolment
    progress: completion.Progress
    next_item: CourseItem | None
    next_url: str
    started: bool

    @property
    def completed(self) -> bool:
        return self.enrolment.status == Enrolment.Status.COMPLETED


@dataclass
class Due:
    item: CourseItem
    course_title: str
    at: datetime
    url: str
    overdue: bool


@dataclass
class DiplomaCard:
    diploma: Diploma
    progress: completion.Progress
    award: DiplomaAward | None


@dataclass
class MyLearning:
    courses: list[CourseCard] = field(default_factory=list)
    due: list[Due] = field(default_factory=list)
    diplomas: list[DiplomaCard] = field(default_factory=list)
    certificates: list[Any] = field(default_factory=list)
    awards: list[DiplomaAward] = field(default_factory=list)

    @property
    def next_up(self) -> list[CourseCard]:
        """Courses still in progress with something open to do, most recently active first."""
        active = [c for c in self.courses if not c.completed and c.next_item is not None]
        return sorted(active, key=_last_active, reverse=True)


def _last_active(card: CourseCard) -> float:
    seen = getattr(card.enrolment, "last_seen", None)  # annotated by learner_enrolments
    return seen.timestamp() if seen else 0.0


def my_learning(user: Any, *, now: datetime | None = None) -> MyLearning:
    scope = get_user_scope(user)
    if scope.person_id is None:
        return MyLearning()
    now = now or timezone.now()
    today = timezone.localdate(now)
    # One enrolment per course, the latest (as ``learner_enrolment`` picks it).
    enrolments: dict[int, Enrolment] = {}
    for enrolment in learner_enrolments(user):
        enrolments.setdefault(enrolment.workshop.course_id, enrolment)
    course_ids = list(enrolments)
    items = list(
        CourseItem.objects.filter(module__course_id__in=course_ids)
        .select_related("module", "assignment", "quiz")
        .order_by("module__course_id", "module__position", "module_id", "position", "id")
    )
    progress = ItemProgress.objects.filter(
        enrolment_id__in=[e.pk for e in enrolments.values()]
    ).values_list("enrolment_id", "item_id", "completed_at", "last_seen_at")
    done: dict[int, set[int]] = defaultdict(set)
    seen: dict[int, dict[int, datetime]] = defaultdict(dict)
    for enrolment_id, item_id, completed_at, last_seen_at in progress:
        if completed_at is not None:
            done[enrolment_id].add(item_id)
        seen[enrolment_id][item_id] = last_seen_at
    by_course: dict[int, list[CourseItem]] = defaultdict(list)
    for item in items:
        by_course[item.module.course_id].append(item)
    handed_in = hooks.handed_in([e.pk for e in enrolments.values()])

    result = MyLearning()
    for course_id, enrolment in enrolments.items():
        order = by_course[course_id]
        rules = [item_rule(i) for i in order]
        finished = done[enrolment.pk]
        resume = completion.resume_item(
            order=rules, done=finished, last_seen=seen[enrolment.pk], today=today
        )
        next_item = next((i for i in order if i.pk == resume), None)
        result.courses.append(
            CourseCard(
                enrolment=enrolment,
                progress=completion.progress(items=rules, done=finished),
                next_item=next_item,
                next_url=item_url(next_item) if next_item else "",
                started=bool(seen[enrolment.pk]),
            )
        )
        if enrolment.status == Enrolment.Status.COMPLETED:
            continue
        for item, rule in zip(order, rules, strict=True):
            at = _due_at(item)
            if at is None or item.pk in finished or (enrolment.pk, item.pk) in handed_in:
                continue
            if at < now - OVERDUE_SHOWN:
                continue
            if not completion.item_availability(rule, today=today, done=finished).open:
                continue
            result.due.append(
                Due(item, enrolment.workshop.course.title, at, item_url(item), at < now)
            )
    result.due.sort(key=lambda d: d.at)
    result.certificates = [
        e.certificate
        for e in enrolments.values()
        if getattr(e, "certificate", None) is not None and e.certificate.revoked_at is None
    ]
    result.awards = list(
        DiplomaAward.objects.filter(person_id=scope.person_id).select_related("diploma")
    )
    result.diplomas = _diplomas(scope.person_id, result.awards)
    return result


def _due_at(item: CourseItem) -> datetime | None:
    if item.kind == CourseItem.Kind.ASSIGNMENT:
        assignment = getattr(item, "assignment", None)
        return assignment.due_at if assignment else None
    if item.kind == CourseItem.Kind.QUIZ:
        quiz = getattr(item, "quiz", None)
        return quiz.closes_at if quiz else None
    return None


def _diplomas(person_id: int, awards: list[DiplomaAward]) -> list[DiplomaCard]:
    """Diplomas one of whose courses the person took, with how many of its courses count."""
    taken = Enrolment.objects.filter(person_id=person_id).exclude(status=Enrolment.Status.DROPPED)
    finished = taken.filter(status=Enrolment.Status.COMPLETED)
    completed = set(finished.values_list("workshop__course_id", flat=True))
    diplomas = (
        Diploma.objects.filter(
            Q(entries__course__workshops__enrolments__in=taken.values("pk"))
            | Q(awards__person_id=person_id)
        )
        .prefetch_related("entries")
        .distinct()
        .order_by("title", "id")
    )
    award_of = {a.diploma_id: a for a in awards}
    cards = []
    for diploma in diplomas:
        entries = [(e.course_id, e.required) for e in diploma.entries.all()]
        cards.append(
            DiplomaCard(
                diploma=diploma,
                progress=completion.diploma_progress(
                    rule=diploma.completion_rule,
                    entries=entries,
                    completed_courses=completed,
                    courses_needed=diploma.courses_needed,
                ),
                award=award_of.get(diploma.pk),
            )
        )
    return cards
