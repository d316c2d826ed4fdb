"""View mixins that put every view behind a policy (deny by default)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from fortalece.core.policies import ModelPolicy


class PolicyRequiredMixin(LoginRequiredMixin):
    """Signed-in users whom ``policy`` allows ``permission_action`` somewhere.

    Object views fetch through ``policy.get_for_user`` so the object itself is checked.
    """

    policy: ModelPolicy[Any]
    permission_action: str = "view"
    object_action: str | None = None  # defaults to ``permission_action``

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.policy.user_has_permission(request.user, self.permission_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, return-value]

    def get_queryset(self) -> QuerySet[Any]:
        return self.policy.instances_user_has_permission_for(
            self.request.user,  # type: ignore[attr-defined]
            self.object_action or self.permission_action,
        )

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        return self.policy.get_for_user(
            user=self.request.user,  # type: ignore[attr-defined]
            pk=self.kwargs.get("pk"),  # type: ignore[attr-defined]
            action=self.object_action or self.permission_action,
            queryset=queryset,
        )
