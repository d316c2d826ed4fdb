"""The officer's phone search (nearest services open now) and the referral card for the victim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views import View

from fortalece.core import search_tokens
from fortalece.core.query import query_int
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Municipality, Subdivision
from fortalece.referrals.display import phone_digits, public_help_url
from fortalece.referrals.forms import SearchForm
from fortalece.referrals.models import Pathway, Service
from fortalece.referrals.pdf import render_card_pdf
from fortalece.referrals.policies import home_state, service_policy
from fortalece.referrals.selectors import Found, nearest_services, stale_cutoff

# The page may ask for the phone's location (and only this page: the rest of the site
# refuses it in SecurityHeadersMiddleware).
GEOLOCATION_POLICY = "camera=(), microphone=(), geolocation=(self)"
CARD_MAX = 8


@dataclass(frozen=True)
class Row:
    found: Found
    tel: str
    whatsapp: str
    opens_at: Any  # local datetime in the service's time zone, or None
    stale: bool = False  # not verified for the configured months


def rows(found: list[Found]) -> list[Row]:
    cutoff = stale_cutoff(timezone.localdate())
    return [
        Row(
            f,
            phone_digits(f.service.phone),
            phone_digits(f.service.whatsapp).lstrip("+"),
            # Naive, in the service's own time zone: templates must not move it to the
            # server's (a Cancún service opening at 09:00 is shown as 09:00).
            f.next_opening.replace(tzinfo=None) if f.next_opening and not f.open_now else None,
            f.service.verified_on is None or f.service.verified_on < cutoff,
        )
        for f in found
    ]


def search(
    *, queryset: Any, data: dict[str, Any], now: Any
) -> tuple[list[Found], list[Found], str]:
    """(nearby services, phone lines without an address, how the origin was found)."""
    kind = data.get("kind") or ""
    lat, lon = data.get("lat"), data.get("lon")
    state, municipality = data.get("subdivision"), data.get("municipality")
    origin = "location" if lat is not None else ""
    scoped = queryset
    if lat is None and municipality is not None:
        centre = queryset.filter(
            municipality=municipality, latitude__isnull=False, longitude__isnull=False
        ).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        if centre["lat"] is not None:
            lat, lon, origin = centre["lat"], centre["lon"], "municipality"
        else:
            scoped = queryset.filter(municipality=municipality)
            origin = "place"
    elif lat is None and state is not None:
        scoped = queryset.filter(subdivision=state)
        origin = "place"
    if not origin:
        return [], [], ""
    found = nearest_services(
        user=None, now=now, lat=lat, lon=lon, kind=kind, queryset=scoped, limit=10
    )
    if lat is not None and not found:  # nothing within 50 km: look further
        found = nearest_services(
            user=None, now=now, lat=lat, lon=lon, kind=kind, queryset=scoped, radius_km=500
        )
    lines_qs = queryset.filter(latitude__isnull=True, kind=Service.Kind.HOTLINE)
    shown = {f.service.pk for f in found}
    lines = [
        f
        for f in nearest_services(
            user=None, now=now, lat=None, lon=None, queryset=lines_qs, limit=12
        )
        if f.service.pk not in shown
    ]
    # The chosen state's own lines before the national ones.
    lines.sort(key=lambda f: state is None or f.service.subdivision_id != state.pk)
    return found, lines, origin


class SearchView(PolicyRequiredMixin, View):
    """Nearest services open now, from the phone's location or a chosen municipality.
    Works without JavaScript (state, then municipality); the location button needs it."""

    policy = service_policy
    # Where the phone is never goes in the URL (nor the server's logs): it is POSTed, kept in
    # the session under a token, and the page is asked again with ?s=<token>.
    stashed = ("kind", "lat", "lon", "subdivision", "municipality")

    def post(self, request: HttpRequest) -> HttpResponse:
        return search_tokens.stash(request, request.POST, self.stashed)

    def get(self, request: HttpRequest) -> HttpResponse:
        if search_tokens.needs_stash(request, ("lat", "lon")):
            return search_tokens.stash(request, request.GET, self.stashed)
        states = Subdivision.objects.filter(
            Q(pk__in=Service.objects.values("subdivision_id"))
            | Q(pk__in=Pathway.objects.values("subdivision_id"))
        ).order_by("name")
        data = search_tokens.search_params(request)
        if "subdivision" not in data and "lat" not in data:
            home = home_state(request.user)
            if home is not None:
                data["subdivision"] = str(home)
        chosen_state = query_int(data.get("subdivision")) or 0
        municipalities = Municipality.objects.filter(
            subdivision_id=chosen_state,
            pk__in=Service.objects.values("municipality_id"),
        ).order_by("name")
        # A municipality left over from another state (the state changed, the list not yet):
        # search the whole state and say so, rather than refuse and show nothing.
        dropped = False
        chosen_place = query_int(data.get("municipality"))
        if chosen_place is not None and not municipalities.filter(pk=chosen_place).exists():
            data = data.copy()
            data["municipality"] = ""
            dropped = True
        form = SearchForm(data, subdivisions=states, municipalities=municipalities)
        found: list[Found] = []
        lines: list[Found] = []
        origin = ""
        asked = any(k in request.GET for k in ("kind", "subdivision", "municipality", "s"))
        if form.is_valid() and asked:
            found, lines, origin = search(
                queryset=self.get_queryset(), data=form.cleaned_data, now=timezone.now()
            )
        state = form.cleaned_data.get("subdivision") if form.is_valid() else None
        pathways = (
            Pathway.objects.filter(subdivision=state).order_by("case_kind")
            if state is not None
            else Pathway.objects.none()
        )
        context = {
            "form": form,
            "results": rows(found),
            "lines": rows(lines),
            "origin": origin,
            "asked": asked,
            "state": state,
            "pathways": pathways,
            "card_max": CARD_MAX,
            "municipality_dropped": dropped,
        }
        response = render(request, "referrals/search.html", context)
        response["Permissions-Policy"] = GEOLOCATION_POLICY
        return response


def _card_services(request: HttpRequest) -> list[Found]:
    pks = [p for p in (query_int(v) for v in request.GET.getlist("s")) if p is not None]
    visible = service_policy.instances_user_has_permission_for(request.user, "view")
    chosen = visible.filter(pk__in=pks[:CARD_MAX])
    found = nearest_services(
        user=None, now=timezone.now(), lat=None, lon=None, queryset=chosen, limit=CARD_MAX
    )
    order = {pk: i for i, pk in enumerate(pks)}
    return sorted(found, key=lambda f: order.get(f.service.pk, 99))


def _card_language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in ("es", "en") else (request.LANGUAGE_CODE or "es")[:2]


class CardView(PolicyRequiredMixin, View):
    """A page to show or print for the victim: the chosen services and emergency numbers,
    in Spanish or English (whatever the officer's own language)."""

    policy = service_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        lang = _card_language(request)
        found = _card_services(request)
        with translation.override(lang):
            return render(
                request,
                "referrals/card.html",
                {
                    "results": rows(found),
                    "card_lang": lang,
                    "help_url": public_help_url() + ("?lang=en" if lang == "en" else ""),
                    "query": request.GET.urlencode(),
                },
            )


class CardPdfView(PolicyRequiredMixin, View):
    policy = service_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        lang = _card_language(request)
        help_url = public_help_url() + ("?lang=en" if lang == "en" else "")
        pdf = render_card_pdf(rows(_card_services(request)), language=lang, help_url=help_url)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = "referral-card.pdf" if lang == "en" else "tarjeta-de-canalizacion.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
