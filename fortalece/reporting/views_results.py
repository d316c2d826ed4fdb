"""A programme's reported figures (beside the counted reach) and its results framework."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.programmes.policies import programme_policy
from fortalece.reporting import results
from fortalece.reporting.forms import IndicatorForm, OutcomeForm, PillarForm, ReportedFigureForm
from fortalece.reporting.results import figures_beside_counted, framework, reported_figure_save
from fortalece.reporting.selectors import sees_exact_figures


def _can_change(request: HttpRequest, programme: Any) -> bool:
    return programme_policy.user_has_permission_for_instance(request.user, "change", programme)


def _require_change(request: HttpRequest, programme: Any) -> None:
    from django.core.exceptions import PermissionDenied

    if not _can_change(request, programme):
        raise PermissionDenied


class ReportedFiguresView(PolicyRequiredMixin, View):
    """Figures published without person records, each beside what Fortalece counted for the
    same years, disagreements flagged; managers add them."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def render_page(self, request: HttpRequest, programme: Any, form: Any) -> HttpResponse:
        exact = sees_exact_figures(request.user, programme)
        rows = figures_beside_counted(programme.reported_figures.all(), suppress_small=not exact)
        return render(
            request,
            "reporting/reported_figures.html",
            {
                "programme": programme,
                "rows": rows,
                "form": form,
                "can_change": _can_change(request, programme),
                "suppressed": not exact,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_object(), ReportedFigureForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:

        programme = self.get_object()
        _require_change(request, programme)
        form = ReportedFigureForm(request.POST)
        figure = call_service(
            form, lambda data: reported_figure_save(form=form, programme=programme)
        )
        if figure is not None:
            messages.success(request, _("Reported figure saved."))
            return redirect("reporting:reported_figures", pk=programme.pk)
        return self.render_page(request, programme, form)


class ResultsFrameworkView(PolicyRequiredMixin, View):
    """Pillars → outcomes → indicators with baselines, targets, the counted value and the
    reported figures linked to each; managers add to it."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def render_page(self, request: HttpRequest, programme: Any, forms: dict[str, Any]) -> Any:
        exact = sees_exact_figures(request.user, programme)
        return render(
            request,
            "reporting/results_framework.html",
            {
                "programme": programme,
                "pillars": framework(programme, suppress_small=not exact),
                "can_change": _can_change(request, programme),
                "suppressed": not exact,
                **forms,
            },
        )

    def blank_forms(self, programme: Any) -> dict[str, Any]:
        return {
            "pillar_form": PillarForm(prefix="pillar"),
            "outcome_form": OutcomeForm(prefix="outcome", programme=programme),
            "indicator_form": IndicatorForm(prefix="indicator", programme=programme),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        return self.render_page(request, programme, self.blank_forms(programme))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        _require_change(request, programme)
        forms = self.blank_forms(programme)
        kind = request.POST.get("kind")
        if kind == "pillar":
            form: Any = PillarForm(request.POST, prefix="pillar")
            if form.is_valid():
                results.pillar_create(programme=programme, **form.cleaned_data)
        elif kind == "outcome":
            form = OutcomeForm(request.POST, prefix="outcome", programme=programme)
            if form.is_valid():
                results.outcome_create(**form.cleaned_data)
        elif kind == "indicator":
            form = IndicatorForm(request.POST, prefix="indicator", programme=programme)
            if form.is_valid():
                results.indicator_save(form=form)
        else:
            return redirect("reporting:results_framework", pk=programme.pk)
        if form.is_valid():
            messages.success(request, _("Results framework updated."))
            return redirect("reporting:results_framework", pk=programme.pk)
        forms[f"{kind}_form"] = form
        return self.render_page(request, programme, forms)
