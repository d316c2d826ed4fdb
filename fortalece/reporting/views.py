import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.charts import bar_chart, column_chart
from fortalece.core.exports import csv_response, xlsx_response
from fortalece.core.query import query_int, query_ints
from fortalece.core.routers import reads_from_replica
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Country, Subdivision
from fortalece.programmes.policies import programme_policy
from fortalece.programmes.selectors import target_progress
from fortalece.reporting.exports import report_sheets, xlsx_download
from fortalece.reporting.iati import activity_document
from fortalece.reporting.indicators import (
    BREAKDOWN_BY_KEY,
    BREAKDOWNS,
    IndicatorFilters,
    exact_for,
    indicator_report,
    map_data,
    narrative_facts,
)
from fortalece.reporting.maps import MEXICO_TILES, Place, country_positions, tile_map
from fortalece.reporting.models import ReportedFigure, SavedReport
from fortalece.reporting.narrative import sentence
from fortalece.reporting.results import figures_beside_counted
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
    return DashboardFilters(
        date_from=_month(request.GET.get("from", "")),
        date_to=_month(request.GET.get("to", ""), end=True),
        subdivision_id=query_int(request.GET.get("state")),
    )


def _svg(markup: str) -> str:
    """Charts are built by ``core.charts``, which escapes every label and title."""
    return mark_safe(markup)  # noqa: S308


@method_decorator(reads_from_replica, name="get")
class DashboardView(PolicyRequiredMixin, View):
    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:

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


# Indicators across programmes and countries.


def _ints(values: list[str], limit: int = 50) -> list[int]:
    """Whole numbers from a query string; anything else is ignored (never a 500)."""
    return query_ints(values, limit=limit)


def _year(value: str | None) -> int | None:
    numbers = _ints([value or ""])
    return numbers[0] if numbers and 1900 <= numbers[0] <= 2100 else None


def indicator_choices(request: HttpRequest) -> dict[str, Any]:
    return indicator_choices_for(request.user, request.GET)


def indicator_choices_for(user: Any, params: Any) -> dict[str, Any]:
    """The filters of the indicators page, read from the query string and limited to what
    the user may see: chosen programmes (none chosen: all of them), a country, a period in
    whole years and a breakdown. Saved reports and their e-mails use it with the stored
    query and the reader's own policy."""
    visible = programme_policy.instances_user_has_permission_for(user, "view_dashboard")
    chosen = set(_ints(params.getlist("programme")))
    countries = Country.objects.filter(programmes__in=visible).distinct().order_by("name_en")
    country_ids = _ints([params.get("country", "")])
    country = countries.filter(pk=country_ids[0]).first() if country_ids else None
    programmes = visible.order_by("name")
    chosen = set(programmes.filter(pk__in=chosen).values_list("pk", flat=True))
    selected = programmes.filter(pk__in=chosen) if chosen else programmes
    if country is not None:
        selected = selected.filter(countries=country)
    ids = tuple(sorted(set(selected.values_list("pk", flat=True))))
    year_from, year_to = _year(params.get("from")), _year(params.get("to"))
    if year_from and year_to and year_from > year_to:
        year_from, year_to = year_to, year_from
    breakdown = params.get("by", "")
    if breakdown not in BREAKDOWN_BY_KEY:
        breakdown = "state"
    return {
        "filters": IndicatorFilters(
            programme_ids=ids,
            year_from=year_from,
            year_to=year_to,
            country_id=country.pk if country else None,
        ),
        "breakdown": breakdown,
        "programme_choices": programmes,
        "chosen": chosen,
        "country_choices": countries,
        "country": country,
    }


