from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils.translation import gettext as _

from fortalece.core.audit import history_actor
from fortalece.training.models import Attendance, Enrolment, Session, Workshop
from fortalece.training.services.reach import reach_refresh

S = Enrolment.Status


def _refresh_reach(pairs: Iterable[tuple[int, int]]) -> None:
    by_programme: dict[int, set[int]] = defaultdict(set)
    for programme_id, person_id in pairs:
        by_programme[programme_id].add(person_id)
    for programme_id, person_ids in by_programme.items():
        reach_refresh(programme_id=programme_id, person_ids=person_ids)


def _attended_count() -> Coalesce:
    return Coalesce(
        Subquery(
            Attendance.objects.filter(enrolment_id=OuterRef("pk"), present=True)
            .order_by()
            .values("enrolment_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def _session_count() -> Coalesce:
    return Coalesce(
        Subquery(
            Session.objects.filter(workshop_id=OuterRef("workshop_id"))
            .order_by()
            .values("workshop_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


@transaction.atomic
def enrolment_recompute(*, enrolments: QuerySet[Enrolment]) -> int:
    """Apply the completion rule to these enrolments; returns how many changed.

    The counts *and* the rule are evaluated in SQL (it mirrors
    ``completion.status_from_attendance``, the reference the tests compare it with), and only
    the rows whose status, count or completion date differ come back to Python.
    """
    # Imported records and online completions are not attendance's to change.
    enrolments = enrolments.filter(status_source=Enrolment.Source.ATTENDANCE)
    kept = [S.DROPPED, S.NOMINATED]
    threshold = F("workshop__course__completion_min_attendance")
    new_status = Case(
        When(status__in=kept, then=F("status")),
        When(attended_n__lte=0, then=Value(S.ENROLLED)),
        When(
            GreaterThan(F("sessions_n"), 0)
            & GreaterThanOrEqual(F("attended_n") * 100, threshold * F("sessions_n")),
            then=Value(S.COMPLETED),
        ),
        default=Value(S.ATTENDED),
        output_field=CharField(),
    )
    rows = (
        enrolments.order_by()
        .annotate(attended_n=_attended_count(), sessions_n=_session_count())
        .annotate(new_status=new_status)
        .annotate(
            new_completed_on=Case(
                When(new_status=S.COMPLETED, then=F("workshop__end_date")),
                default=None,
                output_field=DateField(),
            )
        )
        .filter(
            # Spelled with < and > rather than negations, which would match NULL = NULL.
            ~Q(status=F("new_status"))
            | Q(sessions_attended__lt=F("attended_n"))
            | Q(sessions_attended__gt=F("attended_n"))
            | Q(completed_on__isnull=True, new_completed_on__isnull=False)
            | Q(completed_on__isnull=False, new_completed_on__isnull=True)
            | Q(completed_on__lt=F("new_completed_on"))
            | Q(completed_on__gt=F("new_completed_on"))
        )
        .values_list(
            "pk",
            "person_id",
            "workshop__programme_id",
            "new_status",
            "attended_n",
            "new_completed_on",
        )
    )
    changed = [
        (
            Enrolment(pk=pk, status=status, sessions_attended=attended, completed_on=completed_on),
            (programme_id, person_id),
        )
        for pk, person_id, programme_id, status, attended, completed_on in rows
    ]
    Enrolment.objects.bulk_update(
        [e for e, _ in changed], ["status", "sessions_attended", "completed_on"], batch_size=1000
    )
    _refresh_reach(pair for _, pair in changed)
    return len(changed)


def _lock(workshop: Workshop) -> None:
    """Serialise enrolments into one workshop so that two clerks cannot both take the last
    place (a row lock on PostgreSQL; SQLite locks the whole database anyway)."""
    Workshop.objects.select_for_update().filter(pk=workshop.pk).values_list("pk").first()


def _check_capacity(workshop: Workshop, adding: int) -> None:
    """Nominations and dropped people take no place; everyone else does."""
    if workshop.capacity is None or adding <= 0:
        return
    taken = (
        Enrolment.objects.filter(workshop_id=workshop.pk)
        .exclude(status__in=[S.DROPPED, S.NOMINATED])
        .count()
    )
    if taken + adding > workshop.capacity:
        raise ValidationError(
            _("The workshop is full (%(taken)s of %(capacity)s places taken).")
            % {"taken": taken, "capacity": workshop.capacity}
        )


def _takes_place(status: str) -> bool:
    return status not in (S.DROPPED, S.NOMINATED)


@transaction.atomic
def enrolment_create(
    *, workshop: Workshop, person: Any, by: Any, status: str = S.ENROLLED
) -> tuple[Enrolment, bool]:
    """Enrol (or nominate) a person. Enrolling twice (a double submit, two tabs) returns the
    existing enrolment and ``created=False``; the unique constraint backs this up."""
    if status not in (S.ENROLLED, S.NOMINATED):
        raise ValidationError(_("New participants are enrolled or nominated."))
    _lock(workshop)
    existing = Enrolment.objects.filter(workshop=workshop, person=person).first()
    if existing:
        return existing, False
    if _takes_place(status):
        _check_capacity(workshop, 1)
    enrolment, created = Enrolment.objects.get_or_create(
        workshop=workshop, person=person, defaults={"status": status, "nominated_by": by}
    )
    if created:
        # Not reached yet, so a no-op today; kept so that reach never depends on the caller.
        _refresh_reach([(workshop.programme_id, enrolment.person_id)])
    return enrolment, created


@transaction.atomic
def enrolments_bulk_create(
    *, workshop: Workshop, person_ids: Iterable[int], status: str, by: Any
) -> int:
    """Enrol many people at once (imports); people already in the workshop are skipped.

    All or nothing: if the new places do not fit, nobody is enrolled. A list of people who
    attended or completed a workshop before it was in the platform keeps that status (it is
    the record; there is no attendance to recompute it from), with ``completed_on`` set to the
    workshop's end date.
    """
    if status not in S.values:
        raise ValidationError(_("Unknown enrolment status."))
    _lock(workshop)
    wanted = set(person_ids)
    already = set(
        Enrolment.objects.filter(workshop_id=workshop.pk, person_id__in=wanted).values_list(
            "person_id", flat=True
        )
    )
    new = sorted(wanted - already)
    if _takes_place(status):
        _check_capacity(workshop, len(new))
    completed_on = workshop.end_date if status == S.COMPLETED else None
    source = (
        Enrolment.Source.IMPORT
        if status in Enrolment.REACHED_STATUSES
        else Enrolment.Source.ATTENDANCE
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                workshop=workshop,
                person_id=p,
                status=status,
                nominated_by=by,
                completed_on=completed_on,
                status_source=source,
            )
            for p in new
        ],
        batch_size=1000,
    )
    if status in (S.ENROLLED, S.NOMINATED):
        # Nothing to attend yet: this is a no-op today, and keeps the rule in one place.
        enrolment_recompute(enrolments=workshop.enrolments.filter(person_id__in=new))
    _refresh_reach((workshop.programme_id, p) for p in new)
    return len(new)


@transaction.atomic
def enrolment_set_status(*, enrolment: Enrolment, status: str, by: Any) -> Enrolment:
    """Manual changes: accept a nomination, drop, or re-enrol (attendance then decides again).

    Accepting a nomination or re-enrolling someone dropped needs a free place.
    """
    with history_actor(by):
        allowed = {S.ENROLLED, S.DROPPED, S.NOMINATED}
        if status not in allowed:
            raise ValidationError(_("Attendance decides whether someone attended or completed."))
        workshop = enrolment.workshop
        if _takes_place(status) and not _takes_place(enrolment.status):
            _lock(workshop)
            _check_capacity(workshop, 1)
        enrolment.status = status
        if status == S.ENROLLED:
            # Re-enrolled: attendance decides again, whatever set the status before.
            enrolment.status_source = Enrolment.Source.ATTENDANCE
            enrolment.save(update_fields=["status", "status_source", "updated_at"])
            enrolment_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))
            enrolment.refresh_from_db(fields=["status", "sessions_attended", "completed_on"])
        else:
            enrolment.completed_on = None
            enrolment.save(update_fields=["status", "completed_on", "updated_at"])
            _refresh_reach([(workshop.programme_id, enrolment.person_id)])
        return enrolment


@transaction.atomic
def enrolment_complete_online(
    *, enrolment: Enrolment, completed_on: Any, by: Any = None
) -> Enrolment:
    """Mark an enrolment completed because its online course's rule is met (learning app).

    Idempotent; a dropped enrolment stays dropped. Reach follows in the same transaction.
    """
    with history_actor(by):
        if enrolment.status == S.COMPLETED or enrolment.status == S.DROPPED:
            return enrolment
        enrolment.status = S.COMPLETED
        enrolment.completed_on = completed_on
        enrolment.status_source = Enrolment.Source.ONLINE
        enrolment.save(update_fields=["status", "completed_on", "status_source", "updated_at"])
        _refresh_reach([(enrolment.workshop.programme_id, enrolment.person_id)])
        return enrolment


@transaction.atomic
def enrolment_delete(*, enrolment: Enrolment, by: Any) -> None:
    if hasattr(enrolment, "certificate"):
        raise ValidationError(_("A certificate was issued for this enrolment: drop it instead."))
    with history_actor(by):
        pair = (enrolment.workshop.programme_id, enrolment.person_id)
        enrolment.delete()
        _refresh_reach([pair])
