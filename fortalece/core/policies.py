"""The permission policy layer: one policy per model, deny by default.

A policy answers three questions (after Wagtail's permission policies):

* ``user_has_permission(user, action)`` — may the user do this to *some* instance (menus,
  "add" buttons, list pages)?
* ``instances_user_has_permission_for(user, action)`` — the queryset of instances the user
  may act on (list pages, access-checked fetches).
* ``user_has_permission_for_instance(user, action, instance)``.

Subclasses implement ``scope_filter(scope, action)`` returning a ``Q`` (or ``None`` for
nothing); the administrator is allowed everything. Views never re-implement a rule: they
call ``get_for_user`` which raises 404 when the object is invisible to the user and 403 when
it is visible but the action is not allowed.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from fortalece.accounts.scope import UserScope, get_user_scope

M = TypeVar("M", bound=Model)


class ModelPolicy(Generic[M]):
    model: type[M]
    # action -> roles that may perform it somewhere (admin implied)
    actions: ClassVar[dict[str, tuple[str, ...]]] = {}

    def base_queryset(self) -> QuerySet[M]:
        return self.model._default_manager.all()

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        """The rows this (non-admin) scope may act on; ``None`` means none."""
        return None

    def _roles_for(self, action: str) -> tuple[str, ...]:
        if action not in self.actions:
            raise ValueError(f"Unknown action {action!r} for {self.model.__name__}")
        return self.actions[action]

    def user_has_permission(self, user: Any, action: str) -> bool:
        scope = get_user_scope(user)
        roles = self._roles_for(action)
        if scope.user_id is None:
            return False
        return scope.is_admin or scope.has_role(*roles)

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[M]:
        scope = get_user_scope(user)
        qs = self.base_queryset()
        if scope.user_id is None:
            return qs.none()
        if scope.is_admin:
            return qs
        if not scope.has_role(*self._roles_for(action)):
            return qs.none()
        condition = self.scope_filter(scope, action)
        if condition is None:
            return qs.none()
        return qs.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))

    def user_has_permission_for_instance(self, user: Any, action: str, instance: M) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def get_for_user(
        self, *, user: Any, pk: Any, action: str = "view", queryset: QuerySet[M] | None = None
    ) -> M:
        """Fetch an object the user may act on: 404 if they cannot see it, 403 if they
        can see it but not perform ``action``."""
        visible = self.instances_user_has_permission_for(user, "view")
        if queryset is not None:
            visible = queryset.filter(pk__in=visible.values("pk"))
        try:
            obj = visible.get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
            raise Http404 from exc
        if action != "view" and not self.user_has_permission_for_instance(user, action, obj):
            raise PermissionDenied
        return obj


def own_person_id(user: Any) -> int | None:
    """The person record the signed-in user is (their own training, certificates, cascade)."""
    return get_user_scope(user).person_id


def any_of(conditions: list[Q]) -> Q | None:
    """OR the conditions together; ``None`` when there are none (deny)."""
    result: Q | None = None
    for condition in conditions:
        result = condition if result is None else result | condition
    return result
