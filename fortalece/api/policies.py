from typing import Any

from django.db.models import Q, QuerySet

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope, get_user_scope
from fortalece.api.models import ApiToken, KoboFeed
from fortalece.core.policies import ModelPolicy
from fortalece.impact.policies import instrument_policy

R = Role
STAFF = (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER, R.FOCAL_POINT, R.DONOR_VIEWER)


class ApiTokenPolicy(ModelPolicy[ApiToken]):
    """Staff create and revoke their own tokens (a token never exceeds its user's rights);
    administrators may revoke anyone's."""

    model = ApiToken
    actions = {"view": STAFF, "add": STAFF, "revoke": STAFF}

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return Q(user_id=scope.user_id)


class KoboFeedPolicy(ModelPolicy[KoboFeed]):
    """Whoever may change an instrument may connect KoboToolbox projects to it."""

    model = KoboFeed
    actions = {
        "view": instrument_policy.actions["change"],
        "add": instrument_policy.actions["change"],
    }

    def base_queryset(self) -> QuerySet[KoboFeed]:
        return KoboFeed.objects.select_related("link__instrument", "link__workshop")

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[KoboFeed]:
        scope = get_user_scope(user)
        if scope.user_id is None or not scope.has_role(*self._roles_for(action)):
            return self.base_queryset().none()
        instruments = instrument_policy.instances_user_has_permission_for(user, "change")
        return self.base_queryset().filter(link__instrument__in=instruments.values("pk"))


api_token_policy = ApiTokenPolicy()
kobo_feed_policy = KoboFeedPolicy()
