"""Who may see a trainer's cascade and a programme's accreditation rules.

The rules combine other policies, so they live here instead of in the views:

* a trainer's cascade is open to whoever may see the person, and to the trainer themself;
* an accreditation rule is open to whoever may see its programme and may see people at all
  (the rule page lists trainers by name); managing it (grant, withdraw, assess) needs the
  right to change the programme.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope, get_user_scope
from fortalece.cascade.models import AccreditationRule
from fortalece.core.policies import ModelPolicy
from fortalece.people.models import Person
from fortalece.people.policies import person_policy
from fortalece.programmes.models import Programme
from fortalece.programmes.policies import programme_policy

R = Role
EVERY_ROLE = tuple(Role)


class TrainerCascadePolicy(ModelPolicy[Person]):
    """The people whose cascade a user may open: those they may see, and themself."""

    model = Person
    actions = {"view": EVERY_ROLE}

    def base_queryset(self) -> QuerySet[Person]:
        return Person.objects.select_related("institution")

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Person]:
        self._roles_for(action)
        scope = get_user_scope(user)
        qs = self.base_queryset()
        if scope.user_id is None:
            return qs.none()
        if scope.is_admin:
            return qs
        visible = person_policy.instances_user_has_permission_for(user, "view")
        own = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
        return qs.filter(Q(pk__in=visible.values("pk")) | own)

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:  # pragma: no cover
        raise NotImplementedError("instances_user_has_permission_for answers for this policy")


class AccreditationRulePolicy(ModelPolicy[AccreditationRule]):
    """A rule is seen with its programme (``view``) and managed with it (``change``); both
    need the right to see people, since the rule page names trainers."""

    model = AccreditationRule
    actions = {"view": EVERY_ROLE, "change": EVERY_ROLE}

    def base_queryset(self) -> QuerySet[AccreditationRule]:
        return AccreditationRule.objects.select_related("course", "ttt_course", "programme")

    def instances_user_has_permission_for(
        self, user: Any, action: str
    ) -> QuerySet[AccreditationRule]:
        self._roles_for(action)
        qs = self.base_queryset()
        if not person_policy.user_has_permission(user, "view"):
            return qs.none()
        programmes = programme_policy.instances_user_has_permission_for(user, action)
        return qs.filter(programme__in=programmes.values("pk"))

    def user_has_permission(self, user: Any, action: str) -> bool:
        self._roles_for(action)
        return programme_policy.user_has_permission(
            user, action
        ) and person_policy.user_has_permission(user, "view")

    def get_for_user(
        self,
        *,
        user: Any,
        pk: Any,
        action: str = "view",
        queryset: QuerySet[AccreditationRule] | None = None,
    ) -> AccreditationRule:
        """404 when the rule or its programme is invisible; 403 when the programme is visible
        but ``action`` is not allowed on it, or the user may not see people."""
        try:
            rule = (queryset if queryset is not None else self.base_queryset()).get(pk=pk)
        except (AccreditationRule.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        programme_policy.get_for_user(user=user, pk=rule.programme_id, action=action)
        if not person_policy.user_has_permission(user, "view"):
            raise PermissionDenied
        return rule

    def can_create_for(self, user: Any, programme: Programme) -> bool:
        """New rules: whoever may change the programme."""
        return programme_policy.user_has_permission_for_instance(user, "change", programme)

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:  # pragma: no cover
        raise NotImplementedError("instances_user_has_permission_for answers for this policy")


trainer_cascade_policy = TrainerCascadePolicy()
accreditation_rule_policy = AccreditationRulePolicy()
