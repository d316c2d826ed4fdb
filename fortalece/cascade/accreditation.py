"""Who is accredited, who is close, whose accreditation lapses soon — counted in SQL."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fortalece.cascade.models import Accreditation, AccreditationRule, TrainerAssessment
from fortalece.people.models import Person
from fortalece.training.models import Enrolment, WorkshopTrainer

LAPSING_WITHIN_DAYS = 90


@dataclass(frozen=True)
class Criteria:
    completed_ttt: bool
    passed_assessment: bool
    cofacilitations: int
    needed_cofacilitations: int
    assessment_required: bool

    @property
    def missing(self) -> int:
        missing = 0 if self.completed_ttt else 1
        if self.assessment_required and not self.passed_assessment:
            missing += 1
        if self.cofacilitations < self.needed_cofacilitations:
            missing += 1
        return missing

    @property
    def eligible(self) -> bool:
        return self.missing == 0


def candidates(rule: AccreditationRule) -> QuerySet[Any]:
    """People who completed the train-the-trainer course, annotated with the other criteria."""

    today = timezone.localdate()
    completed = Enrolment.objects.filter(
        person=OuterRef("pk"),
        workshop__course=rule.ttt_course_id,
        status=Enrolment.Status.COMPLETED,
    )
    passed = TrainerAssessment.objects.filter(rule=rule, person=OuterRef("pk"), passed=True)
    cofacilitated = (
        WorkshopTrainer.objects.filter(
            person=OuterRef("pk"), workshop__course=rule.course_id, workshop__end_date__lte=today
        )
        .order_by()
        .values("person")
        .annotate(n=Count("workshop", distinct=True))
        .values("n")
    )
    return (
        Person.objects.filter(Exists(completed))
        .annotate(
            passed_assessment=Exists(passed),
            cofacilitations=Coalesce(
                Subquery(cofacilitated, output_field=IntegerField()), Value(0)
            ),
        )
        .select_related("institution")
    )


def criteria_for(rule: AccreditationRule, row: Any) -> Criteria:
    return Criteria(
        completed_ttt=True,
        passed_assessment=bool(row.passed_assessment),
        cofacilitations=int(row.cofacilitations),
        needed_cofacilitations=rule.min_cofacilitations,
        assessment_required=rule.requires_assessment,
    )


def accreditation_overview(
    rule: AccreditationRule, *, today: datetime.date | None = None
) -> dict[str, Any]:
    """Accredited (current), lapsing within 90 days, expired or withdrawn, and close candidates."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=LAPSING_WITHIN_DAYS)
    accreditations = Accreditation.objects.filter(rule=rule).select_related(
        "person", "person__institution"
    )
    current = Q(status=Accreditation.Status.ACTIVE) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    accredited_ids = accreditations.filter(current).values("person_id")
    close = []
    eligible = []
    for row in candidates(rule).exclude(pk__in=accredited_ids)[:200]:
        criteria = criteria_for(rule, row)
        if criteria.eligible:
            eligible.append((row, criteria))
        elif criteria.missing == 1:
            close.append((row, criteria))
    return {
        "accredited": accreditations.filter(current).order_by("expires_on"),
        "lapsing": accreditations.filter(current, expires_on__lte=soon).order_by("expires_on"),
        "lapsed": accreditations.exclude(current).order_by("-updated_at"),
        "eligible": eligible,
        "close": close,
    }


def is_accredited(*, person_id: int, course_id: int, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        Accreditation.objects.filter(
            person_id=person_id, rule__course_id=course_id, status=Accreditation.Status.ACTIVE
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exists()
    )
