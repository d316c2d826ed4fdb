from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fortalece.accounts.models import Role
from fortalece.accounts.scope import get_user_scope
from fortalece.people.policies import person_policy
from fortalece.programmes.models import Programme, Target
from fortalece.training.models import (
    Enrolment,
    ProgrammeReach,
    Session,
    Workshop,
    WorkshopTrainer,
)

ACTIVE = ~Q(enrolments__status__in=[Enrolment.Status.DROPPED])


def workshop_list(*, queryset: QuerySet[Workshop], filters: dict[str, Any]) -> QuerySet[Workshop]:
    today = timezone.localdate()
    if filters.get("programme"):
        queryset = queryset.filter(programme_id=filters["programme"])
    if filters.get("subdivision"):
        queryset = queryset.filter(subdivision_id=filters["subdivision"])
    when = filters.get("when")
    if when == "upcoming":
        queryset = queryset.filter(end_date__gte=today).order_by("start_date", "pk")
    elif when == "past":
        queryset = queryset.filter(end_date__lt=today).order_by("-start_date", "-pk")
    else:
        queryset = queryset.order_by("-start_date", "-pk")
    return queryset.select_related("course", "programme", "subdivision", "municipality")


def workshop_list_counts(workshops: list[Workshop]) -> list[Workshop]:
    """Places taken (``enrolled``) on the workshops of one page, in one query: counted after
    the page is cut, never for every workshop (156,250 of them took 15 s)."""
    # Places taken, as the capacity check counts them: nominations and drop-outs take none.
    counts = dict(
        Enrolment.objects.filter(workshop_id__in=[w.pk for w in workshops])
        .exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.NOMINATED])
        .order_by()
        .values_list("workshop_id")
        .annotate(n=Count("pk"))
        .values_list("workshop_id", "n")
    )
    for workshop in workshops:
        workshop.enrolled = counts.get(workshop.pk, 0)  # type: ignore[attr-defined]
    return workshops


def workshop_roster(workshop: Workshop) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(workshop=workshop)
        .select_related("person", "person__institution")
        .order_by("person__family_names", "person__given_names", "pk")
    )


def workshop_summary(workshop: Workshop) -> dict[str, Any]:
    counts = dict(
        Enrolment.objects.filter(workshop=workshop)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    active = (
        total - counts.get(Enrolment.Status.DROPPED, 0) - counts.get(Enrolment.Status.NOMINATED, 0)
    )
    completed = counts.get(Enrolment.Status.COMPLETED, 0)
    return {
        "counts": counts,
        "total": total,
        "active": active,
        "completed": completed,
        "completion_rate": round(100 * completed / active) if active else None,
        "sessions": Session.objects.filter(workshop=workshop).count(),
    }


def session_roster(session: Session) -> list[tuple[Enrolment, bool | None]]:
    """Everyone who can attend, with their mark in this session (None: not marked yet)."""
    marks = dict(session.attendance.values_list("enrolment_id", "present"))
    enrolments = (
        Enrolment.objects.filter(workshop_id=session.workshop_id)
        .exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.NOMINATED])
        .select_related("person", "person__institution")
        .order_by("person__family_names", "person__given_names", "pk")
    )
    return [(e, marks.get(e.pk)) for e in enrolments]


def enrollable_people(user: Any, workshop: Workshop) -> QuerySet[Any]:
    """Whom ``user`` may enrol in ``workshop``: the people they may see, and, for one of the
    workshop's own trainers, anyone from the programme's countries (a trainer giving a
    roll-out enrols participants they were not shown before; a regional workshop gathers
    people from several countries)."""

    visible = person_policy.instances_user_has_permission_for(user, "view")
    scope = get_user_scope(user)
    if (
        scope.person_id
        and scope.has_role(Role.TRAINER)
        and WorkshopTrainer.objects.filter(workshop=workshop, person_id=scope.person_id).exists()
    ):
        return person_policy.base_queryset().filter(
            Q(pk__in=visible.values("pk"))
            | Q(institution__country__programmes=workshop.programme_id)
        )
    return visible


# The programme page's figures (programmes/hooks.py, registered in training/plugins.py).


def programme_target_current(programme: Programme, target: Target, states: list[int]) -> int:
    """A target's current value: workshops held, or people reached or completed (reach table)."""
    if target.metric == Target.Metric.WORKSHOPS_HELD:
        reached = Enrolment.objects.filter(
            workshop=OuterRef("pk"), status__in=Enrolment.REACHED_STATUSES
        )
        workshops = Workshop.objects.filter(
            programme=programme,
            end_date__lt=timezone.localdate(),
            validation=Workshop.Validation.VALIDATED,
        ).filter(Exists(reached))
        if states:
            workshops = workshops.filter(subdivision__in=states)
        return workshops.count()
    reach = ProgrammeReach.objects.filter(programme=programme)
    if target.metric == Target.Metric.PEOPLE_COMPLETED:
        reach = reach.filter(completed=True)
    if states:
        reach = reach.filter(subdivision__in=states)
    if target.profession:
        reach = reach.filter(profession=target.profession)
    return reach.count()


def programme_reached(programme: Programme) -> dict[str, int]:
    return {"reached": ProgrammeReach.objects.filter(programme=programme).count()}
