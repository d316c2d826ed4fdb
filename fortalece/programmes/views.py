from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core import pages
from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Country
from fortalece.programmes import services
from fortalece.programmes.forms import (
    OrganisationForm,
    PartnerFormSet,
    ProgrammeForm,
    TargetForm,
    partners_from,
)
from fortalece.programmes.models import Programme, Target
from fortalece.programmes.policies import programme_policy
from fortalece.programmes.selectors import programme_counts, programme_list, target_progress


def _allowed_countries(request: HttpRequest) -> Any:
    ids = programme_policy.addable_country_ids(request.user)
    return Country.objects.all() if ids is None else Country.objects.filter(pk__in=ids)


class ProgrammeListView(PolicyRequiredMixin, View):
    policy = programme_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        country = request.GET.get("country", "")
        programmes = programme_list(
            queryset=self.get_queryset(),
            query=query,
            country=query_int(country),
        )
        context = {
            "query": query,
            "country": country,
            "countries": Country.objects.filter(programmes__isnull=False).distinct(),
            "can_add": programme_policy.user_has_permission(request.user, "add"),
            **paginate(request, programmes),
        }
        return render(request, "programmes/programme_list.html", context)


class ProgrammeCreateView(PolicyRequiredMixin, View):
    policy = programme_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ProgrammeForm(countries=_allowed_countries(request))
        return self.render(request, form, PartnerFormSet(prefix="partners"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProgrammeForm(request.POST, countries=_allowed_countries(request))
        partners = PartnerFormSet(request.POST, prefix="partners")
        programme = call_service(
            form,
            lambda data: services.programme_create(partners=partners_from(partners), **data),
            formsets=[partners],
        )
        if programme is not None:
            messages.success(request, _("Programme created. Now add its targets and courses."))
            return redirect(programme)
        return self.render(request, form, partners)

    def render(
        self, request: HttpRequest, form: Any, partners: Any, programme: Any = None
    ) -> HttpResponse:
        return render(
            request,
            "programmes/programme_form.html",
            {"form": form, "partners": partners, "programme": programme},
        )


class ProgrammeUpdateView(ProgrammeCreateView):
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        programme = self.get_object()
        form = ProgrammeForm(instance=programme, countries=_allowed_countries(request))
        initial = [
            {"organisation": p.organisation, "role": p.role} for p in programme.partners.all()
        ]
        partners = PartnerFormSet(prefix="partners", initial=initial)
        return self.render(request, form, partners, programme)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        programme = self.get_object()
        form = ProgrammeForm(
            request.POST, instance=programme, countries=_allowed_countries(request)
        )
        partners = PartnerFormSet(request.POST, prefix="partners")
        saved = call_service(
            form,
            lambda data: services.programme_update(
                programme=programme, partners=partners_from(partners), **data
            ),
            formsets=[partners],
        )
        if saved is not None:
            messages.success(request, _("Programme saved."))
            return redirect(programme)
        return self.render(request, form, partners, programme)


class ProgrammeDetailView(PolicyRequiredMixin, View):
    policy = programme_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        user = request.user
        context = {
            "programme": programme,
            "countries": programme.countries.all(),
            "subdivisions": programme.subdivisions.all(),
            "partners": programme.partners.select_related("organisation"),
            "sdg_targets": programme.sdg_targets.all(),
            "progress": target_progress(programme),
            "counts": programme_counts(programme),
            "can_change": programme_policy.user_has_permission_for_instance(
                user, "change", programme
            ),
            "can_delete": programme_policy.user_has_permission_for_instance(
                user, "delete", programme
            ),
            # Links up the layers: training says who may follow them (training/plugins.py).
            "can_see_workshops": pages.may_follow("training:workshop_list", user),
            "can_see_courses": pages.may_follow("training:course_list", user),
            "can_dashboard": programme_policy.user_has_permission_for_instance(
                user, "view_dashboard", programme
            ),
        }
        return render(request, "programmes/programme_detail.html", context)


class ProgrammeDeleteView(PolicyRequiredMixin, View):
    policy = programme_policy
    permission_action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": programme,
                "cancel_url": programme.get_absolute_url(),
                "consequences": _("Its targets and partners are deleted with it."),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        try:
            services.programme_delete(programme=programme)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(programme)
        messages.success(request, _("Programme deleted."))
        return redirect("programmes:list")


class OrganisationCreateView(PolicyRequiredMixin, View):
    policy = programme_policy
    permission_action = "change"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "programmes/organisation_form.html",
            {"form": OrganisationForm(), "next": request.GET.get("next", "")},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganisationForm(request.POST)
        organisation = call_service(form, lambda data: services.organisation_create(**data))
        if organisation is not None:
            messages.success(request, _("Organisation added: choose it in the partners list."))
            target = request.POST.get("next", "")
            if target.startswith("/programmes/") and "//" not in target:
                return redirect(target)
            return redirect("programmes:list")
        return render(
            request,
            "programmes/organisation_form.html",
            {"form": form, "next": request.POST.get("next", "")},
        )


class TargetMixin(PolicyRequiredMixin):
    policy = programme_policy
    permission_action = "change"

    def programme(self) -> Programme:
        return programme_policy.get_for_user(
            user=self.request.user,  # type: ignore[attr-defined]
            pk=self.kwargs["pk"],  # type: ignore[attr-defined]
            action="change",
        )

    def target(self, programme: Programme) -> Target:
        return get_object_or_404(Target, programme=programme, pk=self.kwargs["target_pk"])  # type: ignore[attr-defined]


class TargetCreateView(TargetMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.programme()
        return render(
            request,
            "programmes/target_form.html",
            {"programme": programme, "form": TargetForm(programme=programme)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.programme()
        form = TargetForm(request.POST, programme=programme)
        target = call_service(
            form, lambda data: services.target_create(programme=programme, **data)
        )
        if target is not None:
            messages.success(request, _("Target added."))
            return redirect(programme)
        return render(
            request, "programmes/target_form.html", {"programme": programme, "form": form}
        )


class TargetUpdateView(TargetMixin, View):
    def get(self, request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
        programme = self.programme()
        target = self.target(programme)
        form = TargetForm(instance=target, programme=programme)
        return render(
            request,
            "programmes/target_form.html",
            {"programme": programme, "form": form, "target": target},
        )

    def post(self, request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
        programme = self.programme()
        target = self.target(programme)
        form = TargetForm(request.POST, instance=target, programme=programme)
        saved = call_service(form, lambda data: services.target_update(target=target, **data))
        if saved is not None:
            messages.success(request, _("Target saved."))
            return redirect(programme)
        return render(
            request,
            "programmes/target_form.html",
            {"programme": programme, "form": form, "target": target},
        )


class TargetDeleteView(TargetMixin, View):
    def get(self, request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
        programme = self.programme()
        target = self.target(programme)
        return render(
            request,
            "core/confirm_delete.html",
            {"object": target, "cancel_url": programme.get_absolute_url()},
        )

    def post(self, request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
        programme = self.programme()
        services.target_delete(target=self.target(programme))
        messages.success(request, _("Target deleted."))
        return redirect(reverse("programmes:detail", args=[programme.pk]))
