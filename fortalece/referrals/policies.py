from typing import Any

from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.geography.models import Subdivision
from fortalece.referrals.models import Pathway, Service

R = Role
EVERYONE = tuple(r for r in Role.values if r != Role.ADMINISTRATOR)
KEEPERS = (R.PROGRAMME_MANAGER, R.FOCAL_POINT)


def _state_scope(scope: UserScope, roles: tuple[str, ...]) -> Q | None:
    """Rows of the states the user keeps: a state manager's state, a country manager's
    country, a focal point's institution's state."""
    conditions = []
    for a in scope.for_roles(*roles):
        if a.subdivision_id:
            conditions.append(Q(subdivision_id=a.subdivision_id))
        elif a.country_id:
            conditions.append(Q(country_id=a.country_id))
        elif a.institution_subdivision_id:
            conditions.append(Q(subdivision_id=a.institution_subdivision_id))
    return any_of(conditions)


class ServicePolicy(ModelPolicy[Service]):
    """Every signed-in role reads the directory; managers and focal points edit their state."""

    model = Service
    actions = {
        "view": EVERYONE,
        "add": KEEPERS,
        "change": KEEPERS,
        "delete": KEEPERS,
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        if action == "view":
            return Q()
        return _state_scope(scope, self.actions[action])


class PathwayPolicy(ModelPolicy[Pathway]):
    """Every signed-in role reads the pathways; managers and focal points keep their state's."""

    model = Pathway
    actions = {
        "view": EVERYONE,
        "add": KEEPERS,
        "change": KEEPERS,
        "delete": KEEPERS,
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        if action == "view":
            return Q()
        return _state_scope(scope, self.actions[action])


def kept_subdivisions(user: Any) -> Any:
    """The states where the user may add or change entries and pathways (form choices)."""
    scope = get_user_scope(user)
    qs = Subdivision.objects.select_related("country").order_by("name")
    if scope.user_id is None:
        return qs.none()
    if scope.is_admin:
        return qs.filter(Q(country__code="MX") | Q(pk__in=Service.objects.values("subdivision_id")))
    mapped = Q()
    for a in scope.for_roles(*KEEPERS):
        if a.subdivision_id:
            mapped |= Q(pk=a.subdivision_id)
        elif a.country_id:
            mapped |= Q(country_id=a.country_id)
        elif a.institution_subdivision_id:
            mapped |= Q(pk=a.institution_subdivision_id)
    return qs.filter(mapped) if mapped else qs.none()


def home_state(user: Any) -> int | None:
    """The state of the user's own scope (a state role, or their institution's state): where
    the phone search starts."""
    for a in get_user_scope(user).assignments:
        if a.subdivision_id:
            return a.subdivision_id
        if a.institution_subdivision_id:
            return a.institution_subdivision_id
    return None


service_policy = ServicePolicy()
pathway_policy = PathwayPolicy()
