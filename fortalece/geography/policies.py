from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope
from fortalece.core.policies import ModelPolicy
from fortalece.geography.models import Country

STAFF = (
    Role.PROGRAMME_MANAGER,
    Role.ME_OFFICER,
    Role.TRAINER,
    Role.FOCAL_POINT,
    Role.DONOR_VIEWER,
)


class CountryPolicy(ModelPolicy[Country]):
    """Geography is public reference data: staff browse it, administrators edit it."""

    model = Country
    actions = {"view": STAFF, "change": ()}

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return Q() if action == "view" else None


country_policy = CountryPolicy()
