"""The public page for victims ("are you a victim?") and its printable QR poster.

Safe by design on a shared phone: no login, no cookies (``NoCookiesMiddleware`` drops any
the session, CSRF or language machinery would set), no forms with a CSRF token, nothing
from another origin, a quick exit that replaces the history entry. The language comes from
``?lang=`` (or the browser's), never from a cookie.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from fortalece.core.query import query_int
from fortalece.geography.models import Municipality, Subdivision
from fortalece.referrals.display import EMERGENCY, public_help_url
from fortalece.referrals.models import Service
from fortalece.referrals.selectors import Found
from fortalece.referrals.views_search import rows, search

QUICK_EXIT_URL = "https://www.google.com/search?q=clima"


def no_cookies(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the response: ``NoCookiesMiddleware`` strips every Set-Cookie from it."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.no_cookies = True  # type: ignore[attr-defined]
        return response

    return wrapped


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in ("es", "en") else (request.LANGUAGE_CODE or "es")[:2]


@require_GET
@no_cookies
def help_page(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    states = Subdivision.objects.filter(pk__in=Service.objects.values("subdivision_id")).order_by(
        "name"
    )
    state = states.filter(pk=query_int(request.GET.get("state")) or 0).first()
    municipalities = (
        Municipality.objects.filter(
            subdivision=state, pk__in=Service.objects.values("municipality_id")
        ).order_by("name")
        if state
        else Municipality.objects.none()
    )
    municipality = municipalities.filter(pk=query_int(request.GET.get("municipality")) or 0).first()
    found: list[Found] = []
    lines: list[Found] = []
    if state is not None:
        found, lines, _origin = search(
            queryset=Service.objects.all(),
            data={"subdivision": state, "municipality": municipality, "lat": None, "lon": None},
            now=timezone.now(),
        )
    with translation.override(lang):
        response = render(
            request,
            "referrals/help.html",
            {
                "lang": lang,
                "other_lang": "en" if lang == "es" else "es",
                "states": states,
                "state": state,
                "municipalities": municipalities,
                "municipality": municipality,
                "results": rows(found),
                "lines": rows(lines),
                "emergency": EMERGENCY,
                "quick_exit_url": QUICK_EXIT_URL,
            },
        )
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@no_cookies
def poster(request: HttpRequest) -> HttpResponse:
    lang = _language(request)
    url = public_help_url() + ("?lang=en" if lang == "en" else "")
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True)
    with translation.override(lang):
        return render(
            request,
            "referrals/poster.html",
            {
                "lang": lang,
                "url": url,
                "qr_svg": buffer.getvalue().decode(),
                "emergency": EMERGENCY,
            },
        )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The referral pages' service worker (offline copies), served under /referrals/ so that
    its scope covers them. Code only: no data, no login needed to fetch it."""
    from django.template.loader import get_template

    response = HttpResponse(
        get_template("referrals/sw.js").render(), content_type="text/javascript"
    )
    response["Service-Worker-Allowed"] = "/referrals/"
    response["Cache-Control"] = "no-cache"
    return response
