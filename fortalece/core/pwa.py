"""The installable web app: its manifest, its service worker (served from the site's root so
that it may control every page) and the page shown when a page is not on the phone.

Nothing here is personal: the three answers are the same for everyone, signed in or not.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fortalece.core.icons import ICONS

THEME_COLOUR = "#5b2a86"
BACKGROUND_COLOUR = "#f7f6f9"

# Static files every page needs, kept by the service worker when it installs (a new version
# of any of them makes a new worker, which replaces the old copies).
PRECACHED_STATIC = [
    "fortalece/fortalece.css",
    "fortalece/fortalece.js",
    "fortalece/pwa.js",
    "fortalece/outbox.js",
    "fortalece/favicon.svg",
    "fortalece/icons/icon-192.png",
    "django_htmx/htmx-2.min.js",
    "learning/learning.css",
    "quizzes/quizzes.css",
    "assignments/assignments.css",
]

# Learner pages kept on the phone once opened (network first, the copy when offline). Built
# from the URL conf so that a moved page is not silently left out.
_SENTINEL = 987654321
LEARNER_PAGES = [
    ("learning:my_learning", False),
    ("learning:take", True),
    ("learning:item", True),
    ("learning:resource", True),
    ("quizzes:quiz", True),
    ("quizzes:attempt", True),
    ("quizzes:result", True),
    ("assignments:detail", True),
]


def learner_page_patterns() -> list[str]:
    """JavaScript regular expressions (as strings) matching the learner pages' paths."""
    patterns = []
    for name, has_pk in LEARNER_PAGES:
        path = reverse(name, args=[_SENTINEL] if has_pk else [])
        patterns.append("^" + re.escape(path).replace(str(_SENTINEL), r"\d+") + "$")
    return patterns


@functools.lru_cache(maxsize=4)
def _version(urls: tuple[str, ...]) -> str:
    """Changes when a precached file or the worker's own template changes."""
    digest = hashlib.sha256()
    for name in (*PRECACHED_STATIC, "core/sw.js"):
        found = finders.find(name)
        if isinstance(found, str):
            with open(found, "rb") as handle:
                digest.update(handle.read())
    digest.update("\n".join(urls).encode())
    return digest.hexdigest()[:12]


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: never cached by the browser (a new version must reach phones at once)."""
    precache = [static(name) for name in PRECACHED_STATIC] + [reverse("core:offline")]
    context = {
        "version": _version(tuple(precache)),
        "precache": json.dumps(precache),
        "offline_url": json.dumps(reverse("core:offline")),
        "static_prefix": json.dumps(static("")),
        "learner_pages": json.dumps(learner_page_patterns()),
        "icon": json.dumps(static("fortalece/icons/icon-192.png")),
        "badge": json.dumps(static("fortalece/icons/badge-96.png")),
    }
    response = render(request, "core/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache, no-store, max-age=0"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {
            "src": static(f"fortalece/icons/{name}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if maskable else "any",
        }
        for name, size, maskable in ICONS
        if not name.startswith(("badge", "apple"))
    ]
    data = {
        "name": "Fortalece",
        "short_name": "Fortalece",
        "description": _("Your courses, on your phone, also without signal."),
        "lang": get_language() or "es",
        "dir": "ltr",
        "start_url": reverse("learning:my_learning"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that is not on the phone. Public and the same
    for everyone (it is stored once and shown to whoever is offline)."""
    return render(request, "core/offline.html")
