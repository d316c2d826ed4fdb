import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from fortalece.core.audit import audit
from fortalece.core.models import AuditEvent

# Every asset is served from our own origin (no CDN); htmx needs no inline script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """CSP on every response; ``no-store`` on pages shown to a signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            audit(AuditEvent.Kind.ACCESS_DENIED, request=request, method=request.method)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


# When the session's expiry was last moved forward (``SessionRefreshMiddleware``).
REFRESHED_AT = "fortalece_session_refreshed_at"


class SessionRefreshMiddleware:
    """The idle timeout without a session write on every request.

    A session ends ``SESSION_COOKIE_AGE`` seconds after it was last saved (the database row's
    expiry and the cookie's ``Max-Age`` are both set then). ``SESSION_SAVE_EVERY_REQUEST``
    saved it on every page: an UPDATE and a commit per request. Here a request saves it only
    when the view changed it anyway or ``SESSION_REFRESH_SECONDS`` have passed since the last
    save, so a session ends between ``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and
    ``SESSION_COOKIE_AGE`` after the last request: never later than the idle timeout, at
    most a minute earlier. Placed right after ``SessionMiddleware``, so that it sees the
    session as every other middleware and the view left it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        now = time.time()
        if session.modified:  # saved by SessionMiddleware whatever happens here
            if not session.is_empty():
                session[REFRESHED_AT] = now
        elif session.session_key is not None:
            last = session.get(REFRESHED_AT)  # loads it if nothing else did
            # An expired or unknown session key loads empty: nothing to keep alive.
            if not session.is_empty() and (
                last is None or now - float(last) >= settings.SESSION_REFRESH_SECONDS
            ):
                session[REFRESHED_AT] = now
        return response


class AbsoluteSessionTimeoutMiddleware:
    """Sign people out a fixed time after they signed in, however active they are.

    The idle timeout is ``SESSION_COOKIE_AGE`` (renewed while the user is active,
    ``SessionRefreshMiddleware``); this one is not renewed (SECURITY.md: at most 12 hours for
    staff).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib.auth import logout
        from django.shortcuts import redirect

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("signed_in_at")
            if started is None:
                request.session["signed_in_at"] = time.time()
            elif time.time() - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class OutboxRedirectMiddleware:
    """The outbox (outbox.js) sends answers with ``fetch``, which would follow a redirect by
    itself and use up the page's one-time message ("Your work was handed in"). For its
    requests (header ``X-Fortalece-Outbox: 1``) a redirect after a POST becomes 204 with the
    address in ``X-Outbox-Location``, and the script goes there. A redirect to the sign-in page
    stays a redirect: the answer was not taken, and the outbox keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method != "POST"
            or request.headers.get("X-Fortalece-Outbox") != "1"
            or response.status_code not in (301, 302, 303)
        ):
            return response
        from urllib.parse import urlsplit

        from django.shortcuts import resolve_url

        location = response["Location"]
        if urlsplit(location).path.startswith(str(resolve_url(settings.LOGIN_URL))):
            return response
        answer = HttpResponse(status=204)
        answer["X-Outbox-Location"] = location
        for name, value in response.cookies.items():
            answer.cookies[name] = value
        return answer


class AppShellMiddleware:
    """The service worker, the manifest and the offline page are the same for everyone: they
    are served without the session (the browser sends cookies with them, and its checks for a
    new worker must neither keep a session alive past its idle timeout nor write to the
    database). Only the language cookie is kept. Placed before ``SessionMiddleware``."""

    _paths: frozenset[str] | None = None

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @classmethod
    def paths(cls) -> frozenset[str]:
        if cls._paths is None:
            from django.urls import reverse

            names = ("core:service_worker", "core:manifest", "core:offline")
            cls._paths = frozenset(reverse(name) for name in names)
        return cls._paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in self.paths() and "HTTP_COOKIE" in request.META:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            request.META.pop("HTTP_COOKIE")
            request.COOKIES = {settings.LANGUAGE_COOKIE_NAME: language} if language else {}
        return self.get_response(request)
