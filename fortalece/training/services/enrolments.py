from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from fortalece.training.completion import status_from_attendance
from fortalece.training.models import Enrolment, Workshop


def _refresh_reach(pairs: Iterable[tuple[int, int]]) -> None:
    from fortalece.reporting.services import reach_refresh

    by_programme: dict[int, set[int]] = defaultdict(set)
    for programme_id, person_id in pairs:
        by_programme[programme_id].add(person_id)
    for programme_id, person_ids in by_programme.items():
        reach_refresh(programme_id=programme_id, person_ids=person_ids)


@transaction.atomic
def enrolment_recompute(*, enrolments: QuerySet[Enrolment]) -> int:
    """Apply the completion rule to these enrolments (counts in SQL); returns how many changed."""
    rows = (
        enrolments.annotate(
            present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
            total=Count("workshop__sessions", distinct=True),
        )
        .select_related("workshop__course")
        .only(
            "status",
            "sessions_attended",
            "completed_on",
            "person_id",
            "workshop__end_date",
            "workshop__programme_id",
            "workshop__course__completion_min_attendance",
        )
    )
    changed = []
    for enrolment in rows.iterator(chunk_size=2000):
        status = status_from_attendance(
            current=enrolment.status,
            attended=enrolment.present,
            sessions=enrolment.total,
            threshold_pct=enrolment.workshop.course.completion_min_attendance,
        )
        completed_on = enrolment.workshop.end_date if status == Enrolment.Status.COMPLETED else None
        if (
            status != enrolment.status
            or enrolment.sessions_attended != enrolment.present
            or completed_on != enrolment.completed_on
        ):
            enrolment.status = status
            enrolment.sessions_attended = enrolment.present
            enrolment.completed_on = completed_on
            changed.append(enrolment)
    Enrolment.objects.bulk_update(
        changed, ["status", "sessions_attended", "completed_on"], batch_size=1000
    )
    _refresh_reach((e.workshop.programme_id, e.person_id) for e in changed)
    return len(changed)


def _check_capacity(workshop: Workshop, adding: int) -> None:
    if workshop.capacity is None:
        return
    taken = workshop.enrolments.exclude(status=Enrolment.Status.DROPPED).count()
    if taken + adding > workshop.capacity:
        raise ValidationError(
            _("The workshop is full (%(taken)s of %(capacity)s places taken).")
            % {"taken": taken, "capacity": workshop.capacity}
        )


@transaction.atomic
def enrolment_create(
    *, workshop: Workshop, person: Any, by: Any, status: str = Enrolment.Status.ENROLLED
) -> Enrolment:
    """Enrol (or nominate) a person; enrolling twice returns the existing enrolment."""
    existing = Enrolment.objects.filter(workshop=workshop, person=person).first()
    if existing:
        return existing
    _check_capacity(workshop, 1)
    enrolment = Enrolment.objects.create(
        workshop=workshop, person=person, status=status, nominated_by=by
    )
    return enrolment


@transaction.atomic
def enrolments_bulk_create(
    *, workshop: Workshop, person_ids: Iterable[int], status: str, by: Any
) -> int:
    """Enrol many people at once (imports); people already enrolled are skipped."""
    wanted = set(person_ids)
    already = set(
        workshop.enrolments.filter(person_id__in=wanted).values_list("person_id", flat=True)
    )
    new = sorted(wanted - already)
    _check_capacity(workshop, len(new))
    Enrolment.objects.bulk_create(
        [Enrolment(workshop=workshop, person_id=p, status=status, nominated_by=by) for p in new],
        batch_size=1000,
    )
    if status in Enrolment.REACHED_STATUSES:
        _refresh_reach((workshop.programme_id, p) for p in new)
    return len(new)


@transaction.atomic
def enrolment_set_status(*, enrolment: Enrolment, status: str, by: Any) -> Enrolment:
    """Manual changes: accept a nomination, drop, or re-enrol (attendance then decides again)."""
    allowed = {Enrolment.Status.ENROLLED, Enrolment.Status.DROPPED, Enrolment.Status.NOMINATED}
    if status not in allowed:
        raise ValidationError(_("Attendance decides whether someone attended or completed."))
    enrolment.status = status
    enrolment.save(update_fields=["status", "updated_at"])
    if status == Enrolment.Status.ENROLLED:
        enrolment_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))
    else:
        enrolment.completed_on = None
        enrolment.save(update_fields=["completed_on"])
        _refresh_reach([(enrolment.workshop.programme_id, enrolment.person_id)])
    return enrolment


@transaction.atomic
def enrolment_delete(*, enrolment: Enrolment, by: Any) -> None:
    if hasattr(enrolment, "certificate"):
        raise ValidationError(_("A certificate was issued for this enrolment: drop it instead."))
    pair = (enrolment.workshop.programme_id, enrolment.person_id)
    enrolment.delete()
    _refresh_reach([pair])
