"""Staff pages of the referral pathways: list, my state's, read, create, edit the steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.pagination import paginate
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Subdivision
from fortalece.referrals import services
from fortalece.referrals.forms import (
    PathwayForm,
    PathwayStepFormSet,
)
from fortalece.referrals.models import Pathway, Service
from fortalece.referrals.policies import (
    home_state,
    kept_subdivisions,
    pathway_policy,
    service_policy,
)

# --- pathways ----------------------------------------------------------------------------


class PathwayListView(PolicyRequiredMixin, View):
    policy = pathway_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        states = Subdivision.objects.filter(
            pk__in=Pathway.objects.values("subdivision_id")
        ).order_by("name")
        pathways = self.get_queryset().select_related("subdivision", "municipality")
        state = request.GET.get("state", "")
        chosen = states.filter(pk=state).first() if state.isascii() and state.isdigit() else None
        if chosen is not None:
            pathways = pathways.filter(subdivision=chosen)
        context = {
            "states": states,
            "state": chosen,
            "can_add": pathway_policy.user_has_permission(request.user, "add"),
            "changeable": set(
                pathway_policy.instances_user_has_permission_for(
                    request.user, "change"
                ).values_list("pk", flat=True)
            ),
            **paginate(request, pathways),
        }
        return render(request, "referrals/pathway_list.html", context)


class MyStatePathwaysView(PolicyRequiredMixin, View):
    """A fixed address lessons can link to ("see your state's pathway"): the pathways of the
    reader's own state, or all of them when their scope names no state."""

    policy = pathway_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.urls import reverse

        url = reverse("referrals:pathway_list")
        state = home_state(request.user)
        return redirect(f"{url}?state={state}" if state else url)


class PathwayDetailView(PolicyRequiredMixin, View):
    policy = pathway_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pathway = self.get_object()
        visible = service_policy.instances_user_has_permission_for(request.user, "view")
        steps = pathway.steps.prefetch_related(
            Prefetch("services", queryset=visible.order_by("name"))
        )
        context = {
            "pathway": pathway,
            "steps": steps,
            "can_change": pathway_policy.user_has_permission_for_instance(
                request.user, "change", pathway
            ),
            "can_delete": pathway_policy.user_has_permission_for_instance(
                request.user, "delete", pathway
            ),
        }
        return render(request, "referrals/pathway_detail.html", context)


class PathwayCreateView(PolicyRequiredMixin, View):
    """The pathway's place and kind; its steps are written on the next page."""

    policy = pathway_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        states = kept_subdivisions(request.user)
        initial = {"subdivision": states.first()} if states.count() == 1 else {}
        form = PathwayForm(subdivisions=states, initial=initial)
        return render(request, "referrals/pathway_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PathwayForm(request.POST, subdivisions=kept_subdivisions(request.user))
        pathway = call_service(form, lambda data: services.pathway_create(form=form))
        if pathway is not None:
            messages.success(request, _("Pathway created. Now write its steps."))
            return redirect("referrals:pathway_update", pk=pathway.pk)
        return render(request, "referrals/pathway_form.html", {"form": form})


class PathwayUpdateView(PolicyRequiredMixin, View):
    policy = pathway_policy
    permission_action = "change"

    def _forms(self, request: HttpRequest, pathway: Pathway, data: Any = None) -> Any:
        form = PathwayForm(data, instance=pathway, subdivisions=kept_subdivisions(request.user))
        choices = Service.objects.filter(subdivision_id=pathway.subdivision_id).order_by("name")
        steps = PathwayStepFormSet(
            data, instance=pathway, prefix="steps", form_kwargs={"services": choices}
        )
        return form, steps

    def _render(self, request: HttpRequest, pathway: Pathway, form: Any, steps: Any) -> Any:
        return render(
            request,
            "referrals/pathway_form.html",
            {"form": form, "steps": steps, "pathway": pathway},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pathway = self.get_object()
        form, steps = self._forms(request, pathway)
        return self._render(request, pathway, form, steps)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pathway = self.get_object()
        form, steps = self._forms(request, pathway, request.POST)
        if form.is_valid() and steps.is_valid():
            services.pathway_save(form=form, steps=steps)
            messages.success(request, _("Pathway saved."))
            return redirect(pathway)
        return self._render(request, pathway, form, steps)


class PathwayDeleteView(PolicyRequiredMixin, View):
    policy = pathway_policy
    permission_action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pathway = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {"object": pathway, "cancel_url": pathway.get_absolute_url()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pathway = self.get_object()
        services.pathway_delete(pathway=pathway)
        messages.success(request, _("Pathway deleted."))
        return redirect("referrals:pathway_list")
