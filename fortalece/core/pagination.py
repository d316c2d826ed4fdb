from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most ``cap`` rows (``SELECT COUNT(*)`` of a ``LIMIT cap + 1`` subquery), so
    a list of a million people is not counted in full on every page: beyond the cap the list
    says "more than" and its last reachable page is the cap's (narrow the search for the
    rest). ``capped`` tells the template."""

    def __init__(self, *args: Any, cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return int(rows[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self.counted > self.cap

    @property
    def full_pages(self) -> int:
        """Pages the cap fills ("page 3 of more than 200")."""
        return self.cap // self.per_page


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    per_page: int | None = None,
    *,
    count_at_most: int | None = None,
) -> dict[str, Any]:
    """Page of ``queryset`` plus the query string to keep filters across pages;
    ``count_at_most`` counts no further than that (``CappedPaginator``)."""
    size = per_page or settings.FORTALECE_PAGE_SIZE
    paginator: Paginator[Any]
    if count_at_most is None:
        paginator = Paginator(queryset, size)
    else:
        paginator = CappedPaginator(queryset, size, cap=count_at_most)
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {
        "page_obj": page,
        "object_list": page.object_list,
        "querystring_without_page": f"{encoded}&" if encoded else "",
    }
