"""No personal data in URLs (SECURITY.md): searches for names travel as opaque tokens.

A search form POSTs what was typed; the view keeps it in the session under a random token and
redirects to ``?s=<token>``. Pages, bookmarks and server logs then carry only the token, never a
name or an email. A ``?q=`` typed by hand is turned into a token the same way.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponseRedirect, QueryDict

SESSION_KEY = "fortalece_searches"
SEARCH_PARAM = "s"
KEEP = 20


def stash(request: HttpRequest, data: QueryDict, fields: Iterable[str]) -> HttpResponseRedirect:
    """Keep ``fields`` of ``data`` in the session; redirect to the same page with a token."""
    values = {f: data.get(f, "")[:200] for f in fields if data.get(f, "")}
    if not values:
        return HttpResponseRedirect(request.path)
    token = secrets.token_urlsafe(9)
    searches = dict(request.session.get(SESSION_KEY, {}))
    searches[token] = values
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return HttpResponseRedirect(f"{request.path}?{SEARCH_PARAM}={token}")


def needs_stash(request: HttpRequest, personal_fields: Iterable[str]) -> bool:
    """True when a GET carries personal search terms in the URL (an old bookmark, a hand-typed
    URL): the view should stash them and redirect."""
    return any(request.GET.get(f) for f in personal_fields)


def search_params(request: HttpRequest) -> QueryDict:
    """The GET parameters with the stashed search (if the token is known) merged in."""
    params = request.GET.copy()
    token = params.get(SEARCH_PARAM)
    if token:
        stored = request.session.get(SESSION_KEY, {}).get(token, {})
        for key, value in stored.items():
            params[key] = value
    return params
