from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope
from fortalece.core.policies import ModelPolicy
from fortalece.imports.models import ImportJob


class ImportJobPolicy(ModelPolicy[ImportJob]):
    """Managers import; each sees their own imports (administrators see all)."""

    model = ImportJob
    actions = {"view": (Role.PROGRAMME_MANAGER,), "add": (Role.PROGRAMME_MANAGER,)}

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return Q(created_by_id=scope.user_id)


import_policy = ImportJobPolicy()
