from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.credentials.models import Certificate
from fortalece.training.models import Workshop
from fortalece.training.policies import workshop_q

R = Role


class CertificatePolicy(ModelPolicy[Certificate]):
    """Managers of the workshop issue and revoke; the holder and staff in scope may view."""

    model = Certificate
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER, R.FOCAL_POINT, R.LEARNER),
        "issue": (R.PROGRAMME_MANAGER,),
        "revoke": (R.PROGRAMME_MANAGER,),
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Certificate.objects.select_related(
            "enrolment__person", "enrolment__workshop__course", "enrolment__workshop__programme"
        )

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        roles = self.actions[action]
        conditions = []
        for a in scope.for_roles(*[r for r in roles if r not in (R.TRAINER, R.LEARNER)]):
            inner = workshop_q(a)
            conditions.append(Q(enrolment__workshop__in=_workshops(inner)))
        if action == "view" and scope.person_id:
            conditions.append(Q(enrolment__person_id=scope.person_id))
            if scope.has_role(R.TRAINER):
                conditions.append(Q(enrolment__workshop__trainers=scope.person_id))
        return any_of(conditions)


def _workshops(condition: Q):  # type: ignore[no-untyped-def]

    return Workshop.objects.filter(condition).values("pk")


certificate_policy = CertificatePolicy()
