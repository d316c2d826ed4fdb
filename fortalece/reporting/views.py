import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.exports import csv_response, xlsx_response
from fortalece.core.routers import reads_from_replica
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Subdivision
from fortalece.programmes.policies import programme_policy
from fortalece.reporting.charts import bar_chart, column_chart
from fortalece.reporting.selectors import (
    DashboardFilters,
    dashboard,
    publish_progress,
    sees_exact_figures,
)


def _month(value: str, *, end: bool = False) -> datetime.date | None:
    """``YYYY-MM`` from an ``<input type="month">`` to its first (or last) day; else None."""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = datetime.date(year, month, 1)
        if not end:
            return first
        return datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(1)
    except (ValueError, TypeError, OverflowError):
        return None


def _filters(request: HttpRequest) -> DashboardFilters:
    state = request.GET.get("state", "")
    return DashboardFilters(
        date_from=_month(request.GET.get("from", "")),
        date_to=_month(request.GET.get("to", ""), end=True),
        # Bounded so that a silly value cannot overflow the database integer.
        subdivision_id=int(state)
        if state.isascii() and state.isdigit() and len(state) < 10
        else None,
    )


def _svg(markup: str) -> str:
    """Charts are built by ``reporting.charts``, which escapes every label and title."""
    return mark_safe(markup)  # noqa: S308


@method_decorator(reads_from_replica, name="get")
class DashboardView(PolicyRequiredMixin, View):
    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from fortalece.programmes.selectors import target_progress

        programme = self.get_object()
        filters = _filters(request)
        data = dashboard(
            programme, filters, suppress_small=not sees_exact_figures(request.user, programme)
        )
        minimum = data["minimum"]
        context: dict[str, Any] = {
            "programme": programme,
            "data": data,
            "progress": (
                publish_progress(target_progress(programme), minimum=minimum)
                if data["suppressed"]
                else target_progress(programme)
            ),
            "filters": filters,
            "query": request.GET.urlencode(),
            "states": Subdivision.objects.filter(
                pk__in=programme.reach.values("subdivision_id")
            ).order_by("name"),
            "charts": {
                "sex": _svg(
                    bar_chart(data["by_sex"], title=_("People reached by sex"), minimum=minimum)
                ),
                "profession": _svg(
                    bar_chart(
                        data["by_profession"],
                        title=_("People reached by profession"),
                        minimum=minimum,
                    )
                ),
                "state": _svg(
                    bar_chart(
                        data["by_state"][:40], title=_("People reached by state"), minimum=minimum
                    )
                ),
                "month": _svg(
                    column_chart(
                        data["by_month"],
                        title=_("People first reached, by month"),
                        minimum=minimum,
                    )
                ),
            },
        }
        return render(request, "reporting/dashboard.html", context)


@method_decorator(reads_from_replica, name="get")
class DashboardExportView(PolicyRequiredMixin, View):
    """The dashboard's aggregated tables as XLSX (one sheet each) or one CSV; the same
    suppression as on screen, text cells neutralised against spreadsheet formulas."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from fortalece.programmes.selectors import target_progress

        programme = self.get_object()
        exact = sees_exact_figures(request.user, programme)
        data = dashboard(programme, _filters(request), suppress_small=not exact)
        hidden = f"<{data['minimum']}"

        def cell(value: int | None) -> int | str:
            return hidden if value is None else value

        def rows(pairs: list[tuple[str, int | None]]) -> list[list[Any]]:
            return [[label, cell(value)] for label, value in pairs]

        summary: list[list[Any]] = [
            [_("People reached"), cell(data["reached"])],
            [_("People who completed"), cell(data["completed"])],
            [
                _("Completion rate (%)"),
                "" if data["completion_rate"] is None else data["completion_rate"],
            ],
            [_("Workshops held"), data["workshops_held"]],
        ]
        progress = target_progress(programme)
        if not exact:
            progress = publish_progress(progress, minimum=data["minimum"])
        summary += [
            [row["target"].description, cell(row["current"]), row["target"].value]
            for row in progress
        ]
        header = [_("Group"), _("People reached")]
        sheets = [
            (_("Summary"), [_("Figure"), _("Value"), _("Target")], summary),
            (_("Sex"), header, rows(data["by_sex"])),
            (_("Profession"), header, rows(data["by_profession"])),
            (_("State"), header, rows(data["by_state"])),
            (_("Month"), [_("Month"), _("People first reached")], rows(data["by_month"])),
        ]
        name = f"reach-{programme.code}"
        if request.GET.get("format") == "csv":
            combined = [[title, *row] for title, _h, table in sheets for row in table]
            return csv_response(
                f"{name}.csv", [_("Table"), _("Group"), _("People"), _("Target")], combined
            )
        return xlsx_response(f"{name}.xlsx", sheets)
