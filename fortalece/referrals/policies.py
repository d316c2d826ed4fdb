from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.referrals.models import Service

R = Role
EVERYONE = tuple(r for r in Role.values if r != Role.ADMINISTRATOR)


class ServicePolicy(ModelPolicy[Service]):
    """Every signed-in role reads the directory; managers and focal points edit their state."""

    model = Service
    actions = {
        "view": EVERYONE,
        "add": (R.PROGRAMME_MANAGER, R.FOCAL_POINT),
        "change": (R.PROGRAMME_MANAGER, R.FOCAL_POINT),
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        if action == "view":
            return Q()
        conditions = []
        for a in scope.for_roles(*self.actions[action]):
            if a.subdivision_id:
                conditions.append(Q(subdivision_id=a.subdivision_id))
            elif a.country_id:
                conditions.append(Q(country_id=a.country_id))
            elif a.institution_subdivision_id:
                conditions.append(Q(subdivision_id=a.institution_subdivision_id))
        return any_of(conditions)


service_policy = ServicePolicy()
