from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class HistoryContextMiddleware:
    """Each history row written during a request records who made it and where (the path,
    never the query string). PostgreSQL only: elsewhere there are no history triggers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql" or request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        import pghistory

        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        with pghistory.context(user=user_id, path=request.path[:300]):
            return self.get_response(request)
