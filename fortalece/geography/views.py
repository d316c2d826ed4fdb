from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography import services
from fortalece.geography.models import Country, Municipality, Subdivision
from fortalece.geography.policies import country_policy


class CountryListView(PolicyRequiredMixin, View):
    policy = country_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        countries = Country.objects.annotate(subdivision_count=Count("subdivisions"))
        if query:
            countries = countries.filter(
                Q(name_en__icontains=query) | Q(name_es__icontains=query) | Q(code__iexact=query)
            )
        order = "name_es" if request.LANGUAGE_CODE.startswith("es") else "name_en"
        context = {"query": query, **paginate(request, countries.order_by(order), per_page=50)}
        return render(request, "geography/country_list.html", context)


class CountryDetailView(PolicyRequiredMixin, View):
    policy = country_policy

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        country = get_object_or_404(Country, code=code.upper())
        subdivisions = country.subdivisions.annotate(municipality_count=Count("municipalities"))
        return render(
            request,
            "geography/country_detail.html",
            {"country": country, "subdivisions": subdivisions},
        )


class SubdivisionDetailView(PolicyRequiredMixin, View):
    policy = country_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        subdivision = get_object_or_404(Subdivision.objects.select_related("country"), pk=pk)
        query = request.GET.get("q", "").strip()
        municipalities = subdivision.municipalities.order_by("name")
        if query:
            municipalities = municipalities.filter(name__icontains=query)
        context = {
            "subdivision": subdivision,
            "query": query,
            "can_change": country_policy.user_has_permission(request.user, "change"),
            **paginate(request, municipalities, per_page=50),
        }
        return render(request, "geography/subdivision_detail.html", context)


class MunicipalityCreateView(PolicyRequiredMixin, View):
    """Administrators add a municipality the loaded data lacks."""

    policy = country_policy
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subdivision = get_object_or_404(Subdivision, pk=pk)
        code = request.POST.get("code", "").strip()
        name = request.POST.get("name", "").strip()
        if not code or not name:
            messages.error(request, _("Give both the official code and the name."))
        elif Municipality.objects.filter(code=code).exists():
            messages.error(request, _("A municipality with this code already exists."))
        else:
            services.municipality_create(subdivision=subdivision, code=code, name=name)
            messages.success(request, _("Municipality added."))
        return redirect("geography:subdivision_detail", pk=subdivision.pk)


def _options(request: HttpRequest, items: Any) -> HttpResponse:
    return render(request, "geography/_options.html", {"items": items})


@login_required
def subdivision_options(request: HttpRequest) -> HttpResponse:
    if not country_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    country = query_int(request.GET.get("country"))
    items: Any = Subdivision.objects.none()
    if country is not None:
        items = Subdivision.objects.filter(country_id=country).only("pk", "name")
    return _options(request, items)


@login_required
def municipality_options(request: HttpRequest) -> HttpResponse:
    if not country_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    """The municipalities of a state for a select, narrowed by what was typed in the search
    box beside it (name, municipal seat or INEGI key)."""
    subdivision = query_int(request.GET.get("subdivision"))
    query = (request.GET.get("q") or request.GET.get("municipality_search") or "").strip()[:80]
    items: Any = Municipality.objects.none()
    if subdivision is not None:
        items = Municipality.objects.filter(subdivision_id=subdivision)
        if query:
            items = items.filter(
                Q(name__icontains=query) | Q(seat__icontains=query) | Q(code__startswith=query)
            )
        items = items.only("pk", "name").order_by("name")
    return _options(request, items)
