from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from fortalece.core.selectors import home_summary, lands_on_my_learning


class HomeView(LoginRequiredMixin, TemplateView):
    """Every signed-in user lands here; what it shows depends on their roles."""

    template_name = "core/home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if lands_on_my_learning(user=request.user):
            return redirect("learning:my_learning")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(home_summary(user=self.request.user))
        return context


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Load balancers poll this; it touches the database and nothing personal."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
