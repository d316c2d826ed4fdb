from django.db.models import Q

from fortalece.accounts.models import User
from fortalece.accounts.scope import UserScope
from fortalece.core.policies import ModelPolicy


class UserPolicy(ModelPolicy[User]):
    """Accounts and role assignments are managed by administrators only."""

    model = User
    actions = {"view": (), "add": (), "change": ()}

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return None


user_policy = UserPolicy()
