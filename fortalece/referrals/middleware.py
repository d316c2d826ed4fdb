from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoCookiesMiddleware:
    """Drop every cookie from responses marked ``no_cookies`` (the public help page).

    Sits just inside SecurityMiddleware, so that it sees the response after the session,
    CSRF and message middleware have added theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "no_cookies", False):
            response.cookies.clear()
        return response
