"""The indicators report as a PDF, and saved reports (save, list, open by link, share,
schedule)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.programmes.policies import programme_policy
from fortalece.reporting.forms import SavedReportForm
from fortalece.reporting.indicators import exact_for, indicator_report, map_data
from fortalece.reporting.models import ReportedFigure, SavedReport
from fortalece.reporting.pdf import indicators_pdf
from fortalece.reporting.policies import saved_report_policy
from fortalece.reporting.results import figures_beside_counted
from fortalece.reporting.saved import (
    may_read,
    saved_report_create,
    saved_report_delete,
    saved_report_update,
)
from fortalece.reporting.views import _narrative_lines, _period_label, indicator_choices_for


def build_pdf(request: Any, *, title: str | None = None) -> bytes:
    """The indicators page (filters from ``request.GET``, edited narrative from a POST) as
    the PDF ``request.user`` may see."""
    choices = indicator_choices_for(request.user, request.GET)
    filters = choices["filters"]
    exact = exact_for(request.user, filters.programme_ids)
    report = indicator_report(filters, choices["breakdown"], suppress_small=not exact)
    lines = _narrative_lines(request, filters, exact=exact)
    states = map_data(filters, suppress_small=not exact)["states"]
    figures = ReportedFigure.objects.filter(programme_id__in=filters.programme_ids)
    if filters.year_from:
        figures = figures.filter(year_to__gte=filters.year_from)
    if filters.year_to:
        figures = figures.filter(year_from__lte=filters.year_to)
    reported = figures_beside_counted(figures, suppress_small=not exact)
    names = ", ".join(p.name for p in report["programmes"][:4])
    if len(report["programmes"]) > 4:
        names += " …"
    subtitle = " · ".join(
        part for part in (names, str(choices["country"] or ""), _period_label(filters)) if part
    )
    return indicators_pdf(
        report=report,
        lines=lines,
        states=states,
        reported=reported,
        title=title or _("Indicators"),
        subtitle=subtitle,
    )


class IndicatorPdfView(PolicyRequiredMixin, View):
    """The indicators report as a PDF with charts, the map and the narrative (POST carries
    the narrative as edited); the same suppression as on screen."""

    policy = programme_policy
    permission_action = "view_dashboard"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.pdf(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.pdf(request)

    def pdf(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(build_pdf(request), content_type="application/pdf")
        name = f"indicators-{timezone.localdate():%Y%m%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class SavedReportListView(PolicyRequiredMixin, View):
    """The reports I saved and those shared with me; POST saves the indicators page's
    current filters as a new one."""

    policy = saved_report_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.db.models import Count, Q

        mine = Q(owner=request.user)
        reports = (
            SavedReport.objects.filter(mine | Q(shared_with=request.user))
            .distinct()
            .select_related("owner")
            .annotate(readers=Count("shared_with", distinct=True))
            .order_by("name", "pk")[:200]
        )
        return render(
            request,
            "reporting/saved_list.html",
            {"reports": reports, "frequencies": SavedReport.Frequency.choices},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        name = request.POST.get("name", "").strip()[:120]
        frequency = request.POST.get("frequency", "")
        if frequency not in SavedReport.Frequency.values:
            frequency = ""
        if not name:
            messages.error(request, _("Give the report a name."))
            return redirect(reverse("reporting:indicators") + "?" + request.POST.get("query", ""))
        report = saved_report_create(
            owner=request.user, name=name, query=request.POST.get("query", ""), frequency=frequency
        )
        messages.success(request, _("Report saved. Share it from here."))
        return redirect("reporting:saved_edit", token=report.token)


def _report_for(request: HttpRequest, token: str, action: str) -> Any:
    visible = saved_report_policy.instances_user_has_permission_for(request.user, "view")
    if action == "view":
        from django.db.models import Q

        # Everyone (administrators too) opens only their own reports and those shared with them.
        visible = visible.filter(Q(owner=request.user) | Q(shared_with=request.user)).distinct()
    try:
        report = visible.get(token=token)
    except (SavedReport.DoesNotExist, ValueError) as error:
        raise Http404 from error
    if action == "change" and report.owner_id != request.user.pk:
        raise PermissionDenied
    return report


class SavedReportOpenView(PolicyRequiredMixin, View):
    """Opens a saved report: the indicators page with its filters, shown through the
    reader's own policy (a reader sees no more than they could see anyway)."""

    policy = saved_report_policy

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        report = _report_for(request, token, "view")
        if not may_read(request.user, report):
            raise PermissionDenied
        target = reverse("reporting:indicators")
        if request.GET.get("format") == "pdf":
            target = reverse("reporting:indicators_pdf")
        return redirect(f"{target}?{report.query}" if report.query else target)


class SavedReportEditView(PolicyRequiredMixin, View):
    """The owner renames, schedules, shares or deletes a saved report."""

    policy = saved_report_policy
    permission_action = "change"

    def render_page(self, request: HttpRequest, report: Any, form: Any) -> HttpResponse:
        return render(
            request,
            "reporting/saved_edit.html",
            {
                "report": report,
                "form": form,
                "readers": report.shared_with.order_by("email"),
                "link": request.build_absolute_uri(report.get_absolute_url()),
            },
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        report = _report_for(request, token, "change")
        emails = "\n".join(report.shared_with.order_by("email").values_list("email", flat=True))
        form = SavedReportForm(instance=report, initial={"share_with": emails})
        return self.render_page(request, report, form)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        report = _report_for(request, token, "change")
        if request.POST.get("delete"):
            saved_report_delete(report=report)
            messages.success(request, _("Report deleted."))
            return redirect("reporting:saved_list")
        form = SavedReportForm(request.POST, instance=report)
        if not form.is_valid():
            return self.render_page(request, report, form)
        _users, refused = saved_report_update(
            report=report,
            name=form.cleaned_data["name"],
            frequency=form.cleaned_data["frequency"],
            addresses=form.addresses(),
        )
        if refused > 0:
            messages.warning(
                request,
                _(
                    "Not shared with %(n)s address(es): nobody with an account there may see "
                    "these programmes' indicators."
                )
                % {"n": refused},
            )
        messages.success(request, _("Report saved."))
        return redirect("reporting:saved_edit", token=report.token)
