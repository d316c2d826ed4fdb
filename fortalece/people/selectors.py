from typing import Any

from django.db.models import Count, QuerySet

from fortalece.people.models import Institution, Person
from fortalece.people.names import normalise

SORTS = {"name": ("family_names", "given_names", "id"), "-created": ("-created_at", "-id")}


def person_list(*, queryset: QuerySet[Person], filters: dict[str, Any]) -> QuerySet[Person]:
    query = normalise(filters.get("q") or "")
    if query:
        for word in query.split()[:5]:
            queryset = queryset.filter(search_name__contains=word)
    if filters.get("institution"):
        queryset = queryset.filter(institution=filters["institution"])
    if filters.get("profession"):
        queryset = queryset.filter(profession=filters["profession"])
    if filters.get("sex"):
        queryset = queryset.filter(sex=filters["sex"])
    order = SORTS.get(filters.get("sort") or "name", SORTS["name"])
    return queryset.select_related("institution", "institution__subdivision").order_by(*order)


def institution_list(
    *, queryset: QuerySet[Institution], query: str = "", kind: str = ""
) -> QuerySet[Institution]:
    if query:
        queryset = queryset.filter(name__icontains=query)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.annotate(people_count=Count("people")).order_by("name")


def person_enrolments(person: Person) -> QuerySet[Any]:
    from fortalece.training.models import Enrolment

    return (
        Enrolment.objects.filter(person=person)
        .select_related("workshop", "workshop__course", "workshop__programme")
        .order_by("-workshop__start_date")
    )
