from django.db.models import Q

from fortalece.accounts.scope import UserScope
from fortalece.core.policies import ModelPolicy
from fortalece.people.models import Person


class PersonPrivacyPolicy(ModelPolicy[Person]):
    """A person's history, subject-access export and erasure: administrators only (they act
    as the data protection officer's hands; see docs/security.md)."""

    model = Person
    actions = {"view": (), "export": (), "erase": ()}

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return None


person_privacy_policy = PersonPrivacyPolicy()
