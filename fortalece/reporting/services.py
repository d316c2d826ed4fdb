"""Keeps ``ProgrammeReach`` (one row per person reached per programme) in step with enrolments.

Every service that changes enrolments, attendance or a person's sex/profession/institution
calls ``reach_refresh`` for the people it touched, inside its own transaction. The rows are
recomputed from the enrolments table with set-based SQL, so refreshing 1 or 100,000 people
costs a handful of queries.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min

from fortalece.reporting.models import ProgrammeReach

CHUNK = 5000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@transaction.atomic
def reach_refresh(*, programme_id: int, person_ids: Iterable[int]) -> None:
    """Recompute the reach rows of ``person_ids`` in one programme."""
    from fortalece.people.models import Person
    from fortalece.training.models import Enrolment

    ids = sorted(set(person_ids))
    for chunk in _chunks(ids):
        reached = (
            Enrolment.objects.filter(
                workshop__programme_id=programme_id,
                person_id__in=chunk,
                status__in=Enrolment.REACHED_STATUSES,
            )
            .values("person_id")
            .annotate(first=Min("workshop__start_date"))
        )
        first_by_person = {row["person_id"]: row["first"] for row in reached}
        completed = set(
            Enrolment.objects.filter(
                workshop__programme_id=programme_id,
                person_id__in=list(first_by_person),
                status=Enrolment.Status.COMPLETED,
            ).values_list("person_id", flat=True)
        )
        ProgrammeReach.objects.filter(programme_id=programme_id, person_id__in=chunk).exclude(
            person_id__in=list(first_by_person)
        ).delete()
        people = Person.objects.filter(pk__in=list(first_by_person)).values(
            "pk", "sex", "profession", "institution__subdivision_id"
        )
        rows = [
            ProgrammeReach(
                programme_id=programme_id,
                person_id=p["pk"],
                sex=p["sex"],
                profession=p["profession"],
                subdivision_id=p["institution__subdivision_id"],
                first_reached_on=first_by_person[p["pk"]],
                completed=p["pk"] in completed,
            )
            for p in people
        ]
        ProgrammeReach.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["programme", "person"],
            update_fields=["sex", "profession", "subdivision", "first_reached_on", "completed"],
        )


def reach_refresh_people(*, person_ids: Iterable[int]) -> None:
    """Refresh every programme a person has enrolments in (after an edit or a merge)."""
    from fortalece.training.models import Enrolment

    ids = sorted(set(person_ids))
    programme_ids = set(
        Enrolment.objects.filter(person_id__in=ids)
        .values_list("workshop__programme_id", flat=True)
        .distinct()
    ) | set(
        ProgrammeReach.objects.filter(person_id__in=ids)
        .values_list("programme_id", flat=True)
        .distinct()
    )
    for programme_id in sorted(programme_ids):
        reach_refresh(programme_id=programme_id, person_ids=ids)


@transaction.atomic
def reach_rebuild(*, programme_id: int | None = None) -> int:
    """Rebuild the whole table (or one programme's rows) from enrolments; returns row count."""
    from fortalece.programmes.models import Programme
    from fortalece.training.models import Enrolment

    programmes = Programme.objects.all()
    if programme_id is not None:
        programmes = programmes.filter(pk=programme_id)
    total = 0
    for pid in programmes.values_list("pk", flat=True):
        ProgrammeReach.objects.filter(programme_id=pid).delete()
        person_ids = list(
            Enrolment.objects.filter(
                workshop__programme_id=pid, status__in=Enrolment.REACHED_STATUSES
            )
            .values_list("person_id", flat=True)
            .distinct()
        )
        reach_refresh(programme_id=pid, person_ids=person_ids)
        total += len(person_ids)
    return total
