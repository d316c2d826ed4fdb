import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from fortalece.accounts.models import Role
from fortalece.accounts.scope import get_user_scope
from fortalece.core.exports import csv_response, xlsx_response
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Subdivision
from fortalece.programmes.policies import programme_policy
from fortalece.reporting.charts import bar_chart, column_chart
from fortalece.reporting.selectors import DashboardFilters, dashboard


def _month(value: str, *, end: bool = False) -> datetime.date | None:
    try:
        year, month = (int(part) for part in value.split("-")[:2])
        first = datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return None
    if not end:
        return first
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _filters(request: HttpRequest) -> DashboardFilters:
    state = request.GET.get("state", "")
    return DashboardFilters(
        date_from=_month(request.GET.get("from", "")),
        date_to=_month(request.GET.get("to", ""), end=True),
        subdivision_id=int(state) if state.isdigit() else None,
    )


def _suppress(request: HttpRequest) -> bool:
    """Donor viewers see published figures: small cells suppressed."""
    scope = get_user_scope(request.user)
    return not scope.is_admin and scope.roles <= {Role.DONOR_VIEWER, Role.LEARNER}


def _svg(markup: str) -> str:
    """Charts are built by ``reporting.charts``, which escapes every label and title."""
    return mark_safe(markup)  # noqa: S308


class DashboardView(PolicyRequiredMixin, View):
    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        filters = _filters(request)
        data = dashboard(programme, filters, suppress_small=_suppress(request))
        from fortalece.programmes.selectors import target_progress

        context: dict[str, Any] = {
            "programme": programme,
            "data": data,
            "progress": target_progress(programme),
            "filters": filters,
            "query": request.GET.urlencode(),
            "states": Subdivision.objects.filter(
                pk__in=programme.reach.values("subdivision_id")
            ).order_by("name"),
            "charts": {
                "sex": _svg(bar_chart(data["by_sex"], title=_("People reached by sex"))),
                "profession": _svg(
                    bar_chart(data["by_profession"], title=_("People reached by profession"))
                ),
                "state": _svg(bar_chart(data["by_state"][:32], title=_("People reached by state"))),
                "month": _svg(
                    column_chart(data["by_month"], title=_("People first reached, by month"))
                ),
            },
        }
        return render(request, "reporting/dashboard.html", context)


class DashboardExportView(PolicyRequiredMixin, View):
    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        data = dashboard(programme, _filters(request), suppress_small=_suppress(request))

        def rows(pairs: list[tuple[str, int | None]]) -> list[list[Any]]:
            return [[label, "<5" if value is None else value] for label, value in pairs]

        header = [_("Group"), _("People reached")]
        sheets = [
            (_("Sex"), header, rows(data["by_sex"])),
            (_("Profession"), header, rows(data["by_profession"])),
            (_("State"), header, rows(data["by_state"])),
            (_("Month"), [_("Month"), _("People first reached")], data["by_month"]),
        ]
        name = f"reach-{programme.code}"
        if request.GET.get("format") == "csv":
            combined = [[title, *row] for title, _h, table in sheets for row in table]
            return csv_response(f"{name}.csv", [_("Table"), _("Group"), _("People")], combined)
        return xlsx_response(f"{name}.xlsx", sheets)