@method_decorator(reads_from_replica, name="get")
class IndicatorsView(PolicyRequiredMixin, View):
    """Indicators across the programmes a user may see: people trained (unique), completions,
    participations, hours, trainers accredited, cascade reach, targets and the trend, broken
    down one way; published figures (small cells hidden) for donor viewers."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest) -> HttpResponse:
        choices = indicator_choices(request)
        filters = choices["filters"]
        exact = exact_for(request.user, filters.programme_ids)
        report = indicator_report(filters, choices["breakdown"], suppress_small=not exact)
        hidden = _("hidden")
        trend = [(str(year), hidden if n is None else n) for year, n in report["trend"]]
        table = report["table"]
        chart_rows = [
            (row.label, hidden if row.people[-1] is None else row.people[-1])
            for row in table["rows"][:40]
        ]
        years = list(range(2010, timezone.localdate().year + 1))
        figures = ReportedFigure.objects.filter(programme_id__in=filters.programme_ids)
        if filters.year_from:
            figures = figures.filter(year_to__gte=filters.year_from)
        if filters.year_to:
            figures = figures.filter(year_from__lte=filters.year_to)
        context = {
            **choices,
            "reported": figures_beside_counted(figures, suppress_small=not exact),
            "frequencies": SavedReport.Frequency.choices,
            "report": report,
            "breakdowns": BREAKDOWNS,
            "years": years,
            "query": request.GET.urlencode(),
            "charts": {
                "trend": _svg(
                    column_chart(
                        trend, title=_("People trained per year"), minimum=report["minimum"]
                    )
                ),
                "breakdown": _svg(
                    bar_chart(
                        chart_rows,
                        title=_("People trained by %(breakdown)s")
                        % {"breakdown": str(table["label"]).lower()},
                        minimum=report["minimum"],
                    )
                ),
            },
        }
        return render(request, "reporting/indicators.html", context)


def _period_label(filters: Any) -> str:
    if filters.year_from or filters.year_to:
        return f"{filters.year_from or '…'}–{filters.year_to or '…'}"
    return _("all years")


def _narrative_lines(request: HttpRequest, filters: Any, *, exact: bool) -> list[dict[str, Any]]:
    """The generated sentences in English and Spanish, each with its figures; edited text
    from a POST replaces a generated sentence (whose figures stay beside it)."""
    from django.utils import translation

    lines = []
    for language in ("en", "es"):
        with translation.override(language):
            facts = narrative_facts(filters, suppress_small=not exact)
        for index, fact in enumerate(facts):
            generated = sentence(fact, language)
            name = f"sentence-{language}-{index}"
            edited = request.POST.get(name, "").strip()[:2000] if request.method == "POST" else ""
            lines.append(
                {
                    "name": name,
                    "language": language,
                    "generated": generated,
                    "text": edited or generated,
                    "facts": fact,
                }
            )
    return lines


@method_decorator(reads_from_replica, name="get")
class NarrativeView(PolicyRequiredMixin, View):
    """Sentences for the period in English and Spanish, editable, with the figures each one
    came from; the form sends the edited text to the export."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest) -> HttpResponse:
        choices = indicator_choices(request)
        filters = choices["filters"]
        exact = exact_for(request.user, filters.programme_ids)
        context = {
            **choices,
            "lines": _narrative_lines(request, filters, exact=exact),
            "query": request.GET.urlencode(),
            "period": _period_label(filters),
            "years": list(range(2010, timezone.localdate().year + 1)),
            "suppressed": not exact,
        }
        return render(request, "reporting/narrative.html", context)


class IndicatorExportView(PolicyRequiredMixin, View):
    """The indicators report as XLSX (one formatted sheet per table, with the narrative) or
    CSV; the same suppression as on screen. POST carries the narrative as edited."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.export(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.export(request)

    def export(self, request: HttpRequest) -> HttpResponse:
        choices = indicator_choices(request)
        filters = choices["filters"]
        exact = exact_for(request.user, filters.programme_ids)
        report = indicator_report(filters, choices["breakdown"], suppress_small=not exact)
        lines = _narrative_lines(request, filters, exact=exact)
        sheets = report_sheets(report, lines, period=_period_label(filters))
        name = f"indicators-{timezone.localdate():%Y%m%d}"
        if request.GET.get("format") == "csv":
            combined = [[title, *row] for title, _h, table in sheets for row in table]
            return csv_response(f"{name}.csv", [_("Table"), _("Row"), _("Values")], combined)
        return xlsx_download(f"{name}.xlsx", sheets)


@method_decorator(reads_from_replica, name="get")
class MapView(PolicyRequiredMixin, View):
    """A tile map of Mexico's states and a grid of the countries reached, with the tables
    (and coverage per 100,000 inhabitants and per 100,000 women) one click away."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest) -> HttpResponse:
        choices = indicator_choices(request)
        filters = choices["filters"]
        exact = exact_for(request.user, filters.programme_ids)
        data = map_data(filters, suppress_small=not exact)
        hidden = _("hidden")
        states = [Place(r["code"], r["name"], r["people"]) for r in data["states"]]
        countries = [Place(r["code"], r["name"], r["people"]) for r in data["countries"]]
        context = {
            **choices,
            "data": data,
            "query": request.GET.urlencode(),
            "suppressed": not exact,
            "years": list(range(2010, timezone.localdate().year + 1)),
            "mexico_map": _svg(
                tile_map(
                    states,
                    MEXICO_TILES,
                    title=_("People trained by state of Mexico"),
                    hidden_label=hidden,
                    legend_title=_("People"),
                )
            )
            if any(r["people"] != 0 for r in data["states"])
            else "",
            "countries_map": _svg(
                tile_map(
                    countries,
                    country_positions([c.code for c in countries]),
                    title=_("People trained by country"),
                    hidden_label=hidden,
                    legend_title=_("People"),
                )
            )
            if countries
            else "",
        }
        return render(request, "reporting/map.html", context)


class IatiActivityView(PolicyRequiredMixin, View):
    """The programme as an IATI 2.03 activity file (public figures: small cells left out)."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        response = HttpResponse(activity_document(programme), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="iati-{programme.code}.xml"'
        return response
