"""Staff pages of the directory: list, entries to re-verify, edit with opening hours, import
and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.exports import csv_response, xlsx_response
from fortalece.core.pagination import paginate
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Subdivision
from fortalece.referrals import selectors, services, transfer
from fortalece.referrals.forms import (
    POPULATION_LABELS,
    ImportForm,
    OpeningHoursFormSet,
    ServiceFilterForm,
    ServiceForm,
)
from fortalece.referrals.models import PathwayStep, Service
from fortalece.referrals.policies import (
    kept_subdivisions,
    service_policy,
)


def _today() -> Any:
    return timezone.localdate()


def _states_with_services() -> Any:
    return Subdivision.objects.filter(pk__in=Service.objects.values("subdivision_id")).order_by(
        "name"
    )


# --- directory ---------------------------------------------------------------------------


class ServiceListView(PolicyRequiredMixin, View):
    policy = service_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ServiceFilterForm(request.GET or None, subdivisions=_states_with_services())
        filters = form.cleaned_data if form.is_valid() else {}
        today = _today()
        entries = selectors.directory(
            queryset=self.get_queryset(),
            today=today,
            query=filters.get("q", ""),
            subdivision=filters.get("subdivision"),
            kind=filters.get("kind", ""),
            stale=bool(filters.get("stale")),
        )
        changeable = set(
            service_policy.instances_user_has_permission_for(request.user, "change").values_list(
                "pk", flat=True
            )
        )
        context = {
            "filter_form": form,
            "cutoff": selectors.stale_cutoff(today),
            "months": selectors.stale_months(),
            "changeable": changeable,
            "can_add": service_policy.user_has_permission(request.user, "add"),
            "export_query": request.GET.urlencode(),
            # The directory in figures (reports): services per state, verified in 6 months.
            "counts": selectors.counts_by_state(queryset=self.get_queryset(), today=today),
            **paginate(request, entries),
        }
        return render(request, "referrals/service_list.html", context)


class ServiceReverifyView(PolicyRequiredMixin, View):
    """The entries the user keeps that were not verified for N months (oldest first)."""

    policy = service_policy
    permission_action = "change"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = _today()
        entries = (
            self.get_queryset()
            .filter(selectors.stale_q(today))
            .select_related("subdivision", "municipality")
            .order_by("verified_on", "subdivision__name", "name", "pk")
        )
        context = {
            "cutoff": selectors.stale_cutoff(today),
            "months": selectors.stale_months(),
            **paginate(request, entries),
        }
        return render(request, "referrals/service_reverify.html", context)


class ServiceDetailView(PolicyRequiredMixin, View):
    policy = service_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_object()
        today = _today()
        context = {
            "service": service,
            "hours": service.hours.all(),
            "populations": [POPULATION_LABELS.get(p, p) for p in service.populations or []],
            "stale": service.verified_on is None
            or service.verified_on < selectors.stale_cutoff(today),
            "months": selectors.stale_months(),
            "can_change": service_policy.user_has_permission_for_instance(
                request.user, "change", service
            ),
            "can_delete": service_policy.user_has_permission_for_instance(
                request.user, "delete", service
            ),
            "steps": PathwayStep.objects.filter(services=service).select_related(
                "pathway__subdivision", "pathway__municipality"
            ),
        }
        return render(request, "referrals/service_detail.html", context)


class ServiceCreateView(PolicyRequiredMixin, View):
    policy = service_policy
    permission_action = "add"

    def _render(self, request: HttpRequest, form: Any, hours: Any) -> HttpResponse:
        return render(request, "referrals/service_form.html", {"form": form, "hours": hours})

    def get(self, request: HttpRequest) -> HttpResponse:
        states = kept_subdivisions(request.user)
        initial = {"verified_on": _today()}
        if states.count() == 1:
            initial["subdivision"] = states.first()
        form = ServiceForm(subdivisions=states, initial=initial)
        return self._render(request, form, OpeningHoursFormSet(prefix="hours"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ServiceForm(request.POST, subdivisions=kept_subdivisions(request.user))
        hours = OpeningHoursFormSet(request.POST, prefix="hours")
        if form.is_valid() and hours.is_valid():
            service = services.service_save(form=form, hours=hours)
            messages.success(request, _("Service added."))
            return redirect(service)
        return self._render(request, form, hours)


class ServiceUpdateView(PolicyRequiredMixin, View):
    policy = service_policy
    permission_action = "change"

    def _render(self, request: HttpRequest, form: Any, hours: Any, service: Service) -> Any:
        return render(
            request,
            "referrals/service_form.html",
            {"form": form, "hours": hours, "service": service},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_object()
        form = ServiceForm(instance=service, subdivisions=kept_subdivisions(request.user))
        hours = OpeningHoursFormSet(instance=service, prefix="hours")
        return self._render(request, form, hours, service)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_object()
        form = ServiceForm(
            request.POST, instance=service, subdivisions=kept_subdivisions(request.user)
        )
        hours = OpeningHoursFormSet(request.POST, instance=service, prefix="hours")
        if form.is_valid() and hours.is_valid():
            services.service_save(form=form, hours=hours)
            messages.success(request, _("Service saved."))
            return redirect(service)
        return self._render(request, form, hours, service)


class ServiceDeleteView(PolicyRequiredMixin, View):
    policy = service_policy
    permission_action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {"object": service, "cancel_url": service.get_absolute_url()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_object()
        services.service_delete(service=service)
        messages.success(request, _("Service deleted."))
        return redirect("referrals:service_list")


class ServiceVerifiedView(PolicyRequiredMixin, View):
    """ "Checked today": the entry's phones, hours and address were confirmed."""

    policy = service_policy
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.get_object()
        services.service_mark_verified(service=service, on=_today())
        messages.success(request, _("Marked as verified today."))
        back = request.POST.get("next", "")
        if back == "reverify":
            return redirect("referrals:service_reverify")
        return redirect(service)


class ServiceExportView(PolicyRequiredMixin, View):
    policy = service_policy

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in ("csv", "xlsx"):
            raise Http404
        form = ServiceFilterForm(request.GET or None, subdivisions=_states_with_services())
        filters = form.cleaned_data if form.is_valid() else {}
        entries = selectors.directory(
            queryset=self.get_queryset(),
            today=_today(),
            query=filters.get("q", ""),
            subdivision=filters.get("subdivision"),
            kind=filters.get("kind", ""),
            stale=bool(filters.get("stale")),
        )
        rows = transfer.export_rows(entries)
        name = f"services-{_today():%Y-%m-%d}.{fmt}"
        if fmt == "csv":
            return csv_response(name, transfer.COLUMNS, rows)
        return xlsx_response(name, [("services", transfer.COLUMNS, rows)])


class ServiceImportView(PolicyRequiredMixin, View):
    policy = service_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "referrals/service_import.html",
            {"form": ImportForm(), "columns": transfer.COLUMNS},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        outcome = None
        if form.is_valid():
            try:
                outcome = transfer.import_services(
                    user=request.user, upload=form.cleaned_data["file"]
                )
            except transfer.FileProblem as problem:
                form.add_error("file", _(problem.message) % problem.params)
            except Exception:  # a damaged file must give a message, not a crash
                form.add_error("file", _("The file could not be read."))
            else:
                if not outcome.problems:
                    messages.success(
                        request,
                        _("Imported: %(created)s new, %(updated)s updated.")
                        % {"created": outcome.created, "updated": outcome.updated},
                    )
                    return redirect("referrals:service_list")
        return render(
            request,
            "referrals/service_import.html",
            {"form": form, "columns": transfer.COLUMNS, "outcome": outcome},
        )
