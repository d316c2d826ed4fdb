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
    if filters.get("institution_name"):
        queryset = queryset.filter(institution__name__icontains=filters["institution_name"])
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
    return queryset.order_by("name", "pk")


def institution_people_counts(institutions: list[Institution]) -> list[Institution]:
    """People per institution for one page of the list, in one query (counted after the page
    is cut, not for every institution)."""
    counts = dict(
        Person.objects.filter(institution_id__in=[i.pk for i in institutions])
        .order_by()
        .values_list("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    for institution in institutions:
        institution.people_count = counts.get(institution.pk, 0)  # type: ignore[attr-defined]
    return institutions


def person_enrolments(person: Person) -> QuerySet[Any]:
    # Through the reverse relation: people reads training's rows without importing it.
    return (
        person.enrolments.all()
        .select_related("workshop", "workshop__course", "workshop__programme")
        .order_by("-workshop__start_date")
    )
