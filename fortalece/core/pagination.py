from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None
) -> dict[str, Any]:
    """Page of ``queryset`` plus the query string to keep filters across pages."""
    paginator = Paginator(queryset, per_page or settings.FORTALECE_PAGE_SIZE)
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return {
        "page_obj": page,
        "object_list": page.object_list,
        "querystring_without_page": f"{encoded}&" if encoded else "",
    }
